import type { Metadata } from '@polkadot/types';
import type { Registry } from '@polkadot/types/types';

/**
 * A readable, type-id-free description of a runtime's interface, used to compare two metadata
 * documents item by item (the devnet's served V14 / V15 / V16 against the reference fixture).
 */
export interface InterfaceDescription {
  version: number;
  extensions: Array<{ identifier: string; extra: string; implicit: string }>;
  pallets: PalletDescription[];
  /** V15 and V16 only. */
  apis: ApiDescription[];
}

export interface PalletDescription {
  name: string;
  index: number;
  docs: string[];
  calls: ItemDescription[];
  storage: ItemDescription[];
  events: ItemDescription[];
  errors: ItemDescription[];
  constants: ItemDescription[];
}

/** Every kind of item has a name; the rest of its description is compared as a whole. */
export interface ItemDescription {
  name: string;
  [field: string]: unknown;
}

export interface ApiDescription {
  name: string;
  version: number | null;
  docs: string[];
  methods: ItemDescription[];
}

interface Variants {
  variants: Array<{ index: { toNumber(): number }; name: { toString(): string }; fields: Array<{ name: { isSome: boolean; unwrap(): { toString(): string } }; type: { toNumber(): number } }>; docs: Array<{ toString(): string }> }>;
}

/** Describes every pallet item (and, from V15, every runtime API) of `metadata`, with type strings from `registry`. */
export function describeMetadata(registry: Registry, metadata: Metadata): InterfaceDescription {
  const version = metadata.version;
  const typeOf = (id: { toNumber(): number } | number) => registry.lookup.getTypeDef(typeof id === 'number' ? id : id.toNumber()).type;
  const docsOf = (docs: ReadonlyArray<{ toString(): string }>) => docs.map((d) => d.toString());
  const variants = (id: number, deprecation: Record<string, unknown> = {}) =>
    (registry.lookup.getSiType(id).def.asVariant as unknown as Variants).variants.map((v) => ({
      name: v.name.toString(),
      index: v.index.toNumber(),
      fields: v.fields.map((f) => ({ name: f.name.isSome ? f.name.unwrap().toString() : null, type: typeOf(f.type) })),
      docs: docsOf(v.docs),
      ...(version >= 16 ? { deprecation: deprecation[String(v.index.toNumber())] ?? null } : {}),
    }));
  const deprecationOf = (x: unknown) => (version >= 16 ? { deprecation: (x as { toJSON(): unknown }).toJSON() } : {});

  const latest = (version === 14 ? metadata.asV14 : version === 15 ? metadata.asV15 : metadata.asV16) as unknown as Latest;
  const pallets = latest.pallets.map((p): PalletDescription => {
    const enumOf = (x: Latest['pallets'][number]['calls']) => {
      if (x.isNone) return [];
      const inner = x.unwrap();
      const dep = version >= 16 ? ((inner.deprecationInfo?.toJSON() ?? {}) as Record<string, unknown>) : {};
      return variants(inner.type.toNumber(), dep);
    };
    const storage = p.storage.isSome ? p.storage.unwrap() : undefined;
    return {
      name: p.name.toString(),
      index: p.index.toNumber(),
      docs: version >= 15 ? docsOf(p.docs ?? []) : [],
      calls: enumOf(p.calls),
      events: enumOf(p.events),
      errors: enumOf(p.errors),
      storage: (storage?.items ?? []).map((i) => ({
        name: i.name.toString(),
        prefix: storage?.prefix.toString() ?? '',
        modifier: i.modifier.toString(),
        hashers: i.type.isMap ? i.type.asMap.hashers.map((h) => h.toString()) : [],
        keys: i.type.isMap ? typeOf(i.type.asMap.key) : '',
        value: typeOf(i.type.isMap ? i.type.asMap.value : i.type.asPlain),
        fallback: i.fallback.toHex(),
        docs: docsOf(i.docs),
        ...deprecationOf(i.deprecationInfo),
      })),
      constants: p.constants.map((c) => ({ name: c.name.toString(), type: typeOf(c.type), value: c.value.toHex(), docs: docsOf(c.docs), ...deprecationOf(c.deprecationInfo) })),
    };
  });

  const ext = latest.extrinsic;
  const extensions =
    version >= 16
      ? (ext.transactionExtensions ?? []).map((e) => ({ identifier: e.identifier.toString(), extra: typeOf(e.type), implicit: typeOf(e.implicit as never) }))
      : (ext.signedExtensions ?? []).map((e) => ({ identifier: e.identifier.toString(), extra: typeOf(e.type), implicit: typeOf(e.additionalSigned as never) }));

  const apis =
    version >= 15
      ? (latest.apis ?? []).map((a) => ({
          name: a.name.toString(),
          version: version >= 16 ? (a.version?.toNumber() ?? null) : null,
          docs: docsOf(a.docs),
          methods: a.methods.map((m) => ({
            name: m.name.toString(),
            inputs: m.inputs.map((i) => ({ name: i.name.toString(), type: typeOf(i.type) })),
            output: typeOf(m.output),
            docs: docsOf(m.docs),
            ...deprecationOf(m.deprecationInfo),
          })),
        }))
      : [];
  return { version, extensions, pallets, apis };
}

/** The parts of MetadataV14/V15/V16 read above (fields absent from a version are optional). */
interface Num {
  toNumber(): number;
}
interface Str {
  toString(): string;
}
interface Opt<T> {
  isSome: boolean;
  isNone: boolean;
  unwrap(): T;
}
interface JsonCodec {
  toJSON(): unknown;
}
interface Latest {
  pallets: Array<{
    name: Str;
    index: Num;
    docs?: Str[];
    calls: Opt<{ type: Num; deprecationInfo?: JsonCodec }>;
    events: Opt<{ type: Num; deprecationInfo?: JsonCodec }>;
    errors: Opt<{ type: Num; deprecationInfo?: JsonCodec }>;
    storage: Opt<{
      prefix: Str;
      items: Array<{
        name: Str;
        modifier: Str;
        type: { isMap: boolean; asMap: { hashers: Str[]; key: Num; value: Num }; asPlain: Num };
        fallback: { toHex(): string };
        docs: Str[];
        deprecationInfo?: JsonCodec;
      }>;
    }>;
    constants: Array<{ name: Str; type: Num; value: { toHex(): string }; docs: Str[]; deprecationInfo?: JsonCodec }>;
  }>;
  extrinsic: {
    signedExtensions?: Array<{ identifier: Str; type: Num; additionalSigned: Num }>;
    transactionExtensions?: Array<{ identifier: Str; type: Num; implicit: Num }>;
  };
  apis?: Array<{
    name: Str;
    version?: Num;
    docs: Str[];
    methods: Array<{ name: Str; inputs: Array<{ name: Str; type: Num }>; output: Num; docs: Str[]; deprecationInfo?: JsonCodec }>;
  }>;
}
