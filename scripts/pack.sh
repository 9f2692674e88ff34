#!/usr/bin/env bash
# Packs every Crucible executable into one installable tarball, crucible-subnet-<version>.tgz, in the
# repository root. The workspace packages (built) are vendored under lib/<package>/ with their
# `@crucible/*` imports rewritten to relative paths; third-party dependencies are declared and come from
# the npm registry at install time. Install it anywhere with
#   npm install -g --ignore-scripts ./crucible-subnet-<version>.tgz
# (no install script is needed: onnxruntime-node ships its CPU binaries) and run crucible-chain,
# crucible-miner, crucible-validator, crucible-model and crucible-local.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
npx turbo run build --output-logs=errors-only >/dev/null

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/packs" "$stage/lib"
npm pack --workspaces --pack-destination "$stage/packs" --silent >/dev/null
node --input-type=module - "$stage" "$root" <<'JS'
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
const [stage, root] = process.argv.slice(2);
const lib = join(stage, 'lib');
const packs = join(stage, 'packs');
const manifests = {};
for (const tgz of readdirSync(packs)) {
  const dir = join(packs, tgz.replace(/\.tgz$/, ''));
  mkdirSync(dir);
  execFileSync('tar', ['-xzf', join(packs, tgz), '-C', dir, '--strip-components=1']);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (pkg.name === '@crucible/test') continue;
  const short = pkg.name.replace('@crucible/', '');
  execFileSync('cp', ['-r', dir, join(lib, short)]);
  manifests[short] = pkg;
}
rmSync(packs, { recursive: true });

// `@crucible/<name>[/sub]` → a relative path to that package's export in lib/.
const target = (name, sub) => {
  const exp = manifests[name]?.exports?.[sub ? `./${sub}` : '.'];
  if (!exp) throw new Error(`no export ${sub ?? '.'} in @crucible/${name}`);
  return join(lib, name, exp.default ?? exp);
};
const files = (d) => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
for (const file of files(lib).filter((f) => /\.(js|mjs|cjs)$/.test(f))) {
  const text = readFileSync(file, 'utf8');
  // Only module specifiers (static and dynamic imports), never other strings that name a package.
  const out = text.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])@crucible\/([a-z-]+)(?:\/([a-z-]+))?\2/g, (_, lead, q, name, sub) => {
    let rel = relative(dirname(file), target(name, sub));
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `${lead}${q}${rel}${q}`;
  });
  if (out !== text) writeFileSync(file, out);
}

const dependencies = {};
const bin = {};
for (const [short, pkg] of Object.entries(manifests)) {
  for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) if (!dep.startsWith('@crucible/')) dependencies[dep] ??= range;
  for (const [command, path] of Object.entries(pkg.bin ?? {})) {
    chmodSync(join(lib, short, path), 0o755);
    bin[command] = `lib/${short}/${path}`;
  }
}
writeFileSync(join(stage, 'package.json'), JSON.stringify({
  name: 'crucible-subnet',
  version: manifests.core.version,
  description: 'Crucible: every executable of the subnet (chain, miner, validator, model, local) in one package',
  type: 'module',
  bin,
  files: ['lib'],
  engines: { node: '>=20.12' },
  dependencies,
}, null, 2));
JS
(cd "$stage" && npm pack --pack-destination "$root" --silent)
