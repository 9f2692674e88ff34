/** Shape of `reference.json`, produced by `generateReference.ts` from the reference metadata. */
export interface ReferenceStorageItem {
  name: string;
  modifier: 'Optional' | 'Default';
  type: { plain: number } | { map: { hashers: string[]; key: number; value: number } };
  fallback: string;
}

export interface ReferencePallet {
  name: string;
  index: number;
  storagePrefix: string | null;
  storage: ReferenceStorageItem[];
  calls: number | null;
  events: number | null;
  errors: number | null;
  constants: Array<{ name: string; type: number; value: string }>;
}

export interface ReferenceData {
  source: string;
  runtimeType: number;
  extrinsic: {
    type: number;
    version: number;
    signedExtensions: Array<{ identifier: string; type: number; additionalSigned: number }>;
  };
  lookup: { types: Array<{ id: number; type: Record<string, unknown> }> };
  pallets: ReferencePallet[];
}
