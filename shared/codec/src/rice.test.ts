import { describe, expect, it } from 'vitest';
import { parseCodecConfig } from './config.js';
import { compressTensor } from './compress.js';
import { chunkLayout } from './layout.js';
import { seededRandom } from './random.js';
import { bestRiceParameter, decodeIndices, encodeIndices, packCodes, riceBits, unpackCodes } from './rice.js';

describe('Rice-coded indices', () => {
  const config = parseCodecConfig();
  const shape = [256, 512];
  const c = compressTensor('w', shape, seededRandom(4).normals(256 * 512), config);
  const layout = chunkLayout(shape, config);

  it('round-trips for every Rice parameter', () => {
    for (let r = 0; r <= 16; r++) {
      const bytes = encodeIndices(c.indices, layout, r);
      expect(bytes.length).toBe(Math.ceil(riceBits(c.indices, layout, r) / 8));
      expect(decodeIndices(bytes, layout, r, 'w')).toEqual(c.indices);
    }
  });

  it('spends under 7.6 bits per index for 64 of 4096 (entropy limit 7.36, fixed width 12)', () => {
    const r = bestRiceParameter(c.indices, layout);
    const bitsPerIndex = riceBits(c.indices, layout, r) / c.indices.length;
    expect(r).toBeGreaterThanOrEqual(5);
    expect(r).toBeLessThanOrEqual(6);
    expect(bitsPerIndex).toBeLessThan(7.6);
  });

  it('rejects truncation, trailing bytes and indices past the chunk with WIRE_FORMAT reasons', () => {
    const r = bestRiceParameter(c.indices, layout);
    const bytes = encodeIndices(c.indices, layout, r);
    const reason = (f: () => unknown) => {
      try {
        f();
        return 'accepted';
      } catch (e) {
        return (e as { details: { reason: string } }).details.reason;
      }
    };
    expect(reason(() => decodeIndices(bytes.subarray(0, bytes.length - 1), layout, r, 'w'))).toBe('BODY_MALFORMED');
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(reason(() => decodeIndices(longer, layout, r, 'w'))).toBe('BODY_MALFORMED');
    expect(reason(() => decodeIndices(new Uint8Array(bytes.length).fill(255), layout, r, 'w'))).toBe('INDEX_OUT_OF_RANGE');
  });

  it('packs codes at `bits` bits each and unpacks them', () => {
    const rng = seededRandom(5);
    for (let bits = 1; bits <= 8; bits++) {
      const codes = Uint8Array.from({ length: 101 }, () => rng.int(1 << bits));
      const packed = packCodes(codes, bits);
      expect(packed.length).toBe(Math.ceil((101 * bits) / 8));
      expect(unpackCodes(packed, 101, bits, 'w')).toEqual(codes);
    }
  });
});
