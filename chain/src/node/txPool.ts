/**
 * The transaction pool: validates submitted extrinsics against the best state, keeps them until a
 * block includes them, and reports status changes to watchers (author_submitAndWatchExtrinsic).
 */
import { decodeAccountInfo } from '../pallets/system/accountInfo.js';
import { Account } from '../pallets/system/systemStorage.js';
import { BlockExecutor } from '../runtime/blockExecutor.js';
import { parseExtrinsic, type ParsedExtrinsic } from '../runtime/extrinsic.js';
import type { Runtime } from '../runtime/runtime.js';
import { TransactionValidityError } from '../runtime/validity.js';
import type { Chain } from './chain.js';

/** Status updates as author_extrinsicUpdate sends them. */
export type TxStatus = 'ready' | 'future' | { inBlock: string } | { finalized: string } | { invalid: null } | 'dropped' | { usurped: string };

export type TxWatcher = (status: TxStatus) => void;

export interface PoolTx {
  readonly parsed: ParsedExtrinsic;
  readonly signer: Uint8Array;
  readonly nonce: number;
  readonly seq: number;
  readonly watchers: Set<TxWatcher>;
}

/** Pool-level rejections (not transaction validity): JSON-RPC codes of sc-transaction-pool. */
export function poolError(code: number, message: string, data?: string): TransactionValidityError {
  return new TransactionValidityError('Unknown', 'Pool', code, message, data ?? message);
}

export class TxPool {
  private readonly txs = new Map<string, PoolTx>();
  /** signer hex → nonce → transaction */
  private readonly bySigner = new Map<string, Map<number, PoolTx>>();
  private seq = 0;
  private validation: { hash: string; exec: BlockExecutor } | undefined;
  /** Block number → watchers of its transactions, told `finalized` when the block is final. */
  private readonly awaitingFinality = new Map<number, { hash: string; watchers: TxWatcher[] }>();

  constructor(
    private readonly runtime: Runtime,
    private readonly chain: Chain,
    private readonly maxSize = 8192,
  ) {
    chain.on('finalized', (final) => {
      for (const [number, entry] of this.awaitingFinality) {
        if (number > final.header.number) continue;
        this.awaitingFinality.delete(number);
        for (const w of entry.watchers) w({ finalized: entry.hash });
      }
    });
  }

  /** Watchers of transactions included in `block`; they hear `finalized` once the block is final. */
  awaitFinality(block: { hashHex: string; header: { number: number } }, watchers: TxWatcher[]): void {
    if (this.chain.finalized.header.number >= block.header.number) {
      for (const w of watchers) w({ finalized: block.hashHex });
      return;
    }
    this.awaitingFinality.set(block.header.number, { hash: block.hashHex, watchers });
  }

  /** Validates and queues an extrinsic; throws TransactionValidityError with the RPC code to answer. */
  submit(bytes: Uint8Array, watcher?: TxWatcher): { hash: string; status: 'ready' | 'future' } {
    const parsed = parseExtrinsic(bytes, (b) => this.runtime.decodeCall(b));
    if (this.txs.has(parsed.hash)) throw poolError(1013, 'Transaction Already Imported');
    const checked = this.validator().check(parsed, 'validate');
    const signerKey = Buffer.from(checked.signer).toString('hex');
    const mine = this.bySigner.get(signerKey) ?? new Map<number, PoolTx>();
    if (mine.has(checked.nonce)) {
      throw poolError(1014, 'Priority is too low: (0 vs 0)', 'The transaction has too low priority to replace another transaction already in the pool.');
    }
    if (this.txs.size >= this.maxSize) throw poolError(1016, 'Immediately Dropped', 'The transaction could not enter the pool because of the limit');
    const tx: PoolTx = { parsed, signer: checked.signer, nonce: checked.nonce, seq: this.seq++, watchers: new Set(watcher ? [watcher] : []) };
    this.txs.set(parsed.hash, tx);
    mine.set(tx.nonce, tx);
    this.bySigner.set(signerKey, mine);
    const status = this.isReady(tx, mine) ? 'ready' : 'future';
    return { hash: parsed.hash, status };
  }

  /**
   * A block context on top of the best block, as validate_transaction sets up. `check` only reads, so
   * one context serves every validation until the best block changes.
   */
  private validator(): BlockExecutor {
    const best = this.chain.best;
    if (this.validation?.hash !== best.hashHex) {
      const exec = new BlockExecutor(this.runtime, this.chain.state, best.header.number + 1, best.hash, BigInt(Date.now()));
      exec.initialize(false);
      this.validation = { hash: best.hashHex, exec };
    }
    return this.validation.exec;
  }

  /** Ready when every nonce from the account's up to this one is in the pool. */
  private isReady(tx: PoolTx, mine: ReadonlyMap<number, PoolTx>): boolean {
    for (let n = this.accountNonce(tx.signer); n < tx.nonce; n++) if (!mine.has(n)) return false;
    return true;
  }

  /** Pool nonces of `signer` (for system_accountNextIndex). */
  noncesOf(signer: Uint8Array): ReadonlySet<number> {
    return new Set(this.bySigner.get(Buffer.from(signer).toString('hex'))?.keys() ?? []);
  }

  private accountNonce(who: Uint8Array): number {
    const raw = this.chain.state.get(this.runtime.schema.key(Account, [who]));
    return raw === undefined ? 0 : decodeAccountInfo(raw).nonce;
  }

  /** Transactions in the order a block should try them (per signer by nonce, then arrival). */
  ordered(): PoolTx[] {
    return [...this.txs.values()].sort((a, b) => a.nonce - b.nonce || a.seq - b.seq);
  }

  get size(): number {
    return this.txs.size;
  }

  pendingHex(): string[] {
    return [...this.txs.values()].sort((a, b) => a.seq - b.seq).map((t) => '0x' + Buffer.from(t.parsed.bytes).toString('hex'));
  }

  watch(hash: string, watcher: TxWatcher): boolean {
    const tx = this.txs.get(hash);
    if (tx === undefined) return false;
    tx.watchers.add(watcher);
    return true;
  }

  unwatch(hash: string, watcher: TxWatcher): void {
    this.txs.get(hash)?.watchers.delete(watcher);
  }

  /** Removes a transaction, sending `update` to its watchers; returns them (for later updates). */
  remove(hash: string, update: TxStatus): TxWatcher[] {
    const tx = this.txs.get(hash);
    if (tx === undefined) return [];
    this.txs.delete(hash);
    const signerKey = Buffer.from(tx.signer).toString('hex');
    const mine = this.bySigner.get(signerKey);
    mine?.delete(tx.nonce);
    if (mine?.size === 0) this.bySigner.delete(signerKey);
    for (const w of tx.watchers) w(update);
    return [...tx.watchers];
  }
}
