/**
 * V15 and V14 from the served V16 document, as a Substrate node derives them from its metadata IR:
 * the same type registry and pallets, without V16's deprecation notes, associated types and view
 * functions; V16's transaction extensions (version 0) become V14/V15 signed extensions, with the
 * implicit type as `additionalSigned`; V15 keeps the runtime APIs (without versions), V14 has none.
 */
import type { Json, ReferenceData, ReferenceMetadataV16, ReferencePallet } from './referenceData.js';

/** The lowest extrinsic version the runtime accepts (V16 lists [4, 5]). */
const LEGACY_EXTRINSIC_VERSION = 4;

function signedExtensions(v16: ReferenceMetadataV16): Json[] {
  const byVersion = v16.extrinsic.transactionExtensionsByVersion['0'] ?? v16.extrinsic.transactionExtensions.map((_, i) => i);
  return byVersion.map((i) => {
    const e = v16.extrinsic.transactionExtensions[i];
    if (e === undefined) throw new Error(`transaction extension ${i} is not listed`);
    return { identifier: e.identifier, type: e.type, additionalSigned: e.implicit };
  });
}

function pallet(p: ReferencePallet, withDocs: boolean): Json {
  const out: Json = {
    name: p.name,
    storage:
      p.storage === null
        ? null
        : { prefix: p.storage.prefix, items: p.storage.items.map(({ name, modifier, type, fallback, docs }) => ({ name, modifier, type, fallback, docs })) },
    calls: p.calls === null ? null : { type: p.calls.type },
    events: p.events === null ? null : { type: p.events.type },
    constants: p.constants.map(({ name, type, value, docs }) => ({ name, type, value, docs })),
    errors: p.errors === null ? null : { type: p.errors.type },
    index: p.index,
  };
  if (withDocs) out['docs'] = p.docs;
  return out;
}

export function toV15(v16: ReferenceMetadataV16, ref: ReferenceData): Json {
  return {
    lookup: v16.lookup,
    pallets: v16.pallets.map((p) => pallet(p, true)),
    extrinsic: {
      version: LEGACY_EXTRINSIC_VERSION,
      addressType: v16.extrinsic.addressType,
      callType: v16.extrinsic.callType,
      signatureType: v16.extrinsic.signatureType,
      extraType: ref.extraType,
      signedExtensions: signedExtensions(v16),
    },
    type: ref.runtimeType,
    apis: v16.apis.map((a) => ({
      name: a.name,
      methods: a.methods.map(({ name, inputs, output, docs }) => ({ name, inputs, output, docs })),
      docs: a.docs,
    })),
    outerEnums: v16.outerEnums,
    custom: { map: {} },
  };
}

export function toV14(v16: ReferenceMetadataV16, ref: ReferenceData): Json {
  return {
    lookup: v16.lookup,
    pallets: v16.pallets.map((p) => pallet(p, false)),
    extrinsic: { type: ref.uncheckedExtrinsicType, version: LEGACY_EXTRINSIC_VERSION, signedExtensions: signedExtensions(v16) },
    type: ref.runtimeType,
  };
}
