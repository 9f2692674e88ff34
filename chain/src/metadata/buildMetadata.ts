/**
 * Builds the devnet's metadata (v14 and v15) from the pallet declarations.
 *
 * Which pallets, calls, storage items, events, errors and constants exist comes from the declarations;
 * each item's type definition is taken from the reference type registry (reference.json) by the item's
 * name, and the declared index and type strings are checked against it, so a declaration that differs
 * from subtensor's runtime fails here, at startup.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import type { PalletDecl, StorageItem } from '../runtime/pallet.js';
import type { ReferenceData, ReferencePallet, ReferenceStorageItem } from './referenceData.js';

/** Resolved SCALE types of one declared storage item (lookup names usable with `registry.createType`). */
export interface ResolvedStorage {
  readonly item: StorageItem;
  readonly keyTypes: readonly string[];
  readonly valueType: string;
  readonly fallback: Uint8Array;
}

export interface BuiltMetadata {
  /** SCALE bytes of `RuntimeMetadataPrefixed` v14 (what `state_getMetadata` returns). */
  readonly v14: Uint8Array;
  readonly v15: Uint8Array;
  /** A registry with the v14 metadata set: decodes extrinsics, calls, events, storage values. */
  readonly registry: TypeRegistry;
  readonly metadata: Metadata;
  readonly storage: ReadonlyMap<string, ResolvedStorage>;
  /** Lookup type of each declared event's fields, by `Pallet.Event`. */
  readonly eventFields: ReadonlyMap<string, readonly string[]>;
}

const MAGIC = Uint8Array.of(0x6d, 0x65, 0x74, 0x61);

type Json = Record<string, unknown>;
interface Variant {
  name: string;
  index: number;
  fields: Array<{ name: string | null; type: number; typeName: string | null; docs: string[] }>;
  docs: string[];
}

