/**
 * Builds the devnet's metadata (V16, and V15 / V14 derived from it) from the pallet declarations.
 *
 * The document is the reference runtime's V16 metadata (finney spec 424) with what the devnet does not
 * serve taken out: undeclared pallets, calls, storage items, events, errors, constants and runtime-API
 * methods. Everything that stays is the reference's, docs and deprecation notes included. Each
 * declaration's index, types and constant value are checked against the reference, so a declaration
 * that differs from subtensor's runtime fails here, at startup.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import type { PalletDecl, StorageItem } from '../runtime/pallet.js';
import { checkPallet, type Checker } from './checkDeclarations.js';
import type { Json, ReferenceData, ReferenceEnumRef, ReferenceMetadataV16, ReferencePallet } from './referenceData.js';
import { toV14, toV15 } from './olderVersions.js';

/** Resolved SCALE types of one declared storage item (lookup names usable with `registry.createType`). */
export interface ResolvedStorage {
  readonly item: StorageItem;
  readonly keyTypes: readonly string[];
  readonly valueType: string;
  readonly fallback: Uint8Array;
}

/** Runtime-API methods the devnet answers, by API name. */
export type ServedApis = ReadonlyMap<string, readonly string[]>;

export interface BuiltMetadata {
  /** SCALE bytes of `RuntimeMetadataPrefixed` V16, V15 and V14 (V14 is what `state_getMetadata` returns). */
  readonly v16: Uint8Array;
  readonly v15: Uint8Array;
  readonly v14: Uint8Array;
  /** A registry with the V16 metadata set: decodes extrinsics, calls, events, storage values. */
  readonly registry: TypeRegistry;
  readonly metadata: Metadata;
  readonly storage: ReadonlyMap<string, ResolvedStorage>;
  /** Lookup type of each declared event's fields, by `Pallet.Event`. */
  readonly eventFields: ReadonlyMap<string, readonly string[]>;
  /** Lookup types of each served runtime-API method's inputs and output, by `Api_method`. */
  readonly apiMethods: ReadonlyMap<string, { readonly inputs: readonly string[]; readonly output: string }>;
}

const MAGIC = Uint8Array.of(0x6d, 0x65, 0x74, 0x61);

interface Variant {
  name: string;
  index: number;
  fields?: Array<{ name: string | null; type: number }>;
}

