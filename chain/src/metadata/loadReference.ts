import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Metadata, TypeRegistry } from '@polkadot/types';
import type { ReferenceData, ReferenceMetadataV16 } from './referenceData.js';

/** The committed copy of finney's spec-424 metadata (see generateReference.ts). */
export const REFERENCE_FILE = 'subtensor-finney-spec424.metadata.scale';

/** chain/test-fixtures, from src/metadata (tsx, vitest) and from dist/metadata (the build) alike. */
export function referencePath(): string {
  return fileURLToPath(new URL(`../../test-fixtures/${REFERENCE_FILE}`, import.meta.url));
}

let cached: ReferenceData | undefined;

/**
 * The reference runtime's metadata, decoded once per process (~0.5 s). Every pallet item the devnet
 * serves takes its type definition, docs and constant value from here.
 */
export function loadReference(): ReferenceData {
  if (cached !== undefined) return cached;
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, readFileSync(referencePath()));
  if (metadata.version !== 16) throw new Error(`${REFERENCE_FILE}: metadata V${metadata.version}, expected V16`);
  const v16 = metadata.asV16.toJSON() as unknown as ReferenceMetadataV16;
  const byPath = (path: string): number => {
    const found = v16.lookup.types.find((t) => ((t.type['path'] as string[] | undefined) ?? []).join('::') === path);
    if (found === undefined) throw new Error(`${REFERENCE_FILE}: no type ${path}`);
    return found.id;
  };
  const uncheckedExtrinsicType = byPath('fp_self_contained::unchecked_extrinsic::UncheckedExtrinsic');
  const params = v16.lookup.types[uncheckedExtrinsicType]?.type['params'] as Array<{ name: string; type: number }>;
  const extraType = params.find((p) => p.name === 'Extension' || p.name === 'Extra')?.type;
  if (extraType === undefined) throw new Error(`${REFERENCE_FILE}: the extrinsic type has no extension parameter`);
  cached = {
    source: `${REFERENCE_FILE} (finney, node-subtensor spec 424, metadata V16)`,
    v16,
    runtimeType: byPath('node_subtensor_runtime::Runtime'),
    uncheckedExtrinsicType,
    extraType,
  };
  return cached;
}
