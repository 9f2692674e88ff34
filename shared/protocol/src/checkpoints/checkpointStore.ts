import { CrucibleError, type Keypair } from '@crucible/core';
import { decodeCheckpoint, encodeCheckpoint, hashCheckpoint, type Checkpoint } from '@crucible/model';
import { checkpointManifestKey, checkpointParamsKey, type ObjectStore } from '@crucible/storage';
import { decodeManifest, encodeManifest, type Manifest, type SignedManifest } from './manifest.js';

/**
 * Publishing and fetching checkpoints: `checkpoints/<window>/params.safetensors` and
 * `checkpoints/<window>/manifest.crm` (the signed manifest) in the signer's bucket. The manifest is
 * uploaded last, so a reader that finds a manifest finds its parameters.
 */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface PublishedCheckpoint {
  manifest: Manifest;
  manifestKey: string;
  paramsKey: string;
  bytes: number;
}

export async function publishCheckpoint(
  store: ObjectStore,
  checkpoint: Checkpoint,
  fields: Omit<Manifest, 'paramsHash' | 'paramsKey' | 'paramsBytes' | 'createdAt'>,
  signer: Keypair,
  options: { deadlineMs?: number } = {},
): Promise<PublishedCheckpoint> {
  const body = encodeCheckpoint(checkpoint);
  const paramsKey = checkpointParamsKey(fields.window);
  const manifest: Manifest = { ...fields, paramsHash: hashCheckpoint(checkpoint), paramsKey, paramsBytes: body.length, createdAt: new Date().toISOString() };
  const deadline = options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {};
  await store.put(paramsKey, body, { contentType: 'application/octet-stream', ...deadline });
  const manifestKey = checkpointManifestKey(fields.window);
  await store.put(manifestKey, encodeManifest(manifest, signer), { contentType: 'application/octet-stream', ...deadline });
  return { manifest, manifestKey, paramsKey, bytes: body.length };
}

/** The windows that have a manifest in `store`, ascending. */
export async function listCheckpointWindows(store: ObjectStore): Promise<number[]> {
  const objects = await store.list('checkpoints/');
  const windows = new Set<number>();
  for (const o of objects) {
    const m = /^checkpoints\/(\d{1,15})\/manifest\.crm$/.exec(o.key);
    if (m) windows.add(Number(m[1]));
  }
  return [...windows].sort((a, b) => a - b);
}

/** Downloads and verifies the signature of the manifest for `window`; undefined when there is none. */
export async function fetchManifest(store: ObjectStore, window: number): Promise<SignedManifest | undefined> {
  const key = checkpointManifestKey(window);
  if (!(await store.head(key))) return undefined;
  const object = await store.get(key, { maxBytes: MAX_MANIFEST_BYTES, timeoutMs: 30_000 });
  const signed = decodeManifest(object.body);
  if (signed.manifest.window !== window) {
    throw new CrucibleError('CHECKPOINT_INVALID', `manifest at ${key} claims window ${signed.manifest.window}`, { details: { key } });
  }
  return signed;
}

/**
 * Downloads a manifest's parameters and checks them against it: size, content hash and model shape.
 * The caller has already decided the manifest's signer is the right one.
 */
export async function fetchParams(store: ObjectStore, manifest: Manifest, options: { timeoutMs?: number } = {}): Promise<Checkpoint> {
  const object = await store.get(manifest.paramsKey, { maxBytes: manifest.paramsBytes, timeoutMs: options.timeoutMs ?? 120_000 });
  if (object.body.length !== manifest.paramsBytes) {
    throw new CrucibleError('CHECKPOINT_INVALID', `parameters are ${object.body.length} bytes, the manifest says ${manifest.paramsBytes}`);
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = decodeCheckpoint(object.body);
  } catch (cause) {
    throw new CrucibleError('CHECKPOINT_INVALID', `parameters of window ${manifest.window} are not a valid checkpoint`, { cause });
  }
  const actual = hashCheckpoint(checkpoint);
  if (actual !== manifest.paramsHash) {
    throw new CrucibleError('CHECKPOINT_INVALID', `parameters of window ${manifest.window} hash to ${actual}, the manifest says ${manifest.paramsHash}`, {
      details: { window: manifest.window, actual, expected: manifest.paramsHash },
    });
  }
  const model = manifest.run.model;
  const c = checkpoint.config;
  if (c.nLayer !== model.nLayer || c.nEmbd !== model.nEmbd || c.nHead !== model.nHead || c.blockSize !== model.blockSize) {
    throw new CrucibleError('CHECKPOINT_INVALID', `parameters of window ${manifest.window} have a different model shape than the run configuration`);
  }
  return checkpoint;
}
