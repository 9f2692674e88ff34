import { CrucibleError } from '@crucible/core';
import {
  checkpointHash,
  checkpointMetadata,
  configFromMetadata,
  decodeSafetensors,
  encodeSafetensors,
  readSafetensorsFile,
  writeSafetensorsFile,
  type TensorF32,
} from '../safetensors/index.js';
import { validateConfig, VOCAB_SIZE, type GptConfig } from './config.js';
import { checkParams, paramTable, type GptParams } from './params.js';

/** A model checkpoint in memory: its config, parameters (table order) and extra metadata. */
export interface Checkpoint {
  config: GptConfig;
  params: GptParams;
  /** Extra string metadata stored beside the config (e.g. step, parent hash). */
  metadata: Record<string, string>;
}

function tensorsOf(config: GptConfig, params: GptParams): Map<string, TensorF32> {
  return new Map(checkParams(config, params).map(({ spec, data }) => [spec.name, { shape: spec.shape, data }]));
}

function metadataOf(c: Checkpoint): Record<string, string> {
  const { config: _ignored, ...extra } = c.metadata;
  // A byte-level config is stored without vocabSize, so its bytes and hash are the same whether or not
  // the caller spelled out the default.
  const { vocabSize, ...shape } = c.config;
  return checkpointMetadata(vocabSize === undefined || vocabSize === VOCAB_SIZE ? shape : c.config, extra);
}

/** The content hash that identifies a checkpoint (tensors and metadata, see checkpointHash). */
export function hashCheckpoint(c: Checkpoint): `0x${string}` {
  return checkpointHash(tensorsOf(c.config, c.params), metadataOf(c));
}

/** safetensors bytes: F32 tensors named as in paramTable(), the config as JSON under metadata `config`. */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  return encodeSafetensors(tensorsOf(c.config, c.params), metadataOf(c));
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const decoded = decodeSafetensors(bytes);
  return fromDecoded(decoded.tensors, decoded.metadata);
}

export async function writeCheckpoint(path: string, c: Checkpoint): Promise<void> {
  await writeSafetensorsFile(path, tensorsOf(c.config, c.params), metadataOf(c));
}

export async function readCheckpoint(path: string): Promise<Checkpoint> {
  const decoded = await readSafetensorsFile(path);
  return fromDecoded(decoded.tensors, decoded.metadata);
}

function fromDecoded(tensors: ReadonlyMap<string, TensorF32>, metadata: Record<string, string>): Checkpoint {
  const raw = configFromMetadata(metadata) as Partial<Record<keyof GptConfig, unknown>>;
  if (typeof raw !== 'object' || raw === null) throw new CrucibleError('CHECKPOINT_INVALID', 'checkpoint config is not an object');
  let config: GptConfig;
  try {
    config = validateConfig(raw as GptConfig);
  } catch (cause) {
    throw new CrucibleError('CHECKPOINT_INVALID', `checkpoint config is invalid: ${(cause as Error).message}`, { cause });
  }
  const params: GptParams = new Map();
  for (const spec of paramTable(config)) {
    const t = tensors.get(spec.name);
    if (t === undefined) throw new CrucibleError('CHECKPOINT_INVALID', `checkpoint lacks ${spec.name}`);
    if (t.shape.join() !== spec.shape.join()) {
      throw new CrucibleError('CHECKPOINT_INVALID', `${spec.name} has shape [${t.shape}], the config needs [${spec.shape}]`);
    }
    params.set(spec.name, t.data);
  }
  if (tensors.size !== params.size) throw new CrucibleError('CHECKPOINT_INVALID', `checkpoint has ${tensors.size - params.size} unexpected tensors`);
  const { config: _c, ...extra } = metadata;
  delete extra.format;
  return { config, params, metadata: extra };
}
