/**
 * The pallet interface of the devnet runtime.
 *
 * A pallet is a plain object made with {@link definePallet}. It declares, with the SAME names, indices
 * and SCALE types as Bittensor's runtime (see shared/reference/subtensor-interface.md):
 *
 * - `index`, `name`: the pallet index and name (`SubtensorModule` is 7, `Commitments` 18, ...).
 * - `calls`: each call's index, snake_case name, arguments `{ name, type }`, weight, dispatch class,
 *   whether it pays a fee, and a synchronous `dispatch(ctx, args)`.
 * - `storage`: {@link StorageItem}s made with {@link storageValue} / {@link storageMap}; pallets read and
 *   write them through `ctx.storage` (keys are real Substrate keys, so @polkadot/api can query them).
 * - `events` and `errors`: `{ index, name }` (events also list their field types).
 * - `constants`: `{ name, type, value }`, value as a JS value encodable with `type`.
 * - optional hooks: `genesis(ctx, config)`, `onInitialize(ctx)`, `onFinalize(ctx)`, and
 *   `validateSigned(ctx, who, call)` (the pallet's signed extension, run in the pool and at inclusion).
 *
 * Type strings are written exactly as @polkadot/types prints the reference type
 * (`registry.lookup.getTypeDef(id).type`), e.g. `u16`, `Compact<u64>`, `AccountId32`, `MultiAddress`,
 * `Vec<u16>`, `Vec<(u64,AccountId32)>`, `Bytes`, `H256`, `Call`. The metadata builder
 * (src/metadata/buildMetadata.ts) takes each declared item's type definition from the reference type
 * registry by name and FAILS AT STARTUP if a declared index or type string differs from the reference, so
 * a wrong declaration cannot silently produce a metadata that differs from subtensor's. Items not
 * declared do not exist in the devnet's metadata. The fixture test-fixtures/reference-interface.json
 * (regenerate with `npm run generate:reference -w chain`) lists every
 * item of the reference with its exact type strings: copy from it.
 *
 * Dispatch semantics (what `dispatch` can rely on):
 * - It runs inside a transactional storage layer. If it throws a {@link DispatchError}, every storage
 *   write and every event it made is discarded (the fee and nonce stay charged) and the extrinsic records
 *   `System.ExtrinsicFailed(error)`. Any other thrown value is a bug in the pallet: it is reported as
 *   `DispatchError::Other` and also discarded.
 * - `ctx.origin` is the caller; `ctx.ensureSigned()` returns the 32-byte signer or throws `BadOrigin`,
 *   `ctx.ensureRoot()` throws `BadOrigin` unless the call came through Sudo.
 * - `ctx.error('NotEnoughBalanceToStake')` builds `DispatchError::Module { index: <this pallet>, error }`
 *   from this pallet's declared errors (throws if the name is not declared); `throw` it.
 * - `ctx.emit('StakeAdded', [hotkey, netuid, amount])` appends this pallet's event (fields in declared
 *   order, as JS values or codecs) to `System.Events` with the current phase.
 * - `ctx.dispatch(call, origin)` runs another call (Sudo, Utility) in a nested layer and returns its
 *   result instead of throwing.
 *
 * Adding a pallet: create `src/pallets/<name>/<name>Pallet.ts` exporting `definePallet({...})`, put its
 * storage items in a sibling file, and add it to the list in `src/runtime/pallets.ts`. See
 * `src/pallets/timestamp/timestampPallet.ts` for the smallest complete example and
 * `src/pallets/balances/balancesPallet.ts` for one with errors, events and cross-pallet helpers.
 */
import type { Codec, Registry } from '@polkadot/types/types';
import type { DispatchError } from './dispatchError.js';
import type { StorageAccess } from './storageAccess.js';

/** A SCALE type written as @polkadot/types prints it (see the module comment). */
export type TypeName = string;

/** 32-byte account id (an sr25519/ed25519 public key). */
export type AccountId = Uint8Array;

export interface Weight {
  readonly refTime: bigint;
  readonly proofSize: bigint;
}

export type DispatchClass = 'Normal' | 'Operational' | 'Mandatory';

