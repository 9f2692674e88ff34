import { CrucibleError } from '@crucible/core';

/**
 * Every object key Crucible reads or writes is built here, nowhere else:
 *   gradients/<window>/<hotkey>.crs          a miner's sealed update for a window (before the deadline)
 *   gradients/<window>/<hotkey>.key          the key that opens it (revealed after the deadline)
 *   checkpoints/<window>/manifest.crm        a checkpoint's signed manifest
 *   checkpoints/<window>/params.safetensors  its parameters
 *   datasets/<name>/manifest.json            a tokenized dataset's manifest (pinned by its hash)
 *   datasets/<name>/shards/<index>.crds      its shards, index 0.. in manifest order
 * Windows and shard indices are written in decimal without padding: keys are parsed, never compared as
 * strings.
 */
export const GRADIENTS_PREFIX = 'gradients/';
export const CHECKPOINTS_PREFIX = 'checkpoints/';
export const DATASETS_PREFIX = 'datasets/';
export const GRADIENT_EXTENSION = 'crs';
export const SEAL_KEY_EXTENSION = 'key';
export const CHECKPOINT_MANIFEST_FILE = 'manifest.crm';
export const CHECKPOINT_PARAMS_FILE = 'params.safetensors';
export const DATASET_MANIFEST_FILE = 'manifest.json';
export const DATASET_SHARD_EXTENSION = 'crds';

const segment = /^[A-Za-z0-9._-]+$/;

function checkWindow(window: number, what = 'window'): void {
  if (!Number.isSafeInteger(window) || window < 0) {
    throw new CrucibleError('STORAGE', `${what} must be a non-negative integer, got ${window}`, { details: { [what]: window } });
  }
}

function checkSegment(kind: string, value: string): void {
  if (!segment.test(value) || value === '.' || value === '..') {
    throw new CrucibleError('STORAGE', `${kind} "${value}" is not a safe key segment`, { details: { [kind]: value } });
  }
}

export function gradientsWindowPrefix(window: number): string {
  checkWindow(window);
  return `${GRADIENTS_PREFIX}${window}/`;
}

export function gradientKey(window: number, hotkey: string, ext: string = GRADIENT_EXTENSION): string {
  checkSegment('hotkey', hotkey);
  checkSegment('ext', ext);
  return `${gradientsWindowPrefix(window)}${hotkey}.${ext}`;
}

/** Where a miner's sealed update for `window` is. */
export function sealedUpdateKey(window: number, hotkey: string): string {
  return gradientKey(window, hotkey, GRADIENT_EXTENSION);
}

/** Where the key that opens it is revealed. */
export function sealKeyKey(window: number, hotkey: string): string {
  return gradientKey(window, hotkey, SEAL_KEY_EXTENSION);
}

export function checkpointsWindowPrefix(window: number): string {
  checkWindow(window);
  return `${CHECKPOINTS_PREFIX}${window}/`;
}

export function checkpointKey(window: number, file: string): string {
  checkSegment('file', file);
  return `${checkpointsWindowPrefix(window)}${file}`;
}

export function checkpointManifestKey(window: number): string {
  return checkpointKey(window, CHECKPOINT_MANIFEST_FILE);
}

export function checkpointParamsKey(window: number): string {
  return checkpointKey(window, CHECKPOINT_PARAMS_FILE);
}

/** The folder of a dataset; `name` is one safe key segment (letters, digits, '.', '_', '-'). */
export function datasetPrefix(name: string): string {
  checkSegment('dataset', name);
  return `${DATASETS_PREFIX}${name}/`;
}

export function datasetManifestKey(name: string): string {
  return `${datasetPrefix(name)}${DATASET_MANIFEST_FILE}`;
}

export function datasetShardKey(name: string, index: number): string {
  checkWindow(index, 'shard');
  return `${datasetPrefix(name)}shards/${index}.${DATASET_SHARD_EXTENSION}`;
}

export type ParsedDatasetKey = { readonly name: string; readonly file: 'manifest' } | { readonly name: string; readonly file: 'shard'; readonly shard: number };

/** The dataset and file of a key built by datasetManifestKey / datasetShardKey, or undefined. */
export function parseDatasetKey(key: string): ParsedDatasetKey | undefined {
  const m = /^datasets\/([A-Za-z0-9._-]+)\/(?:(manifest\.json)|shards\/(0|[1-9][0-9]{0,15})\.crds)$/.exec(key);
  if (!m || m[1] === '.' || m[1] === '..') return undefined;
  if (m[2] !== undefined) return { name: m[1]!, file: 'manifest' };
  const shard = Number(m[3]);
  return Number.isSafeInteger(shard) ? { name: m[1]!, file: 'shard', shard } : undefined;
}

export interface ParsedKey {
  readonly area: 'gradients' | 'checkpoints';
  readonly window: number;
  /** The file name after the window: `<hotkey>.<ext>` or a checkpoint file. */
  readonly name: string;
}

/** The area and window of a key built here, or undefined for any other key. */
export function parseKey(key: string): ParsedKey | undefined {
  const m = /^(gradients|checkpoints)\/(0|[1-9][0-9]{0,15})\/([^/]+)$/.exec(key);
  if (!m) return undefined;
  const window = Number(m[2]);
  if (!Number.isSafeInteger(window)) return undefined;
  return { area: m[1] as ParsedKey['area'], window, name: m[3]! };
}

/** The hotkey in a gradient key, or undefined. */
export function hotkeyOfGradientKey(key: string, ext: string = GRADIENT_EXTENSION): string | undefined {
  const parsed = parseKey(key);
  if (parsed?.area !== 'gradients' || !parsed.name.endsWith(`.${ext}`)) return undefined;
  return parsed.name.slice(0, -(ext.length + 1));
}
