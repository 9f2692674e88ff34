import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The package layering of ARCHITECTURE.md, enforced on what each package declares and on what its
 * source files (tests, benchmarks and scripts included) actually import:
 *   core ← model, codec, storage ← data ← protocol ← miner, validator, deploy
 *   core ← chain ← miner, validator, deploy
 * (data, the published datasets and their reader, sits below protocol: a run configuration pins a dataset.)
 * The chain package is a chain client and a devnet only; shared packages never reach for the chain or
 * an app; the rulebook (protocol) never for an app.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

const allowed: Record<string, readonly string[]> = {
  'shared/core': [],
  'shared/model': ['core'],
  'shared/codec': ['core'],
  'shared/storage': ['core'],
  'shared/data': ['core', 'model', 'storage'],
  'shared/protocol': ['core', 'model', 'codec', 'storage', 'data'],
  chain: ['core'],
  miner: ['core', 'model', 'codec', 'storage', 'data', 'protocol', 'chain'],
  validator: ['core', 'model', 'codec', 'storage', 'data', 'protocol', 'chain'],
  deploy: ['core', 'model', 'codec', 'storage', 'data', 'protocol', 'chain'],
  test: ['core', 'model', 'codec', 'storage', 'data', 'protocol', 'chain', 'deploy'],
};

/**
 * Benchmarks, tests and test fixtures may use more, as dev dependencies: the codec's convergence study
 * trains the real model, and the neurons' tests start real S3 servers with deploy's launcher.
 */
const devAllowed: Record<string, readonly string[]> = { 'shared/codec': ['model'], miner: ['deploy'], validator: ['deploy'] };

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

/** `@crucible/<name>` specifiers imported (statically or dynamically) or re-exported by a file. */
function crucibleImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]@crucible\/([a-z-]+)(?:\/[^'"]*)?['"]/g)) found.add(m[1]!);
  return [...found];
}

const declared = (pkg: string, which?: 'dependencies' | 'devDependencies'): string[] => {
  const json = JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const deps = which ? json[which] : { ...json['dependencies'], ...json['devDependencies'] };
  return Object.keys(deps ?? {})
    .filter((d) => d.startsWith('@crucible/'))
    .map((d) => d.slice('@crucible/'.length));
};

describe('package layering', () => {
  for (const [pkg, may] of Object.entries(allowed)) {
    it(`${pkg} depends on ${may.length ? may.join(', ') : 'no other package'} at most`, () => {
      expect(declared(pkg, 'dependencies').filter((d) => !may.includes(d))).toEqual([]);
      expect(declared(pkg, 'devDependencies').filter((d) => !may.includes(d) && !devAllowed[pkg]?.includes(d))).toEqual([]);
      const offences: string[] = [];
      for (const file of sourceFiles(join(root, pkg))) {
        const path = relative(join(root, pkg), file);
        const devOnly = path.startsWith('bench/') || path.includes('/testing/') || path.endsWith('.test.ts');
        const ok = devOnly ? [...may, ...(devAllowed[pkg] ?? [])] : may;
        for (const dep of crucibleImports(file)) {
          if (pkg.split('/').at(-1) !== dep && !ok.includes(dep)) offences.push(`${relative(root, file)} imports @crucible/${dep}`);
        }
      }
      expect(offences).toEqual([]);
    });

    it(`${pkg} declares every package it imports`, () => {
      const deps = new Set(declared(pkg));
      const undeclared = new Set<string>();
      for (const file of sourceFiles(join(root, pkg))) {
        for (const dep of crucibleImports(file)) if (dep !== pkg.split('/').at(-1) && !deps.has(dep)) undeclared.add(dep);
      }
      expect([...undeclared]).toEqual([]);
    });
  }

  it('the rule finds a forbidden import (it is not vacuous)', () => {
    expect(crucibleImports(join(root, 'shared/protocol/src/window/seeds.ts'))).toContain('model');
    expect(crucibleImports(join(root, 'miner/src/startMiner.ts'))).toContain('chain');
  });
});
