import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import sibling workspace packages from their TypeScript sources, so a test run never depends on
// a stale `dist/`. The built `dist/` is what the executables and other processes use.
const src = (dir: string) => fileURLToPath(new URL(`./${dir}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@crucible/core': src('shared/core'),
      '@crucible/model': src('shared/model'),
      '@crucible/codec': src('shared/codec'),
      '@crucible/storage/testing': fileURLToPath(new URL('./shared/storage/src/testing/hostileS3.ts', import.meta.url)),
      '@crucible/storage': src('shared/storage'),
      '@crucible/data': src('shared/data'),
      '@crucible/protocol': src('shared/protocol'),
      // The sub-path entry must come before its package: the first alias whose name prefixes an import wins.
      '@crucible/chain/devnet': fileURLToPath(new URL('./chain/src/devnet.ts', import.meta.url)),
      '@crucible/chain': src('chain'),
      '@crucible/miner': src('miner'),
      '@crucible/validator': src('validator'),
      '@crucible/deploy': src('deploy'),
    },
  },
  test: {
    include: ['{shared/*,chain,miner,validator,deploy}/src/**/*.test.ts', 'test/**/*.test.ts'],
    // onnxruntime and other native modules run in child processes, never in a shared worker thread.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: ['./test/setup/services.global.ts'],
    reporters: ['default'],
  },
});
