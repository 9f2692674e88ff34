import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { CrucibleError } from '@crucible/core';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import type { DecodedSafetensors, DecodeOptions, TensorInput } from './safetensors.js';

/** Reads and validates a safetensors file (see decodeSafetensors). */
export async function readSafetensorsFile(path: string, options: DecodeOptions = {}): Promise<DecodedSafetensors> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new CrucibleError('CHECKPOINT_INVALID', `cannot read checkpoint ${path}`, { cause, details: { path } });
  }
  return decodeSafetensors(bytes, options);
}

/** Writes a safetensors file atomically (temporary file in the same directory, then rename). */
export async function writeSafetensorsFile(
  path: string,
  tensors: TensorInput,
  metadata: Readonly<Record<string, string>> = {},
): Promise<void> {
  const bytes = encodeSafetensors(tensors, metadata);
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (cause) {
    await rm(temporary, { force: true });
    throw new CrucibleError('MODEL', `cannot write checkpoint ${path}`, { cause, details: { path } });
  }
}
