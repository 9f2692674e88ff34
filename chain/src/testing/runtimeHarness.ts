/**
 * Test helper: the devnet runtime without a node. Blocks are built in-process, and calls are dispatched
 * with a chosen origin straight into the open block (no signatures, no pool), so a test of a pallet
 * rule controls exactly which block each call lands in. Not exported from the package.
 *
 *   const h = await RuntimeHarness.create();
 *   h.nextBlock();                                        // opens block 1 (on_initialize ran)
 *   h.call(alice, 'subtensorModule', 'registerNetwork', [hotkey]);
 *   h.read(S.SubnetTAO, [1])
 */
import { expandMetadata } from '@polkadot/types/metadata/decorate';
import type { Codec } from '@polkadot/types/types';
import { compactToU8a, u8aConcat } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { MemoryBlockStore } from '../db/blockLog.js';
import { loadReference } from '../metadata/loadReference.js';
import { Chain } from '../node/chain.js';
import { devGenesis } from '../node/genesis.js';
import { BlockExecutor } from '../runtime/blockExecutor.js';
import type { DispatchError } from '../runtime/dispatchError.js';
import { parseExtrinsic } from '../runtime/extrinsic.js';
import type { AccountId, GenesisConfig, Origin, StorageItem } from '../runtime/pallet.js';
import { runtimePallets } from '../runtime/pallets.js';
import { Runtime } from '../runtime/runtime.js';
import { servedApis } from '../runtimeApis/index.js';
import { callRuntimeApi } from '../runtimeApis/index.js';
import type { StorageAccess } from '../runtime/storageAccess.js';
import * as System from '../pallets/system/systemStorage.js';

const BLOCK_MS = 12_000n;

export interface HarnessEvent {
  readonly name: string;
  readonly data: unknown[];
}

let sharedRuntime: Runtime | undefined;

export class RuntimeHarness {
  private exec: BlockExecutor | undefined;
  private readonly tx: ReturnType<typeof expandMetadata>['tx'];

  private constructor(
    readonly runtime: Runtime,
    readonly chain: Chain,
  ) {
    this.tx = expandMetadata(runtime.registry, runtime.built.metadata).tx;
  }

  static async create(genesis: GenesisConfig = devGenesis()): Promise<RuntimeHarness> {
    await cryptoWaitReady();
    sharedRuntime ??= new Runtime(runtimePallets, loadReference(), servedApis());
    return new RuntimeHarness(sharedRuntime, Chain.open(sharedRuntime, new MemoryBlockStore(), genesis, 0));
  }

  /** The block being built (its on_initialize has run). */
  get block(): number {
    return this.exec?.number ?? this.chain.best.header.number;
  }

  /** Seals the open block (if any) and opens the next one: on_initialize and the timestamp inherent run. */
  nextBlock(): number {
    this.seal();
    const parent = this.chain.best;
    const number = parent.header.number + 1;
    const now = BigInt(number) * BLOCK_MS;
    const exec = new BlockExecutor(this.runtime, this.chain.state, number, parent.hash, now);
    exec.initialize();
    const call = u8aConcat(Uint8Array.of(2, 0), compactToU8a(now));
    exec.applyInherent(parseExtrinsic(u8aConcat(compactToU8a(call.length + 1), Uint8Array.of(0x04), call), (b) => this.runtime.decodeCall(b)));
    this.exec = exec;
    return number;
  }

  /** Opens blocks until `block` is the open one. */
  advanceTo(block: number): void {
    while (this.block < block || this.exec === undefined) this.nextBlock();
  }

  private seal(): void {
    if (this.exec === undefined) return;
    const { changes, digestLogs } = this.exec.finalize();
    this.chain.commitBlock(this.exec.parentHash, this.exec.number, changes, digestLogs, []);
    this.exec = undefined;
  }

  private open(): BlockExecutor {
    if (this.exec === undefined) this.nextBlock();
    return this.exec as BlockExecutor;
  }

  /** A decoded call, e.g. `('subtensorModule', 'addStake', [hotkey, 1, 2_000_000n])`. */
  makeCall(section: string, method: string, args: readonly unknown[]): Codec {
    const fn = this.tx[section]?.[method];
    if (fn === undefined) throw new Error(`no call ${section}.${method}`);
    return fn(...args);
  }

  /** Dispatches a call in the open block; returns its error (undefined on success) and its events. */
  call(origin: AccountId | 'root', section: string, method: string, args: readonly unknown[]): { error: DispatchError | undefined; events: HarnessEvent[] } {
    const exec = this.open();
    const before = this.events().length;
    const o: Origin = origin === 'root' ? { kind: 'Root' } : { kind: 'Signed', who: origin };
    let bug: unknown;
    this.runtime.onPalletBug = (e) => (bug = e);
    const result = this.runtime.dispatch(this.makeCall(section, method, args), o, exec.root, exec.env);
    // A pallet that throws anything but a DispatchError has a bug: surface it in the test.
    if (bug !== undefined) throw bug;
    return { error: result.ok ? undefined : result.error, events: this.events().slice(before) };
  }

  /** As `call`, but throws when the call fails. */
  ok(origin: AccountId | 'root', section: string, method: string, args: readonly unknown[]): HarnessEvent[] {
    const r = this.call(origin, section, method, args);
    if (r.error !== undefined) throw new Error(`${section}.${method} failed: ${r.error.message}`);
    return r.events;
  }

  /** The name of the error a call fails with (`SubtensorModule.AmountTooLow`, `BadOrigin`), or undefined. */
  errorOf(origin: AccountId | 'root', section: string, method: string, args: readonly unknown[]): string | undefined {
    return this.call(origin, section, method, args).error?.message;
  }

  /** Storage of the open block. */
  get storage(): StorageAccess {
    return this.runtime.storage(this.open().root);
  }

  read(item: StorageItem, keys: readonly unknown[] = []): Codec {
    return this.runtime.storage(this.open().root).get(item, keys);
  }

  /** Events deposited so far in the open block, `Pallet.Event` with JSON data. */
  events(): HarnessEvent[] {
    const exec = this.open();
    const raw = this.runtime.storage(exec.root).getRaw(this.runtime.storage(exec.root).key(System.Events));
    if (raw === undefined) return [];
    const records = this.runtime.registry.createType('Vec<FrameSystemEventRecord>', raw) as unknown as Array<{ event: { section: string; method: string; data: Codec[] } }>;
    return records.map(({ event }) => ({ name: `${event.section}.${event.method}`, data: event.data.map((d) => d.toJSON()) }));
  }

  /** A runtime API answer at the best block (seals the open block first), decoded with its output type. */
  api(method: string, args: Uint8Array = new Uint8Array()): Codec {
    this.seal();
    const out = callRuntimeApi(this.runtime, this.chain.state, method, args);
    const type = this.runtime.built.apiMethods.get(method)?.output;
    if (type === undefined) throw new Error(`no runtime API ${method}`);
    return this.runtime.registry.createType(type, out);
  }
}

/** The 32-byte account of a dev secret URI (`//Alice`), as the genesis resolves it. */
export { resolveGenesisAccount as devAccount } from '../pallets/balances/genesisAccounts.js';
