import { CrucibleError, isCrucibleError, type Keypair } from '@crucible/core';
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
  /** The signed manifest exactly as uploaded (what a follower keeps and re-verifies). */
  manifestBytes: Uint8Array;
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
  const manifestBytes = encodeManifest(manifest, signer);
  await store.put(manifestKey, manifestBytes, { contentType: 'application/octet-stream', ...deadline });
  return { manifest, manifestKey, paramsKey, bytes: body.length, manifestBytes };
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
  return (await getManifest(store, window))?.signed;
}

/**
 * The manifest of `window` with its bytes, in one GET of its exact key (no HEAD, no listing); undefined
 * when the bucket has no such object. The signature is verified (WIRE_FORMAT when it fails) and the
 * manifest must name the window its key does (CHECKPOINT_INVALID).
 */
export async function getManifest(store: ObjectStore, window: number, options: { timeoutMs?: number } = {}): Promise<{ signed: SignedManifest; bytes: Uint8Array } | undefined> {
  const key = checkpointManifestKey(window);
  let bytes: Uint8Array;
  try {
    bytes = (await store.get(key, { maxBytes: MAX_MANIFEST_BYTES, timeoutMs: options.timeoutMs ?? 30_000 })).body;
  } catch (error) {
    if (isCrucibleError(error, 'STORAGE_NOT_FOUND')) return undefined;
    throw error;
  }
  const signed = decodeManifest(bytes, { maxBytes: MAX_MANIFEST_BYTES });
  if (signed.manifest.window !== window) {
    throw new CrucibleError('CHECKPOINT_INVALID', `manifest at ${key} claims window ${signed.manifest.window}`, { details: { key } });
  }
  return { signed, bytes };
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