export function buildMetadata(pallets: readonly PalletDecl[], ref: ReferenceData): BuiltMetadata {
  const refRegistry = new TypeRegistry();
  refRegistry.setLookup(refRegistry.createType('PortableRegistry', ref.lookup, true));
  const typeOf = (id: number) => refRegistry.lookup.getTypeDef(id).type;

  const types = new Map<number, Json>(ref.lookup.types.map((t) => [t.id, structuredClone(t.type)]));
  const variantsOf = (id: number): Variant[] => {
    const def = (types.get(id)?.['def'] as Json | undefined)?.['variant'] as { variants: Variant[] } | undefined;
    if (def === undefined) throw new Error(`reference type ${id} is not an enum`);
    return def.variants;
  };
  const keepVariants = (id: number, keep: (v: Variant) => boolean) => {
    const def = (types.get(id)?.['def'] as Json)['variant'] as { variants: Variant[] };
    def.variants = def.variants.filter(keep);
  };

  const sorted = [...pallets].sort((a, b) => a.index - b.index);
  const outPallets: Json[] = [];
  const storage = new Map<string, ResolvedStorage>();
  const eventFields = new Map<string, readonly string[]>();
  const pending: Array<{ item: StorageItem; keyIds: number[]; valueId: number; fallback: string | null }> = [];

  for (const p of sorted) {
    const rp = ref.pallets.find((x) => x.name === p.name);
    if (rp === undefined) throw new Error(`pallet ${p.name} is not in the reference runtime`);
    if (rp.index !== p.index) throw new Error(`pallet ${p.name}: index ${p.index}, reference ${rp.index}`);
    const where = (what: string) => `${p.name}.${what}`;

    // Calls
    let calls: Json | null = null;
    if ((p.calls ?? []).length > 0) {
      const id = need(rp.calls, where('calls'));
      const refVariants = variantsOf(id);
      for (const c of p.calls ?? []) {
        const v = refVariants.find((x) => x.name === c.name);
        if (v === undefined) throw new Error(`call ${where(c.name)} is not in the reference`);
        if (v.index !== c.index) throw new Error(`call ${where(c.name)}: index ${c.index}, reference ${v.index}`);
        const refArgs = v.fields.map((f) => `${f.name ?? ''}: ${typeOf(f.type)}`).join(', ');
        const args = c.args.map((a) => `${a.name}: ${a.type}`).join(', ');
        if (refArgs !== args) throw new Error(`call ${where(c.name)}: args (${args}), reference (${refArgs})`);
      }
      const names = new Set((p.calls ?? []).map((c) => c.name));
      keepVariants(id, (v) => names.has(v.name));
      calls = { type: id };
    }

    // Events
    let events: Json | null = null;
    if ((p.events ?? []).length > 0) {
      const id = need(rp.events, where('events'));
      const refVariants = variantsOf(id);
      for (const e of p.events ?? []) {
        const v = refVariants.find((x) => x.name === e.name);
        if (v === undefined) throw new Error(`event ${where(e.name)} is not in the reference`);
        if (v.index !== e.index) throw new Error(`event ${where(e.name)}: index ${e.index}, reference ${v.index}`);
        const refFields = v.fields.map((f) => typeOf(f.type)).join(', ');
        if (refFields !== e.fields.join(', ')) throw new Error(`event ${where(e.name)}: fields (${e.fields.join(', ')}), reference (${refFields})`);
        eventFields.set(`${p.name}.${e.name}`, v.fields.map((f) => `Lookup${f.type}`));
      }
      const names = new Set((p.events ?? []).map((e) => e.name));
      keepVariants(id, (v) => names.has(v.name));
      events = { type: id };
    }

    // Errors
    let errors: Json | null = null;
    if ((p.errors ?? []).length > 0) {
      const id = need(rp.errors, where('errors'));
      const refVariants = variantsOf(id);
      for (const e of p.errors ?? []) {
        const v = refVariants.find((x) => x.name === e.name);
        if (v === undefined) throw new Error(`error ${where(e.name)} is not in the reference`);
        if (v.index !== e.index) throw new Error(`error ${where(e.name)}: index ${e.index}, reference ${v.index}`);
      }
      const names = new Set((p.errors ?? []).map((e) => e.name));
      keepVariants(id, (v) => names.has(v.name));
      errors = { type: id };
    }

    // Storage
    let storageJson: Json | null = null;
    if ((p.storage ?? []).length > 0) {
      const items: Json[] = [];
      for (const s of p.storage ?? []) {
        const ri = rp.storage.find((x) => x.name === s.name);
        if (ri === undefined) throw new Error(`storage ${where(s.name)} is not in the reference`);
        const { keyIds, valueId, hashers } = storageShape(ri, refRegistry);
        if (rp.storagePrefix !== s.pallet) throw new Error(`storage ${where(s.name)}: prefix ${s.pallet}, reference ${rp.storagePrefix ?? '-'}`);
        if (ri.modifier !== s.modifier) throw new Error(`storage ${where(s.name)}: modifier ${s.modifier}, reference ${ri.modifier}`);
        if (hashers.join() !== s.hashers.join()) throw new Error(`storage ${where(s.name)}: hashers ${s.hashers.join()}, reference ${hashers.join()}`);
        const refKeys = keyIds.map(typeOf).join(', ');
        if (refKeys !== s.keys.join(', ')) throw new Error(`storage ${where(s.name)}: keys (${s.keys.join(', ')}), reference (${refKeys})`);
        if (typeOf(valueId) !== s.value) throw new Error(`storage ${where(s.name)}: value ${s.value}, reference ${typeOf(valueId)}`);
        pending.push({ item: s, keyIds, valueId, fallback: s.default === undefined ? ri.fallback : null });
        items.push({ name: s.name, modifier: s.modifier, type: ri.type, fallback: ri.fallback, docs: [] });
      }
      storageJson = { prefix: p.name, items };
    }

    // Constants
    const constants: Json[] = [];
    for (const c of p.constants ?? []) {
      const rc = rp.constants.find((x) => x.name === c.name);
      if (rc === undefined) throw new Error(`constant ${where(c.name)} is not in the reference`);
      if (typeOf(rc.type) !== c.type) throw new Error(`constant ${where(c.name)}: type ${c.type}, reference ${typeOf(rc.type)}`);
      constants.push({ name: c.name, type: rc.type, value: u8aToHex(refRegistry.createType(`Lookup${rc.type}`, c.value).toU8a()), docs: [] });
    }

    outPallets.push({ name: p.name, storage: storageJson, calls, events, constants, errors, index: p.index });
  }

  // The outer enums keep only the declared pallets.
  const declared = new Set(pallets.map((p) => p.name));
  const runtimeCall = paramOf(types, ref.extrinsic.type, 'Call');
  const runtimeEvent = eventEnumId(types, ref);
  keepVariants(runtimeCall, (v) => declared.has(v.name) && pallets.some((p) => p.name === v.name && (p.calls ?? []).length > 0));
  keepVariants(runtimeEvent, (v) => pallets.some((p) => p.name === v.name && (p.events ?? []).length > 0));

  const lookup = { types: [...types.entries()].map(([id, type]) => ({ id, type })) };
  const v14Json = { lookup, pallets: outPallets, extrinsic: ref.extrinsic, type: ref.runtimeType };

  const registry = new TypeRegistry();
  const v14Codec = registry.createType('MetadataV14', v14Json);
  const v14 = u8aConcat(MAGIC, Uint8Array.of(14), v14Codec.toU8a());
  const metadata = new Metadata(registry, v14);
  registry.setMetadata(metadata);

  // Declared defaults need the final registry to encode.
  for (const { item, keyIds, valueId, fallback } of pending) {
    const valueType = `Lookup${valueId}`;
    const bytes = fallback === null ? registry.createType(valueType, item.default).toU8a() : hexBytes(fallback);
    storage.set(`${item.pallet}.${item.name}`, { item, keyTypes: keyIds.map((k) => `Lookup${k}`), valueType, fallback: bytes });
  }

  const v15 = buildV15(registry, v14Json, types, runtimeCall, runtimeEvent);
  return { v14, v15, registry, metadata, storage, eventFields };
}

