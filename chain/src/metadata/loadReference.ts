import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReferenceData } from './referenceData.js';

let cached: ReferenceData | undefined;

/**
 * The reference type registry and item type ids (generated from subtensor's spec-233 metadata by
 * generateReference.ts). Read from src/metadata/reference.json, or dist/metadata/reference.json in a build.
 */
export function loadReference(): ReferenceData {
  if (cached !== undefined) return cached;
  const here = fileURLToPath(new URL('./reference.json', import.meta.url));
  cached = JSON.parse(readFileSync(here, 'utf8')) as ReferenceData;
  return cached;
}
