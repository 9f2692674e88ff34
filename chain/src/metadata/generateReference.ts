/**
 * Regenerates the two committed files derived from Bittensor's reference metadata (spec 233):
 *
 * - `src/metadata/reference.json`: the portable type registry (docs stripped) plus, per pallet, the
 *   type ids of its call/event/error enums, storage items and constants. The metadata builder reads type
 *   definitions from here by item name; which items exist is decided by the pallet declarations.
 * - `test-fixtures/reference-interface.json`: a readable description of every pallet item (names,
 *   indices, hashers, SCALE type strings, constant values) that the comparison test checks the served
 *   metadata against.
 *
 * Usage: `npx tsx chain/src/metadata/generateReference.ts <path to the .metadata.hex>`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { describeMetadata } from './describeMetadata.js';
import type { ReferenceData } from './referenceData.js';

function main(): void {
  const hexPath = process.argv[2];
  if (hexPath === undefined) throw new Error('usage: generateReference.ts <metadata.hex>');
  const hex = readFileSync(hexPath, 'utf8').trim();
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, hex as `0x${string}`);
  registry.setMetadata(metadata);
  const v14 = metadata.asV14;
  const lookup = v14.lookup.toJSON() as { types: Array<{ id: number; type: Record<string, unknown> }> };
  for (const t of lookup.types) stripDocs(t.type);
  const data: ReferenceData = {
    source: 'subtensor testnet metadata v14, specName node-subtensor, specVersion 233',
    runtimeType: v14.type.toNumber(),
    extrinsic: v14.extrinsic.toJSON() as ReferenceData['extrinsic'],
    lookup,
    pallets: v14.pallets.map((p) => ({
      name: p.name.toString(),
      index: p.index.toNumber(),
      storagePrefix: p.storage.isSome ? p.storage.unwrap().prefix.toString() : null,
      storage: p.storage.isSome
        ? p.storage.unwrap().items.map((i) => {
            const j = i.toJSON() as Record<string, unknown>;
            delete j['docs'];
            return j as unknown as ReferenceData['pallets'][number]['storage'][number];
          })
        : [],
      calls: p.calls.isSome ? p.calls.unwrap().type.toNumber() : null,
      events: p.events.isSome ? p.events.unwrap().type.toNumber() : null,
      errors: p.errors.isSome ? p.errors.unwrap().type.toNumber() : null,
      constants: p.constants.map((c) => ({ name: c.name.toString(), type: c.type.toNumber(), value: c.value.toHex() })),
    })),
  };
  const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
  writeFileSync(here('./reference.json'), JSON.stringify(data));
  writeFileSync(here('../../test-fixtures/reference-interface.json'), JSON.stringify(describeMetadata(registry, v14), null, 1) + '\n');
}

function stripDocs(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) stripDocs(n);
  } else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ('docs' in o) o['docs'] = [];
    for (const v of Object.values(o)) stripDocs(v);
  }
}

main();