function storageShape(ri: ReferenceStorageItem, reg: TypeRegistry): { keyIds: number[]; valueId: number; hashers: string[] } {
  if ('plain' in ri.type) return { keyIds: [], valueId: ri.type.plain, hashers: [] };
  const { hashers, key, value } = ri.type.map;
  if (hashers.length === 1) return { keyIds: [key], valueId: value, hashers };
  const tuple = reg.lookup.getSiType(key).def.asTuple.map((t) => t.toNumber());
  return { keyIds: tuple, valueId: value, hashers };
}

function paramOf(types: Map<number, Json>, id: number, name: string): number {
  const params = (types.get(id)?.['params'] ?? []) as Array<{ name: string; type: number | null }>;
  const p = params.find((x) => x.name === name);
  if (p?.type == null) throw new Error(`type ${id} has no parameter ${name}`);
  return p.type;
}

function eventEnumId(types: Map<number, Json>, ref: ReferenceData): number {
  const system = ref.pallets.find((p) => p.name === 'System') as ReferencePallet;
  const eventsStorage = system.storage.find((s) => s.name === 'Events') as ReferenceStorageItem;
  // System.Events: Vec<EventRecord<RuntimeEvent, Hash>>
  const vecId = (eventsStorage.type as { plain: number }).plain;
  const recordId = ((types.get(vecId)?.['def'] as Json)['sequence'] as { type: number }).type;
  return paramOf(types, recordId, 'E');
}

function buildV15(
  registry: TypeRegistry,
  v14Json: { lookup: { types: Array<{ id: number; type: Json }> }; pallets: Json[]; extrinsic: ReferenceData['extrinsic']; type: number },
  types: Map<number, Json>,
  runtimeCall: number,
  runtimeEvent: number,
): Uint8Array {
  // v15 needs a RuntimeError enum, which v14 registries do not carry: append one.
  const errorId = Math.max(...types.keys()) + 1;
  const errorVariants = v14Json.pallets
    .filter((p) => p['errors'] !== null)
    .map((p) => ({
      name: p['name'],
      fields: [{ name: null, type: (p['errors'] as { type: number }).type, typeName: null, docs: [] }],
      index: p['index'],
      docs: [],
    }));
  const lookup = {
    types: [
      ...v14Json.lookup.types,
      { id: errorId, type: { path: ['node_subtensor_runtime', 'RuntimeError'], params: [], def: { variant: { variants: errorVariants } }, docs: [] } },
    ],
  };
  const addressType = paramOf(types, v14Json.extrinsic.type, 'Address');
  const signatureType = paramOf(types, v14Json.extrinsic.type, 'Signature');
  const extraType = paramOf(types, v14Json.extrinsic.type, 'Extra');
  const v15 = registry.createType('MetadataV15', {
    lookup,
    pallets: v14Json.pallets.map((p) => ({ ...p, docs: [] })),
    extrinsic: {
      version: v14Json.extrinsic.version,
      addressType,
      callType: runtimeCall,
      signatureType,
      extraType,
      signedExtensions: v14Json.extrinsic.signedExtensions,
    },
    type: v14Json.type,
    apis: [],
    outerEnums: { callType: runtimeCall, eventType: runtimeEvent, errorType: errorId },
    custom: { map: {} },
  });
  return u8aConcat(MAGIC, Uint8Array.of(15), v15.toU8a());
}

function need(x: number | null, what: string): number {
  if (x === null) throw new Error(`${what}: the reference pallet has none`);
  return x;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}
