/** Bytes per element of every dtype the safetensors format defines (used to validate any file's layout). */
export const dtypeBytes = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
} as const;

export type SafetensorsDtype = keyof typeof dtypeBytes;

/** The dtypes this reader converts to float32; a file with any other dtype is rejected. */
export const readableDtypes = ['F32', 'F16', 'BF16'] as const;
export type ReadableDtype = (typeof readableDtypes)[number];

export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(dtypeBytes, value);
}

export function isReadableDtype(value: string): value is ReadableDtype {
  return (readableDtypes as readonly string[]).includes(value);
}

const isLittleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decodes `count` little-endian elements of `dtype` starting at `offset` in `bytes` into a new Float32Array. */
export function decodeToFloat32(bytes: Uint8Array, offset: number, count: number, dtype: ReadableDtype): Float32Array {
  const out = new Float32Array(count);
  const absolute = bytes.byteOffset + offset;
  if (dtype === 'F32') {
    if (isLittleEndianHost && absolute % 4 === 0) {
      out.set(new Float32Array(bytes.buffer, absolute, count));
    } else {
      const view = new DataView(bytes.buffer, absolute, count * 4);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
    }
    return out;
  }
  const view = new DataView(bytes.buffer, absolute, count * 2);
  if (dtype === 'BF16') {
    // bfloat16 is the top half of a float32.
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
    return out;
  }
  for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  return out;
}

/** IEEE 754 binary16 → number (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The little-endian bytes of a Float32Array (a view when the host is little-endian, else a copy). */
export function float32Bytes(data: Float32Array): Uint8Array {
  if (isLittleEndianHost) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return out;
}
