import { z } from 'zod';
import { CrucibleError, type Keypair } from '@crucible/core';
import { decodeSignedEnvelope, encodeSignedEnvelope } from '@crucible/codec';
import { runConfigSchema, type RunConfig } from '../run/runConfig.js';

/**
 * A checkpoint manifest: which parameters (by content hash and key), which window, which parent, who
 * contributed with what weight, and the run configuration. It travels as a signed envelope (kind
 * `checkpointManifest`), signed by the aggregator's hotkey — for genesis, the subnet owner's.
 */
export const MANIFEST_VERSION = 1;

const hash = z.string().regex(/^0x[0-9a-f]{64}$/, 'expected 0x + 32 bytes of lowercase hex');

export const manifestSchema = z.strictObject({
  netuid: z.number().int().min(0).max(65535),
  /** The window this checkpoint closes (genesis: the window it was published in). */
  window: z.number().int().min(0),
  /** Hash of the parent checkpoint's parameters; null only for genesis. */
  parentHash: hash.nullable(),
  parentWindow: z.number().int().min(0).nullable(),
  /** checkpointHash of the safetensors parameters. */
  paramsHash: hash,
  /** Object key of the safetensors file, in the signer's bucket. */
  paramsKey: z.string().min(1).max(512),
  paramsBytes: z.number().int().min(1),
  /** Miners whose updates went into this checkpoint and the weight each had. */
  contributors: z.array(z.strictObject({ hotkey: z.string(), uid: z.number().int().min(0), weight: z.number().min(0) })).max(4096),
  /** Validation loss of these parameters on the corpus's held-out pages (nats per byte). */
  validationLoss: z.number().nonnegative().nullable(),
  run: runConfigSchema,
  createdAt: z.string(),
});

export type Manifest = z.output<typeof manifestSchema>;

export interface SignedManifest {
  manifest: Manifest;
  /** ss58 of the signer, whose signature has been verified. */
  signer: string;
}

export function encodeManifest(manifest: Manifest, signer: Keypair): Uint8Array {
  const checked = manifestSchema.parse(manifest);
  return encodeSignedEnvelope({ kind: 'checkpointManifest', version: MANIFEST_VERSION, header: checked, body: new Uint8Array(0), signer });
}

/**
 * Verifies the envelope's signature (and the expected signer, when given) before reading anything;
 * throws WIRE_FORMAT for a bad envelope and CHECKPOINT_INVALID for a manifest that contradicts itself.
 */
export function decodeManifest(bytes: Uint8Array, options: { expectedSigner?: string; maxBytes?: number } = {}): SignedManifest {
  const envelope = decodeSignedEnvelope(bytes, {
    kind: 'checkpointManifest',
    version: MANIFEST_VERSION,
    header: manifestSchema,
    maxBytes: options.maxBytes ?? 4 * 1024 * 1024,
    ...(options.expectedSigner ? { signer: options.expectedSigner } : {}),
  });
  const m = envelope.header;
  if ((m.parentHash === null) !== (m.parentWindow === null)) {
    throw new CrucibleError('CHECKPOINT_INVALID', 'manifest has a parent hash without a parent window, or the reverse');
  }
  if (m.parentWindow !== null && m.parentWindow >= m.window) {
    throw new CrucibleError('CHECKPOINT_INVALID', `manifest window ${m.window} is not after its parent's ${m.parentWindow}`);
  }
  if (m.run.netuid !== m.netuid) throw new CrucibleError('CHECKPOINT_INVALID', 'manifest netuid differs from its run configuration');
  return { manifest: m, signer: envelope.signer };
}

export function sameRun(a: RunConfig, b: RunConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
