import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CrucibleError } from '@crucible/core';

/**
 * The executable of a sibling workspace package (its committed launcher in bin/), found through
 * node_modules the way npm links workspaces, so crucible-local runs the same CLIs an operator would.
 * Fails with a hint when the package has not been built (the launcher loads dist/cli.js).
 */
export function packageBin(pkg: string, bin: string): string {
  const manifest = findManifest(pkg);
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> };
  const relative = parsed.bin?.[bin];
  if (relative === undefined) throw new CrucibleError('INTERNAL', `${pkg} declares no executable ${bin}`);
  const file = join(dirname(manifest), relative);
  const built = join(dirname(manifest), 'dist', 'cli.js');
  if (!existsSync(file) || !existsSync(built)) {
    throw new CrucibleError('SERVICE_START_FAILED', `${bin} is not built (${built} is missing); run 'npm run build' first`, { details: { file, built } });
  }
  return file;
}

/**
 * The package's manifest: through node_modules as npm links workspaces, else as a sibling folder named
 * after the package (the layout of the packed crucible-subnet tarball, lib/<package>/).
 */
function findManifest(pkg: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', ...pkg.split('/'), 'package.json');
    if (existsSync(manifest)) return manifest;
    const sibling = join(dir, '..', pkg.split('/').at(-1)!, 'package.json');
    if (basename(dir) === 'deploy' && existsSync(sibling)) return sibling;
    if (dirname(dir) === dir) break;
  }
  throw new CrucibleError('SERVICE_START_FAILED', `${pkg} is not installed next to @crucible/deploy; run 'npm ci' first`, { details: { pkg } });
}
