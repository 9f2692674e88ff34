import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { afterAll, describe, expect, it } from 'vitest';
import { sendInBlock, startTestDevnet } from '../testing/testDevnet.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'crucible-chain-'));
  dirs.push(d);
  return d;
}

describe('a devnet with --base-path', () => {
  it('restarts from its last block with the same state, and keeps producing on top of it', async () => {
    const basePath = tempDir();
    const keyring = new Keyring({ type: 'sr25519' });
    const alice = keyring.addFromUri('//Alice');
    const dest = keyring.addFromUri('//CruciblePersist');

    const first = await startTestDevnet({ basePath });
    const genesis = first.node.genesisHash;
    const r = await sendInBlock(first.api.tx.balances.transferAllowDeath(dest.address, 777_000n), alice);
    expect(r.events).toContain('system.ExtrinsicSuccess');
    await first.close();
    const lastBest = first.node.chain.best;

    // A long block time: this node only makes the block the test asks for.
    const second = await startTestDevnet({ basePath, blockTimeMs: 60_000 });
    try {
      expect(second.node.genesisHash).toBe(genesis);
      expect(second.node.chain.best.hashHex).toBe(lastBest.hashHex);
      expect((await second.api.query.system.account(dest.address)).data.free.toBigInt()).toBe(777_000n);
      expect((await second.api.query.system.account(alice.address)).nonce.toNumber()).toBe(1);
      // Historical blocks are served after the restart too.
      const at = await second.api.at(r.blockHash);
      expect((await at.query.system.events()).map((e) => e.event.method)).toContain('Transfer');
      const next = second.node.produceBlock();
      expect(next).toBe(lastBest.header.number + 1);
      expect(second.node.chain.best.header.parentHash).toEqual(lastBest.hash);
    } finally {
      await second.close();
    }
  });

  it('drops a torn record at the end of the log (a crash mid-write) and keeps every complete block', async () => {
    const basePath = tempDir();
    const first = await startTestDevnet({ basePath, blockTimeMs: 60_000 });
    first.node.produceBlock();
    first.node.produceBlock();
    const best = first.node.chain.best.hashHex;
    await first.close();
    // Half a record: a length header promising more bytes than were written.
    appendFileSync(join(basePath, 'chain.log'), Buffer.from([0xff, 0x00, 0x00, 0x00, 0x12, 0x34]));

    const second = await startTestDevnet({ basePath, blockTimeMs: 60_000 });
    try {
      expect(second.node.chain.best.hashHex).toBe(best);
      expect(second.node.produceBlock()).toBe(3);
    } finally {
      await second.close();
    }
    const third = await startTestDevnet({ basePath, blockTimeMs: 60_000 });
    try {
      expect(third.node.chain.best.header.number).toBe(3);
    } finally {
      await third.close();
    }
  });
});
