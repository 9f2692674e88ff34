/**
 * Shape of the reference runtime's metadata (subtensor finney spec 424, metadata V16) as
 * `MetadataV16.toJSON()` gives it. The devnet's metadata is this document with the items it does not
 * serve taken out; see buildMetadata.ts.
 */
export type Json = Record<string, unknown>;

export type DeprecationInfo = Json;

export interface ReferenceStorageItem {
  name: string;
  modifier: 'Optional' | 'Default';
  type: { plain: number } | { map: { hashers: string[]; key: number; value: number } };
  fallback: string;
  docs: string[];
  deprecationInfo: DeprecationInfo;
}

export interface ReferenceConstant {
  name: string;
  type: number;
  value: string;
  docs: string[];
  deprecationInfo: DeprecationInfo;
}

/** `calls`, `events`, `errors` of a V16 pallet: the enum type and per-variant deprecation (by index). */
export interface ReferenceEnumRef {
  type: number;
  deprecationInfo: Record<string, unknown>;
}

export interface ReferencePallet {
  name: string;
  index: number;
  storage: { prefix: string; items: ReferenceStorageItem[] } | null;
  calls: ReferenceEnumRef | null;
  events: ReferenceEnumRef | null;
  constants: ReferenceConstant[];
  errors: ReferenceEnumRef | null;
  associatedTypes: Json[];
  viewFunctions: Json[];
  docs: string[];
  deprecationInfo: DeprecationInfo;
}

export interface ReferenceTransactionExtension {
  identifier: string;
  type: number;
  implicit: number;
}

export interface ReferenceApiMethod {
  name: string;
  inputs: Array<{ name: string; type: number }>;
  output: number;
  docs: string[];
  deprecationInfo: DeprecationInfo;
}

export interface ReferenceApi {
  name: string;
  methods: ReferenceApiMethod[];
  docs: string[];
  version: number;
  deprecationInfo: DeprecationInfo;
}

export interface ReferenceMetadataV16 {
  lookup: { types: Array<{ id: number; type: Json }> };
  pallets: ReferencePallet[];
  extrinsic: {
    versions: string;
    addressType: number;
    callType: number;
    signatureType: number;
    transactionExtensionsByVersion: Record<string, number[]>;
    transactionExtensions: ReferenceTransactionExtension[];
  };
  apis: ReferenceApi[];
  outerEnums: { callType: number; eventType: number; errorType: number };
  custom: { map: Json };
}

export interface ReferenceData {
  /** What the reference is (file, runtime, spec version). */
  readonly source: string;
  readonly v16: ReferenceMetadataV16;
  /** `node_subtensor_runtime::Runtime`: the `type` field of V14 and V15. */
  readonly runtimeType: number;
  /** The runtime's `UncheckedExtrinsic`: V14's `extrinsic.type`. */
  readonly uncheckedExtrinsicType: number;
  /** The tuple of transaction-extension types: V15's `extrinsic.extraType`. */
  readonly extraType: number;
}
