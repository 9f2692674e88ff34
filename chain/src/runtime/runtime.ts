/**
 * The runtime: the declared pallets, their metadata and type registry, and call dispatch against a
 * transactional overlay. Block-level logic (initialize, inherents, extrinsics, finalize) is in
 * blockExecutor.ts.
 */
import type { TypeRegistry } from '@polkadot/types';
import type { Codec } from '@polkadot/types/types';
import { compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { buildMetadata, type BuiltMetadata, type ServedApis } from '../metadata/buildMetadata.js';
import type { ReferenceData } from '../metadata/referenceData.js';
import { DispatchError, isDispatchError } from './dispatchError.js';
import { Overlay, type StateReader } from './overlay.js';
import type { AccountId, CallArgs, CallDecl, DispatchContext, DispatchResult, Origin, PalletDecl, Weight } from './pallet.js';
import { OverlayStorage, StorageSchema } from './storageAccess.js';

/** Phase of an event record, as frame_system::Phase. */
export type Phase = { kind: 'ApplyExtrinsic'; index: number } | { kind: 'Finalization' } | { kind: 'Initialization' };

/** Block-wide values every context shares. */
export interface BlockEnv {
  readonly number: number;
  now: bigint;
  phase: Phase;
}

export interface ResolvedCall {
  readonly pallet: PalletDecl;
  readonly call: CallDecl;
  readonly args: CallArgs;
}

const EVENTS_KEY = '0x26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7';
const EVENT_COUNT_KEY = '0x26aa394eea5630e07c48ae0c9558cef70a98fdbe9ce6c55837576c60c7af3850';

export class Runtime {
  readonly built: BuiltMetadata;
  readonly registry: TypeRegistry;
  readonly schema: StorageSchema;
  private readonly calls = new Map<number, { pallet: PalletDecl; call: CallDecl }>();
  /** Called with anything but a DispatchError thrown by a call (a pallet bug); the node logs it. */
  onPalletBug: (err: unknown) => void = () => {};
  private readonly byName = new Map<string, PalletDecl>();

  constructor(
    readonly pallets: readonly PalletDecl[],
    reference: ReferenceData,
    /** The runtime APIs answered through `state_call` (their metadata is served too). */
    apis: ServedApis = new Map(),
  ) {
    this.built = buildMetadata(pallets, reference, apis);
    this.registry = this.built.registry;
    this.schema = new StorageSchema(this.registry, this.built.storage);
    for (const p of pallets) {
      this.byName.set(p.name, p);
      for (const c of p.calls ?? []) this.calls.set(p.index * 256 + c.index, { pallet: p, call: c });
    }
  }

  pallet(name: string): PalletDecl {
    const p = this.byName.get(name);
    if (p === undefined) throw new Error(`no pallet ${name}`);
    return p;
  }

  /** Decodes call bytes (`[pallet, call, ...args]`) into a @polkadot/types Call. Throws on bad input. */
  decodeCall(bytes: Uint8Array): Codec {
    return this.registry.createType('Call', bytes);
  }

  /** Finds the declaration of a decoded call and names its arguments. */
  resolveCall(call: Codec): ResolvedCall {
    const c = asCall(this.registry, call);
    const idx = c.callIndex;
    const entry = this.calls.get((idx[0] ?? 0) * 256 + (idx[1] ?? 0));
    if (entry === undefined) throw new Error(`call [${idx[0]}, ${idx[1]}] is not declared`);
    const args: Record<string, Codec> = {};
    entry.call.args.forEach((a, i) => {
      args[a.name] = c.args[i] as Codec;
    });
    return { pallet: entry.pallet, call: entry.call, args };
  }

  weightOf = (call: Codec): Weight => {
    const { call: decl, args } = this.resolveCall(call);
    return typeof decl.weight === 'function' ? decl.weight(args, this.weightOf) : decl.weight;
  };

  /** A storage view over one layer. */
  storage(layer: Overlay): OverlayStorage {
    return new OverlayStorage(this.schema, layer);
  }

  /** A context for `pallet` whose storage is `layer`. */
  context(pallet: PalletDecl, origin: Origin, layer: Overlay, env: BlockEnv): DispatchContext {
    const storage = this.storage(layer);
    const runtime = this;
    return {
      origin,
      blockNumber: env.number,
      get now() {
        return env.now;
      },
      storage,
      registry: this.registry,
      ensureSigned(): AccountId {
        if (origin.kind !== 'Signed') throw DispatchError.badOrigin();
        return origin.who;
      },
      ensureRoot(): void {
        if (origin.kind !== 'Root') throw DispatchError.badOrigin();
      },
      error(name: string): DispatchError {
        const e = (pallet.errors ?? []).find((x) => x.name === name);
        if (e === undefined) throw new Error(`pallet ${pallet.name} declares no error ${name}`);
        return DispatchError.module(pallet.index, e.index, `${pallet.name}.${name}`);
      },
      emit(event: string, fields: readonly unknown[]): void {
        runtime.depositEvent(layer, env.phase, pallet.name, event, fields);
      },
      emitFrom(palletName: string, event: string, fields: readonly unknown[]): void {
        runtime.depositEvent(layer, env.phase, palletName, event, fields);
      },
      dispatch(call: Codec, innerOrigin: Origin): DispatchResult {
        return runtime.dispatch(call, innerOrigin, layer, env);
      },
      transactional<T>(fn: () => T): T {
        // Nested layers are implemented by swapping the context's layer: simplest is a child overlay
        // committed on success. The storage view of this context keeps writing to `layer`, so run `fn`
        // and undo on failure by snapshotting the layer's change set.
        const snapshot = new Map(layer.changes);
        try {
          return fn();
        } catch (e) {
          layer.changes.clear();
          for (const [k, v] of snapshot) layer.changes.set(k, v);
          throw e;
        }
      },
    };
  }

  /**
   * Dispatches a call in a child layer of `parent`: committed on success, discarded on failure. Errors
   * that are not DispatchErrors (pallet bugs) become `DispatchError::Other`.
   */
  dispatch(call: Codec, origin: Origin, parent: Overlay, env: BlockEnv): DispatchResult {
    const layer = new Overlay(parent);
    try {
      const { pallet, call: decl, args } = this.resolveCall(call);
      decl.dispatch(this.context(pallet, origin, layer, env), args);
      layer.commit();
      return { ok: true };
    } catch (e) {
      if (isDispatchError(e)) return { ok: false, error: e };
      this.onPalletBug(e);
      return { ok: false, error: DispatchError.simple('Other') };
    }
  }

  /** Appends an event record to System.Events and bumps System.EventCount. */
  depositEvent(layer: Overlay, phase: Phase, palletName: string, event: string, fields: readonly unknown[]): void {
    const pallet = this.pallet(palletName);
    const decl = (pallet.events ?? []).find((e) => e.name === event);
    if (decl === undefined) throw new Error(`pallet ${palletName} declares no event ${event}`);
    const types = this.built.eventFields.get(`${palletName}.${event}`) ?? [];
    if (types.length !== fields.length) throw new Error(`event ${palletName}.${event}: ${fields.length} fields, expected ${types.length}`);
    const encodedFields = fields.map((f, i) => encodeField(this.registry, types[i] as string, f));
    const record = u8aConcat(encodePhase(phase), Uint8Array.of(pallet.index, decl.index), ...encodedFields, Uint8Array.of(0));
    appendEventRecord(layer, record);
  }
}

function encodeField(registry: TypeRegistry, type: string, value: unknown): Uint8Array {
  if (value instanceof RawScale) return value.bytes;
  return registry.createType(type, value).toU8a();
}

/** Pre-encoded SCALE bytes for an event field (e.g. a DispatchError). */
export class RawScale {
  constructor(readonly bytes: Uint8Array) {}
}

export function encodePhase(phase: Phase): Uint8Array {
  switch (phase.kind) {
    case 'ApplyExtrinsic': {
      const out = new Uint8Array(5);
      new DataView(out.buffer).setUint32(1, phase.index, true);
      return out;
    }
    case 'Finalization':
      return Uint8Array.of(1);
    case 'Initialization':
      return Uint8Array.of(2);
  }
}

/** System.Events holds Vec<EventRecord>: rewrite the compact count and append the record. */
function appendEventRecord(layer: Overlay, record: Uint8Array): void {
  const count = readU32(layer.get(EVENT_COUNT_KEY));
  const current = layer.get(EVENTS_KEY);
  const body = current === undefined ? new Uint8Array() : current.subarray(compactLen(current));
  layer.set(EVENTS_KEY, u8aConcat(compactToU8a(count + 1), body, record));
  const c = new Uint8Array(4);
  new DataView(c.buffer).setUint32(0, count + 1, true);
  layer.set(EVENT_COUNT_KEY, c);
}

function readU32(b: Uint8Array | undefined): number {
  return b === undefined ? 0 : new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
}

/** Length in bytes of the SCALE compact at the start of `b`. */
export function compactLen(b: Uint8Array): number {
  const mode = (b[0] ?? 0) & 3;
  return mode === 0 ? 1 : mode === 1 ? 2 : mode === 2 ? 4 : ((b[0] ?? 0) >> 2) + 5;
}

interface CallLike extends Codec {
  callIndex: Uint8Array;
  args: Codec[];
}

function asCall(registry: TypeRegistry, call: Codec): CallLike {
  if ('callIndex' in call && 'args' in call) return call as CallLike;
  return registry.createType('Call', call.toU8a()) as unknown as CallLike;
}

export { EVENTS_KEY, EVENT_COUNT_KEY };
export const hexOf = u8aToHex;
