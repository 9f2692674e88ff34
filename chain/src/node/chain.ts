/**
 * The canonical chain: blocks by number and hash, the best state, undo logs for reading recent
 * historical states, and the block store. A single fork; a block is final `finalityLag` blocks after
 * it is built (GRANDPA on Bittensor finalizes a couple of blocks behind the best), so a client sees a
 * transaction `inBlock` well before it sees it `finalized`, and reads at the finalized head differ from
 * reads at the best block as they do on a real node.
 */
import { EventEmitter } from 'node:events';
import { u8aToHex } from '@polkadot/util';
import { CrucibleError } from '@crucible/core';
import type { BlockStore, StoredBlock } from '../db/blockLog.js';
import { MemoryState, Overlay, type ChangeSet, type StateReader } from '../runtime/overlay.js';
import type { GenesisConfig } from '../runtime/pallet.js';
import type { Runtime } from '../runtime/runtime.js';
import { hexToBytes } from '../runtime/storageAccess.js';
import { extrinsicsRoot, makeBlock, stateRoot, type Block, type Header } from './block.js';

/** How many past blocks' states stay queryable (a real node prunes at 256 by default). */
export const STATE_HISTORY = 4096;

/** Finality trails the best block by this many blocks unless the node is told otherwise. */
export const DEFAULT_FINALITY_LAG = 2;

export class Chain extends EventEmitter<{ block: [Block]; finalized: [Block] }> {
  readonly state = new MemoryState();
  private readonly blocks: Block[] = [];
  private readonly byHash = new Map<string, number>();
  private changedKeys: ReadonlySet<string> = new Set();
  /** Block n → values its changes overwrote (null: key was absent). */
  private readonly undo = new Map<number, ChangeSet>();

  private constructor(
    readonly runtime: Runtime,
    private readonly store: BlockStore,
    /** Blocks between the best block and the finalized one. */
    readonly finalityLag: number,
  ) {
    super();
    // Every RPC head/storage subscription listens for blocks; there is no meaningful limit.
    this.setMaxListeners(0);
  }

  /** Opens a chain from its store, building genesis from `genesis` if the store is empty. */
  static open(runtime: Runtime, store: BlockStore, genesis: GenesisConfig, finalityLag = DEFAULT_FINALITY_LAG): Chain {
    if (!Number.isInteger(finalityLag) || finalityLag < 0) throw new Error('finalityLag must be a non-negative integer');
    const chain = new Chain(runtime, store, finalityLag);
    const stored = store.readAll();
    if (stored.length === 0) {
      const { changes, block } = chain.buildGenesis(genesis);
      store.append(toStored(block, changes));
    } else {
      for (const s of stored) chain.replay(s);
      // One check at the end (not per block, which would be slow): the replayed state must be the state
      // the last header commits to.
      if (Buffer.compare(chain.computeStateRoot(), chain.best.header.stateRoot) !== 0) {
        throw new CrucibleError('CONFIG_INVALID', `the chain log's state does not match block ${chain.best.header.number}'s state root; the log is corrupt`);
      }
    }
    return chain;
  }

  private buildGenesis(config: GenesisConfig): { changes: ChangeSet; block: Block } {
    const root = new Overlay(this.state);
    const env = { number: 0, now: 0n, phase: { kind: 'Initialization' as const } };
    for (const p of this.runtime.pallets) {
      if (p.genesis === undefined) continue;
      const layer = new Overlay(root);
      p.genesis(this.runtime.context(p, { kind: 'None' }, layer, env), config);
      layer.commit();
    }
    const changes = new Map(root.changes);
    this.state.apply(changes);
    const header: Header = {
      parentHash: new Uint8Array(32),
      number: 0,
      stateRoot: this.computeStateRoot(),
      extrinsicsRoot: extrinsicsRoot([]),
      digest: [],
    };
    const block = makeBlock(header, []);
    this.push(block);
    return { changes, block };
  }

  private replay(s: StoredBlock): void {
    const changes: ChangeSet = new Map(s.changes.map(([k, v]) => [k, v === null ? null : hexToBytes(v)]));
    const header: Header = {
      parentHash: hexToBytes(s.header.parentHash),
      number: s.header.number,
      stateRoot: hexToBytes(s.header.stateRoot),
      extrinsicsRoot: hexToBytes(s.header.extrinsicsRoot),
      digest: s.header.digest.map(hexToBytes),
    };
    const block = makeBlock(header, s.extrinsics.map(hexToBytes));
    if (block.hashHex !== s.hash || header.number !== this.blocks.length) {
      throw new CrucibleError('CONFIG_INVALID', `stored block ${s.number} does not match its hash; the chain log is corrupt`);
    }
    this.applyWithUndo(header.number, changes);
    this.push(block);
  }

