/**
 * Builds the next block from the pool: timestamp inherent first, then every pool transaction that is
 * valid now (future ones wait, invalid ones are dropped with an `invalid` update), then finalize,
 * commit, and `inBlock` updates; `finalized` follows when the block becomes final (see Chain).
 */
import { compactToU8a, u8aConcat } from '@polkadot/util';
import { BlockExecutor } from '../runtime/blockExecutor.js';
import { parseExtrinsic } from '../runtime/extrinsic.js';
import type { Runtime } from '../runtime/runtime.js';
import { isValidityError } from '../runtime/validity.js';
import type { Block } from './block.js';
import type { Chain } from './chain.js';
import type { TxPool } from './txPool.js';

/** Normal-class weight budget per block (reference BlockWeights.perClass.normal.maxTotal). */
const MAX_NORMAL_WEIGHT = 3_000_000_000_000n;
/** Normal-class length budget (reference BlockLength.max.normal). */
const MAX_NORMAL_LEN = 7_864_320;

export interface AuthoredBlock {
  readonly block: Block;
  readonly included: ReadonlyArray<{ hash: string; success: boolean }>;
  readonly dropped: number;
}

export function authorBlock(runtime: Runtime, chain: Chain, pool: TxPool, now: bigint): AuthoredBlock {
  const parent = chain.best;
  const number = parent.header.number + 1;
  const exec = new BlockExecutor(runtime, chain.state, number, parent.hash, now);
  exec.initialize();
  const extrinsics: Uint8Array[] = [];

  const call = u8aConcat(Uint8Array.of(2, 0), compactToU8a(now));
  const inherentBytes = u8aConcat(compactToU8a(call.length + 1), Uint8Array.of(0x04), call);
  exec.applyInherent(parseExtrinsic(inherentBytes, (b) => runtime.decodeCall(b)));
  extrinsics.push(inherentBytes);

  const included: Array<{ hash: string; success: boolean }> = [];
  const invalid: string[] = [];
  let weight = 0n;
  let len = 0;
  for (const tx of pool.ordered()) {
    try {
      const checked = exec.check(tx.parsed, 'apply');
      if (weight + checked.weight.refTime > MAX_NORMAL_WEIGHT || len + tx.parsed.bytes.length > MAX_NORMAL_LEN) break;
      const applied = exec.applyExtrinsic(tx.parsed);
      weight += checked.weight.refTime;
      len += tx.parsed.bytes.length;
      extrinsics.push(tx.parsed.bytes);
      included.push({ hash: tx.parsed.hash, success: applied.result.ok });
    } catch (e) {
      if (!isValidityError(e)) throw e;
      if (e.reason !== 'Future') invalid.push(tx.parsed.hash);
    }
  }
  const { changes, digestLogs } = exec.finalize();
  const block = chain.commitBlock(parent.hash, number, changes, digestLogs, extrinsics);
  const watchers = included.flatMap(({ hash }) => pool.remove(hash, { inBlock: block.hashHex }));
  for (const hash of invalid) pool.remove(hash, { invalid: null });
  // `finalized` comes when this block is final, blocks later: @polkadot/api drops an `inBlock` update
  // that a `finalized` one follows before it has fetched the block's events.
  if (watchers.length > 0) pool.awaitFinality(block, watchers);
  return { block, included, dropped: invalid.length };
}
