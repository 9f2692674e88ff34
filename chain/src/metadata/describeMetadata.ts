import type { MetadataV14 } from '@polkadot/types/interfaces';
import type { Registry } from '@polkadot/types/types';

/** A readable, type-id-free description of a runtime's interface, used to compare two metadata blobs. */
export interface InterfaceDescription {
  signedExtensions: Array<{ identifier: string; extra: string; additionalSigned: string }>;
  pallets: PalletDescription[];
}

export interface PalletDescription {
  name: string;
  index: number;
  calls: Array<{ index: number; name: string; args: Array<{ name: string; type: string }> }>;
  storage: Array<{ name: string; prefix: string; modifier: string; hashers: string[]; keys: string; value: string; fallback: string }>;
  events: Array<{ index: number; name: string; fields: Array<{ name: string | null; type: string }> }>;
  errors: Array<{ index: number; name: string }>;
  constants: Array<{ name: string; type: string; value: string }>;
}

/** Describes every pallet item of `v14` with SCALE type strings as @polkadot/types prints them. */
export function describeMetadata(registry: Registry, v14: MetadataV14): InterfaceDescription {
  const typeOf = (id: { toNumber(): number } | number) => registry.lookup.getTypeDef(typeof id === 'number' ? id : id.toNumber()).type;
  const variants = (id: number) => registry.lookup.getSiType(id).def.asVariant.variants;
  return {
    signedExtensions: v14.extrinsic.signedExtensions.map((e) => ({
      identifier: e.identifier.toString(),
      extra: typeOf(e.type),
      additionalSigned: typeOf(e.additionalSigned),
    })),
    pallets: v14.pallets.map((p) => {
      const storage = p.storage.isSome ? p.storage.unwrap() : undefined;
      return {
        name: p.name.toString(),
        index: p.index.toNumber(),
        calls: p.calls.isSome
          ? variants(p.calls.unwrap().type.toNumber()).map((v) => ({
              index: v.index.toNumber(),
              name: v.name.toString(),
              args: v.fields.map((f) => ({ name: f.name.unwrapOr('').toString(), type: typeOf(f.type) })),
            }))
          : [],
        storage: (storage?.items ?? []).map((i) => ({
          name: i.name.toString(),
          prefix: storage?.prefix.toString() ?? '',
          modifier: i.modifier.toString(),
          hashers: i.type.isMap ? i.type.asMap.hashers.map((h) => h.toString()) : [],
          keys: i.type.isMap ? typeOf(i.type.asMap.key) : '',
          value: typeOf(i.type.isMap ? i.type.asMap.value : i.type.asPlain),
          fallback: i.fallback.toHex(),
        })),
        events: p.events.isSome
          ? variants(p.events.unwrap().type.toNumber()).map((v) => ({
              index: v.index.toNumber(),
              name: v.name.toString(),
              fields: v.fields.map((f) => ({ name: f.name.isSome ? f.name.unwrap().toString() : null, type: typeOf(f.type) })),
            }))
          : [],
        errors: p.errors.isSome
          ? variants(p.errors.unwrap().type.toNumber()).map((v) => ({ index: v.index.toNumber(), name: v.name.toString() }))
          : [],
        constants: p.constants.map((c) => ({ name: c.name.toString(), type: typeOf(c.type), value: c.value.toHex() })),
      };
    }),
  };
}