export function buildMetadata(pallets: readonly PalletDecl[], ref: ReferenceData, apis: ServedApis = new Map()): BuiltMetadata {
  const refRegistry = new TypeRegistry();
  refRegistry.setLookup(refRegistry.createType('PortableRegistry', ref.v16.lookup, true));
  const types = new Map<number, Json>(ref.v16.lookup.types.map((t) => [t.id, structuredClone(t.type)]));
  const checker: Checker = {
    typeOf: (id) => refRegistry.lookup.getTypeDef(id).type,
    variantsOf: (id) => variantsOf(types, id),
    tupleOf: (id) => refRegistry.lookup.getSiType(id).def.asTuple.map((t) => t.toNumber()),
    encode: (id, value) => u8aToHex(refRegistry.createType(`Lookup${id}`, value).toU8a()),
  };

  const sorted = [...pallets].sort((a, b) => a.index - b.index);
  const outPallets: ReferencePallet[] = [];
  const storage = new Map<string, ResolvedStorage>();
  const eventFields = new Map<string, readonly string[]>();
  const pending: Array<{ item: StorageItem; keyIds: number[]; valueId: number; fallback: string | null }> = [];

  for (const p of sorted) {
    const rp = ref.v16.pallets.find((x) => x.name === p.name);
    if (rp === undefined) throw new Error(`pallet ${p.name} is not in the reference runtime`);
    if (rp.index !== p.index) throw new Error(`pallet ${p.name}: index ${p.index}, reference ${rp.index}`);
    const checked = checkPallet(p, rp, checker);
    for (const s of checked.storage) pending.push(s);
    for (const [name, fields] of checked.eventFields) eventFields.set(`${p.name}.${name}`, fields.map((f) => `Lookup${f}`));

    const keep = (names: ReadonlySet<string>, r: ReferenceEnumRef | null): ReferenceEnumRef | null => {
      if (r === null || names.size === 0) return null;
      const kept = new Set(variantsOf(types, r.type).filter((v) => names.has(v.name)).map((v) => String(v.index)));
      keepVariants(types, r.type, (v) => names.has(v.name));
      // Per-variant deprecation notes are keyed by variant index: keep those of served variants.
      const deprecationInfo = Object.fromEntries(Object.entries(r.deprecationInfo).filter(([index]) => kept.has(index)));
      return { type: r.type, deprecationInfo };
    };
    const storageNames = new Set((p.storage ?? []).map((s) => s.name));
    const constantNames = new Set((p.constants ?? []).map((c) => c.name));
    outPallets.push({
      ...structuredClone(rp),
      storage: rp.storage === null || storageNames.size === 0 ? null : { prefix: rp.storage.prefix, items: rp.storage.items.filter((i) => storageNames.has(i.name)) },
      calls: keep(new Set((p.calls ?? []).map((c) => c.name)), rp.calls),
      events: keep(new Set((p.events ?? []).map((e) => e.name)), rp.events),
      errors: keep(new Set((p.errors ?? []).map((e) => e.name)), rp.errors),
      constants: rp.constants.filter((c) => constantNames.has(c.name)),
      // View functions are not served (no runtime API for them).
      viewFunctions: [],
    });
  }

  // The outer enums keep only the served pallets.
  const hasAny = (kind: 'calls' | 'events' | 'errors') => new Set(outPallets.filter((p) => p[kind] !== null).map((p) => p.name));
  const { callType, eventType, errorType } = ref.v16.outerEnums;
  const withCalls = hasAny('calls');
  const withEvents = hasAny('events');
  const withErrors = hasAny('errors');
  keepVariants(types, callType, (v) => withCalls.has(v.name));
  keepVariants(types, eventType, (v) => withEvents.has(v.name));
  keepVariants(types, errorType, (v) => withErrors.has(v.name));

  const outApis = ref.v16.apis
    .filter((a) => apis.has(a.name))
    .map((a) => {
      const methods = apis.get(a.name) ?? [];
      for (const m of methods) if (!a.methods.some((x) => x.name === m)) throw new Error(`runtime API ${a.name}_${m} is not in the reference`);
      return { ...structuredClone(a), methods: a.methods.filter((m) => methods.includes(m.name)) };
    });
  for (const name of apis.keys()) if (!ref.v16.apis.some((a) => a.name === name)) throw new Error(`runtime API ${name} is not in the reference`);

  const v16Json: ReferenceMetadataV16 = {
    lookup: { types: [...types.entries()].map(([id, type]) => ({ id, type })) },
    pallets: outPallets,
    extrinsic: structuredClone(ref.v16.extrinsic),
    apis: outApis,
    outerEnums: { ...ref.v16.outerEnums },
    custom: { map: {} },
  };

  const registry = new TypeRegistry();
  const v16 = u8aConcat(MAGIC, Uint8Array.of(16), registry.createType('MetadataV16', v16Json).toU8a());
  const metadata = new Metadata(registry, v16);
  // Spec 424's extensions that @polkadot/types does not know carry no bytes: no warning about them.
  registry.setMetadata(metadata, undefined, undefined, true);

  // Declared defaults need the final registry to encode.
  for (const { item, keyIds, valueId, fallback } of pending) {
    const valueType = `Lookup${valueId}`;
    const bytes = fallback === null ? registry.createType(valueType, item.default).toU8a() : hexBytes(fallback);
    storage.set(`${item.pallet}.${item.name}`, { item, keyTypes: keyIds.map((k) => `Lookup${k}`), valueType, fallback: bytes });
  }

  const apiMethods = new Map<string, { inputs: string[]; output: string }>();
  for (const a of outApis) {
    for (const m of a.methods) apiMethods.set(`${a.name}_${m.name}`, { inputs: m.inputs.map((i) => `Lookup${i.type}`), output: `Lookup${m.output}` });
  }

  let v15: Uint8Array | undefined;
  let v14: Uint8Array | undefined;
  return {
    v16,
    // V14 and V15 are built on first request: @polkadot/api asks for V16 and most clients never need them.
    get v15() {
      return (v15 ??= u8aConcat(MAGIC, Uint8Array.of(15), new TypeRegistry().createType('MetadataV15', toV15(v16Json, ref)).toU8a()));
    },
    get v14() {
      return (v14 ??= u8aConcat(MAGIC, Uint8Array.of(14), new TypeRegistry().createType('MetadataV14', toV14(v16Json, ref)).toU8a()));
    },
    registry,
    metadata,
    storage,
    eventFields,
    apiMethods,
  };
}

function variantsOf(types: ReadonlyMap<number, Json>, id: number): Variant[] {
  const def = (types.get(id)?.['def'] as Json | undefined)?.['variant'] as { variants: Variant[] } | undefined;
  if (def === undefined) throw new Error(`reference type ${id} is not an enum`);
  return def.variants;
}

function keepVariants(types: Map<number, Json>, id: number, keep: (v: Variant) => boolean): void {
  const def = (types.get(id)?.['def'] as Json)['variant'] as { variants: Variant[] };
  def.variants = def.variants.filter(keep);
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}

