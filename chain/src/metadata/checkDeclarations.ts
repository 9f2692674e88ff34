/**
 * Checks one pallet declaration against the reference pallet: call, event and error indices and types,
 * storage prefixes, modifiers, hashers, key and value types, constant types and values. Any difference
 * throws, naming the item, so the devnet cannot start with an interface that is not subtensor's.
 */
import type { PalletDecl, StorageItem } from '../runtime/pallet.js';
import type { ReferencePallet, ReferenceStorageItem } from './referenceData.js';

export interface Checker {
  /** The type string @polkadot/types prints for a reference type id. */
  typeOf(id: number): string;
  variantsOf(id: number): Array<{ name: string; index: number; fields?: Array<{ name: string | null; type: number }> }>;
  /** The element type ids of a tuple type (the key of a multi-key map). */
  tupleOf(id: number): number[];
  /** Hex SCALE encoding of a JS value as the reference type `id`. */
  encode(id: number, value: unknown): string;
}

export interface CheckedPallet {
  readonly storage: Array<{ item: StorageItem; keyIds: number[]; valueId: number; fallback: string | null }>;
  /** Field type ids of each declared event, by name. */
  readonly eventFields: ReadonlyMap<string, number[]>;
}

export function checkPallet(p: PalletDecl, rp: ReferencePallet, c: Checker): CheckedPallet {
  const where = (what: string) => `${p.name}.${what}`;
  const need = (x: { type: number } | null, what: string): number => {
    if (x === null) throw new Error(`${where(what)}: the reference pallet has none`);
    return x.type;
  };

  if ((p.calls ?? []).length > 0) {
    const refVariants = c.variantsOf(need(rp.calls, 'calls'));
    for (const call of p.calls ?? []) {
      const v = refVariants.find((x) => x.name === call.name);
      if (v === undefined) throw new Error(`call ${where(call.name)} is not in the reference`);
      if (v.index !== call.index) throw new Error(`call ${where(call.name)}: index ${call.index}, reference ${v.index}`);
      const refArgs = (v.fields ?? []).map((f) => `${f.name ?? ''}: ${c.typeOf(f.type)}`).join(', ');
      const args = call.args.map((a) => `${a.name}: ${a.type}`).join(', ');
      if (refArgs !== args) throw new Error(`call ${where(call.name)}: args (${args}), reference (${refArgs})`);
    }
  }

  const eventFields = new Map<string, number[]>();
  if ((p.events ?? []).length > 0) {
    const refVariants = c.variantsOf(need(rp.events, 'events'));
    for (const e of p.events ?? []) {
      const v = refVariants.find((x) => x.name === e.name);
      if (v === undefined) throw new Error(`event ${where(e.name)} is not in the reference`);
      if (v.index !== e.index) throw new Error(`event ${where(e.name)}: index ${e.index}, reference ${v.index}`);
      const refFields = (v.fields ?? []).map((f) => c.typeOf(f.type)).join(', ');
      if (refFields !== e.fields.join(', ')) throw new Error(`event ${where(e.name)}: fields (${e.fields.join(', ')}), reference (${refFields})`);
      eventFields.set(e.name, (v.fields ?? []).map((f) => f.type));
    }
  }

  if ((p.errors ?? []).length > 0) {
    const refVariants = c.variantsOf(need(rp.errors, 'errors'));
    for (const e of p.errors ?? []) {
      const v = refVariants.find((x) => x.name === e.name);
      if (v === undefined) throw new Error(`error ${where(e.name)} is not in the reference`);
      if (v.index !== e.index) throw new Error(`error ${where(e.name)}: index ${e.index}, reference ${v.index}`);
    }
  }

  const storage: CheckedPallet['storage'] = [];
  for (const s of p.storage ?? []) {
    const ri = rp.storage?.items.find((x) => x.name === s.name);
    if (ri === undefined) throw new Error(`storage ${where(s.name)} is not in the reference`);
    const { keyIds, valueId, hashers } = storageShape(ri, c);
    if (rp.storage?.prefix !== s.pallet) throw new Error(`storage ${where(s.name)}: prefix ${s.pallet}, reference ${rp.storage?.prefix ?? '-'}`);
    if (ri.modifier !== s.modifier) throw new Error(`storage ${where(s.name)}: modifier ${s.modifier}, reference ${ri.modifier}`);
    if (hashers.join() !== s.hashers.join()) throw new Error(`storage ${where(s.name)}: hashers ${s.hashers.join()}, reference ${hashers.join()}`);
    const refKeys = keyIds.map((k) => c.typeOf(k)).join(', ');
    if (refKeys !== s.keys.join(', ')) throw new Error(`storage ${where(s.name)}: keys (${s.keys.join(', ')}), reference (${refKeys})`);
    if (c.typeOf(valueId) !== s.value) throw new Error(`storage ${where(s.name)}: value ${s.value}, reference ${c.typeOf(valueId)}`);
    storage.push({ item: s, keyIds, valueId, fallback: s.default === undefined ? ri.fallback : null });
  }

  for (const k of p.constants ?? []) {
    const rc = rp.constants.find((x) => x.name === k.name);
    if (rc === undefined) throw new Error(`constant ${where(k.name)} is not in the reference`);
    if (c.typeOf(rc.type) !== k.type) throw new Error(`constant ${where(k.name)}: type ${k.type}, reference ${c.typeOf(rc.type)}`);
    const value = c.encode(rc.type, k.value);
    if (value !== rc.value) throw new Error(`constant ${where(k.name)}: value ${value}, reference ${rc.value}`);
  }
  return { storage, eventFields };
}

function storageShape(ri: ReferenceStorageItem, c: Checker): { keyIds: number[]; valueId: number; hashers: string[] } {
  if ('plain' in ri.type) return { keyIds: [], valueId: ri.type.plain, hashers: [] };
  const { hashers, key, value } = ri.type.map;
  if (hashers.length === 1) return { keyIds: [key], valueId: value, hashers };
  // A multi-key map's key is a tuple type: "(u16,AccountId32)".
  return { keyIds: c.tupleOf(key), valueId: value, hashers };
}