export type Origin =
  | { readonly kind: 'Root' }
  | { readonly kind: 'Signed'; readonly who: AccountId }
  | { readonly kind: 'None' };

/** Decoded call arguments by declared name; each is a @polkadot/types codec (`.toNumber()`, `.toU8a()`, `.toBigInt()`...). */
export type CallArgs = Readonly<Record<string, Codec>>;

export interface ArgDecl {
  readonly name: string;
  readonly type: TypeName;
}

export interface CallDecl {
  readonly index: number;
  /** snake_case, as in the metadata (`transfer_keep_alive`). */
  readonly name: string;
  readonly args: readonly ArgDecl[];
  /**
   * Weight used for fees and `ExtrinsicSuccess.dispatchInfo`. A function may look at the arguments;
   * `weightOf` gives the weight of a nested call (for Sudo/Utility).
   */
  readonly weight: Weight | ((args: CallArgs, weightOf: (call: Codec) => Weight) => Weight);
  /** Default 'Normal'. */
  readonly class?: DispatchClass;
  /** Default true. Subtensor calls are mostly `false` (Pays::No) at spec 233. */
  readonly paysFee?: boolean;
  /** Applies the call. Throw `ctx.error(...)` (or another DispatchError) to fail; writes are then discarded. */
  dispatch(ctx: DispatchContext, args: CallArgs): void;
}

export interface EventDecl {
  readonly index: number;
  readonly name: string;
  /** Field types in order (named fields are still given in order). */
  readonly fields: readonly TypeName[];
}

export interface ErrorDecl {
  readonly index: number;
  readonly name: string;
}

export interface ConstantDecl {
  readonly name: string;
  readonly type: TypeName;
  /** Any JS value `registry.createType(type, value)` accepts. */
  readonly value: unknown;
}

export type Hasher = 'Blake2_128' | 'Blake2_256' | 'Blake2_128Concat' | 'Twox128' | 'Twox256' | 'Twox64Concat' | 'Identity';

/** A storage item declaration; also the handle used to read and write it through `ctx.storage`. */
export interface StorageItem {
  /** The pallet's storage prefix (its name). */
  readonly pallet: string;
  readonly name: string;
  /** 'Default': reading an absent key yields the default; 'Optional': yields `undefined`. */
  readonly modifier: 'Default' | 'Optional';
  /** One hasher per key; empty for a plain value. */
  readonly hashers: readonly Hasher[];
  /** One type per key; empty for a plain value. For a double map: `['AccountId32', 'u16']`. */
  readonly keys: readonly TypeName[];
  readonly value: TypeName;
  /** Default value (JS value of `value`'s type). Absent: the reference runtime's default. */
  readonly default?: unknown;
}

/** A plain storage value `Prefix.Name`. */
export function storageValue(
  pallet: string,
  name: string,
  value: TypeName,
  options: { modifier?: 'Default' | 'Optional'; default?: unknown } = {},
): StorageItem {
  return { pallet, name, modifier: options.modifier ?? 'Default', hashers: [], keys: [], value, default: options.default };
}

/** A (multi-key) storage map. `keys` and `hashers` have the same length. */
export function storageMap(
  pallet: string,
  name: string,
  spec: { hashers: readonly Hasher[]; keys: readonly TypeName[]; value: TypeName; modifier?: 'Default' | 'Optional'; default?: unknown },
): StorageItem {
  if (spec.hashers.length !== spec.keys.length || spec.keys.length === 0) {
    throw new Error(`storage ${pallet}.${name}: one hasher per key is required`);
  }
  return { pallet, name, modifier: spec.modifier ?? 'Default', hashers: spec.hashers, keys: spec.keys, value: spec.value, default: spec.default };
}

export type DispatchResult = { readonly ok: true } | { readonly ok: false; readonly error: DispatchError };

