#!/usr/bin/env node
// The executable npm links for `crucible-data`. It is committed because npm links a workspace's executable
// only if the file exists at install time, and dist/ is built after `npm ci`; it loads the build when run.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('crucible-data is not built yet: run `npm run build` in the Crucible repository first\n');
  process.exit(1);
}
const [{ runCliMain }, { default: cli }] = await Promise.all([import('@crucible/core'), import(built.href)]);
runCliMain(cli);