  /** Applies a freshly built block's changes, persists it, and announces it. Returns the block. */
  commitBlock(parentHash: Uint8Array, number: number, changes: ChangeSet, digest: Uint8Array[], extrinsics: Uint8Array[]): Block {
    if (number !== this.blocks.length) throw new Error(`block ${number} does not extend best ${this.blocks.length - 1}`);
    this.applyWithUndo(number, changes);
    const header: Header = { parentHash, number, stateRoot: this.computeStateRoot(), extrinsicsRoot: extrinsicsRoot(extrinsics), digest };
    const block = makeBlock(header, extrinsics);
    this.store.append(toStored(block, changes));
    this.push(block);
    this.changedKeys = new Set(changes.keys());
    this.emit('block', block);
    if (number - this.finalityLag >= 0) this.emit('finalized', this.finalized);
    return block;
  }

  private applyWithUndo(number: number, changes: ChangeSet): void {
    const undo: ChangeSet = new Map();
    for (const k of changes.keys()) undo.set(k, this.state.get(k) ?? null);
    this.state.apply(changes);
    if (number > 0) this.undo.set(number, undo);
    this.undo.delete(number - STATE_HISTORY);
  }

  private push(block: Block): void {
    this.blocks.push(block);
    this.byHash.set(block.hashHex, block.header.number);
  }

  private computeStateRoot(): Uint8Array {
    const keys = this.state.sortedKeys();
    return stateRoot(keys.map((k) => [k, this.state.get(k) as Uint8Array] as const));
  }

  /** Storage keys the best block changed. */
  get lastChangedKeys(): ReadonlySet<string> {
    return this.changedKeys;
  }

  get best(): Block {
    return this.blocks[this.blocks.length - 1] as Block;
  }

  /** The last finalized block: `finalityLag` blocks behind the best (genesis at first). */
  get finalized(): Block {
    return this.blocks[Math.max(0, this.blocks.length - 1 - this.finalityLag)] as Block;
  }

  get genesis(): Block {
    return this.blocks[0] as Block;
  }

  blockByNumber(n: number): Block | undefined {
    return this.blocks[n];
  }

  blockByHash(hash: string): Block | undefined {
    const n = this.byHash.get(hash.toLowerCase());
    return n === undefined ? undefined : this.blocks[n];
  }

  /** The state after block `hash` (best when undefined); undefined if unknown or pruned. */
  stateAt(hash?: string): StateReader | undefined {
    if (hash === undefined) return this.state;
    const block = this.blockByHash(hash);
    if (block === undefined) return undefined;
    const n = block.header.number;
    const bestN = this.best.header.number;
    if (n === bestN) return this.state;
    if (bestN - n >= STATE_HISTORY) return undefined;
    return new HistoricalState(this.state, this.undo, n, bestN);
  }

  close(): void {
    this.store.close();
  }
}

/** The state at an older block: current values rolled back through the undo logs of later blocks. */
class HistoricalState implements StateReader {
  constructor(
    private readonly current: MemoryState,
    private readonly undo: ReadonlyMap<number, ChangeSet>,
    private readonly at: number,
    private readonly best: number,
  ) {}

  get(key: string): Uint8Array | undefined {
    for (let b = this.at + 1; b <= this.best; b++) {
      const u = this.undo.get(b);
      if (u?.has(key)) return u.get(key) ?? undefined;
    }
    return this.current.get(key);
  }

  keysWithPrefix(prefix: string): string[] {
    const candidates = new Set(this.current.keysWithPrefix(prefix));
    for (let b = this.at + 1; b <= this.best; b++) {
      for (const k of this.undo.get(b)?.keys() ?? []) if (k.startsWith(prefix)) candidates.add(k);
    }
    return [...candidates].filter((k) => this.get(k) !== undefined).sort();
  }
}

function toStored(block: Block, changes: ChangeSet): StoredBlock {
  const h = block.header;
  return {
    number: h.number,
    hash: block.hashHex,
    header: {
      parentHash: u8aToHex(h.parentHash),
      number: h.number,
      stateRoot: u8aToHex(h.stateRoot),
      extrinsicsRoot: u8aToHex(h.extrinsicsRoot),
      digest: h.digest.map((d) => u8aToHex(d)),
    },
    extrinsics: block.extrinsics.map((x) => u8aToHex(x)),
    changes: [...changes].map(([k, v]) => [k, v === null ? null : u8aToHex(v)]),
  };
}