/** What a call, a hook or genesis sees. One context per (pallet, call); storage is the current layer. */
export interface DispatchContext {
  readonly origin: Origin;
  /** Number of the block being built. */
  readonly blockNumber: number;
  /** Timestamp (ms) of the block being built (Timestamp.Now). */
  readonly now: bigint;
  readonly storage: StorageAccess;
  /** The runtime's type registry (metadata set), for `registry.createType(...)`. */
  readonly registry: Registry;
  /** Signer of a `Signed` origin, else throws DispatchError BadOrigin. */
  ensureSigned(): AccountId;
  /** Throws DispatchError BadOrigin unless the origin is Root. */
  ensureRoot(): void;
  /** `DispatchError::Module` for one of THIS pallet's declared errors. */
  error(name: string): DispatchError;
  /** Deposits one of THIS pallet's declared events. */
  emit(event: string, fields: readonly unknown[]): void;
  /** Deposits an event of another pallet (e.g. Balances emitting System.NewAccount). */
  emitFrom(pallet: string, event: string, fields: readonly unknown[]): void;
  /** Runs a decoded call with `origin` in a nested transactional layer; never throws a DispatchError. */
  dispatch(call: Codec, origin: Origin): DispatchResult;
  /** Runs `fn` in a nested layer: committed if it returns, discarded if it throws. */
  transactional<T>(fn: () => T): T;
}

export interface PalletDecl {
  readonly index: number;
  readonly name: string;
  readonly calls?: readonly CallDecl[];
  readonly storage?: readonly StorageItem[];
  readonly events?: readonly EventDecl[];
  readonly errors?: readonly ErrorDecl[];
  readonly constants?: readonly ConstantDecl[];
  /** Writes the pallet's genesis state. `config` is the whole parsed genesis config. */
  genesis?(ctx: DispatchContext, config: GenesisConfig): void;
  /** Runs at the start of every block, before any extrinsic (origin None). */
  onInitialize?(ctx: DispatchContext): void;
  /** Runs at the end of every block, after all extrinsics (origin None); events get phase Finalization. */
  onFinalize?(ctx: DispatchContext): void;
  /**
   * This pallet's signed extension (SubtensorSignedExtension, CommitmentsSignedExtension): called for
   * every signed transaction, in the pool and again when a block includes it, after signature, nonce
   * and fee checks. Throw `customInvalidTx(code)` / `invalidTx(...)` from ./validity.ts to refuse it
   * (the pool answers 1010 and nothing changes). Must not write storage.
   */
  validateSigned?(ctx: ValidationContext, who: AccountId, call: { pallet: string; name: string; args: CallArgs }): void;
}

/** What `validateSigned` sees: a read-only view of the state the transaction would apply to. */
export interface ValidationContext {
  readonly blockNumber: number;
  readonly storage: StorageAccess;
  readonly registry: Registry;
}

/** Genesis configuration (file given to the node, or programmatic). */
export interface GenesisConfig {
  /** Accounts to endow: SS58 address or `//Uri` dev seed, free balance in rao. */
  readonly balances: ReadonlyArray<readonly [string, bigint]>;
  /** Sudo key (SS58 or //Uri). */
  readonly sudo: string;
  /** Extra per-pallet settings, keyed by pallet name, for pallets that read them. */
  readonly pallets?: Readonly<Record<string, unknown>>;
}

/** Checks a pallet declaration for duplicates and returns it unchanged. */
export function definePallet<P extends PalletDecl>(pallet: P): P {
  const dup = (what: string, xs: ReadonlyArray<string | number>) => {
    const seen = new Set<string | number>();
    for (const x of xs) {
      if (seen.has(x)) throw new Error(`pallet ${pallet.name}: duplicate ${what} ${String(x)}`);
      seen.add(x);
    }
  };
  dup('call index', (pallet.calls ?? []).map((c) => c.index));
  dup('call name', (pallet.calls ?? []).map((c) => c.name));
  dup('event index', (pallet.events ?? []).map((e) => e.index));
  dup('error index', (pallet.errors ?? []).map((e) => e.index));
  dup('storage name', (pallet.storage ?? []).map((s) => s.name));
  for (const s of pallet.storage ?? []) {
    if (s.pallet !== pallet.name) throw new Error(`pallet ${pallet.name}: storage ${s.pallet}.${s.name} belongs to another pallet`);
  }
  return pallet;
}

/** Weight helper: `weight(10_000_000)`. */
export function weight(refTime: number | bigint, proofSize: number | bigint = 0): Weight {
  return { refTime: BigInt(refTime), proofSize: BigInt(proofSize) };
}
