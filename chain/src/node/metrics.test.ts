import { describe, expect, it } from 'vitest';
import { createLogger, Registry } from '@crucible/core';
import { startDevnet } from './devnet.js';

describe('devnet metrics', () => {
  it('exports the best block and block build times in the given registry', async () => {
    const registry = new Registry();
    const node = await startDevnet({ port: 0, blockTimeMs: 60_000, tmp: true, metrics: registry, logger: createLogger({ name: 't', level: 'error', write: () => {} }) });
    try {
      node.produceBlock();
      node.produceBlock();
      const text = await registry.metrics();
      expect(text).toMatch(/^crucible_chain_best_block 2$/m);
      expect(text).toMatch(/^crucible_chain_block_build_seconds_count 2$/m);
    } finally {
      await node.close();
    }
  });
});
