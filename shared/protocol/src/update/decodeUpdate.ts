import { decodeGradient, decompressTensor, type CodecConfig, type CompressedTensor, type DecodeGradientOptions, type GradientHeader, type SparseTensor } from '@crucible/codec';
import { CrucibleError } from '@crucible/core';

/**
 * A miner's update as every rule uses it: verified (signature, header, parameter table), decompressed
 * once, with its one norm. Everything that needs values (copy screening, evaluation, the control, the
 * outer step) reads `sparse`; nothing decodes the bytes a second time.
 */
export interface DecodedUpdate {
  readonly header: GradientHeader;
  readonly config: CodecConfig;
  readonly tensors: readonly CompressedTensor[];
  /** Decompressed values per parameter name (flat indices ascending within each chunk). */
  readonly sparse: ReadonlyMap<string, SparseTensor>;
  /** ‖Δ‖₂ over every decoded value. */
  readonly norm: number;
}

/** decodeGradient + decompression + norm; non-finite values are WIRE_FORMAT with reason NON_FINITE. */
export function decodeUpdate(bytes: Uint8Array, options: DecodeGradientOptions): DecodedUpdate {
  const decoded = decodeGradient(bytes, options);
  const sparse = new Map<string, SparseTensor>();
  let ss = 0;
  for (const t of decoded.tensors) {
    const s = decompressTensor(t, decoded.config);
    for (let i = 0; i < s.values.length; i++) ss += s.values[i]! * s.values[i]!;
    sparse.set(t.name, s);
  }
  if (!Number.isFinite(ss)) throw new CrucibleError('WIRE_FORMAT', 'decoded values are not finite', { details: { reason: 'NON_FINITE' } });
  return { header: decoded.header, config: decoded.config, tensors: decoded.tensors, sparse, norm: Math.sqrt(ss) };
}
