/** Prints the "not served" section of chain/README.md: `npm run describe:unserved -w chain`. */
import { readFileSync } from 'node:fs';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { runtimePallets } from '../runtime/pallets.js';
import { servedApis } from '../runtimeApis/index.js';
import { buildMetadata } from './buildMetadata.js';
import { describeMetadata, type InterfaceDescription } from './describeMetadata.js';
import { loadReference, referencePath } from './loadReference.js';
import { unservedMarkdown } from './unserved.js';

export function describeBytes(bytes: Uint8Array): InterfaceDescription {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, bytes);
  registry.setMetadata(metadata, undefined, undefined, true);
  return describeMetadata(registry, metadata);
}

export function currentUnservedMarkdown(): string {
  const served = describeBytes(buildMetadata(runtimePallets, loadReference(), servedApis()).v16);
  return unservedMarkdown(describeBytes(readFileSync(referencePath())), served);
}

if (process.argv[1]?.endsWith('printUnserved.ts')) process.stdout.write(currentUnservedMarkdown() + '\n');
