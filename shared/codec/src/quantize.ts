/**
 * Templar's "statistical" quantiser (templar-design §3.1, papers §1.2 step 5), per tensor over all of
 * its kept values v (n of them), with B = 2^bits bins and range ρ (default 6):
 *   shift = fround(mean(v));  c = v − shift;  σ = ‖c‖₂ / √(n − 1)  (σ = 0 when n < 2)
 *   scale = ρ·σ / B            (2 bits, ρ = 6: scale = 1.5σ, the bins cover ±3σ)
 *   code  = clamp(round(c / scale + B/2), 0, B − 1)     (round = half up; scale = 0 ⇒ code B/2)
 *   lut[b] = fround(mean of the c in bin b)            (0 for an empty bin)
 *   decoded = fround(lut[code] + shift)
 * Error bound: every value decodes to the mean of its bin's members, so |v − decoded| ≤ the spread
 * (max − min) of its bin, plus float32 rounding. Interior bins (1 … B−2) are `scale` wide, so there
 * the error is ≤ scale = ρσ/B; the two edge bins are open, bounded only by their members' spread
 * (≤ max|c|). Because each bin decodes to its mean, the sum of the decoded values equals the sum of v
 * (up to rounding): quantisation adds no bias, and error feedback carries the rest.
 */
export interface Quantized {
  readonly codes: Uint8Array;
  readonly shift: number;
  readonly lut: Float32Array;
}

export function quantize(values: Float32Array, bits: number, range: number): Quantized {
  const n = values.length;
  const bins = 1 << bits;
  const half = bins / 2;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const shift = Math.fround(n > 0 ? sum / n : 0);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const c = values[i]! - shift;
    ss += c * c;
  }
  const sigma = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const scale = (range * sigma) / bins;
  const inv = scale > 0 && Number.isFinite(scale) ? 1 / scale : 0;
  const codes = new Uint8Array(n);
  const binSum = new Float64Array(bins);
  const binCount = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const c = values[i]! - shift;
    let q = Math.floor(c * inv + half + 0.5);
    if (q < 0) q = 0;
    else if (q > bins - 1) q = bins - 1;
    codes[i] = q;
    binSum[q] = binSum[q]! + c;
    binCount[q]! += 1;
  }
  const lut = new Float32Array(bins);
  for (let b = 0; b < bins; b++) {
    const count = binCount[b]!;
    lut[b] = count > 0 ? binSum[b]! / count : 0;
  }
  return { codes, shift, lut };
}

/** The 2^bits decoded levels: level[code] = fround(lut[code] + shift). */
export function levels(lut: Float32Array, shift: number): Float32Array {
  const out = new Float32Array(lut.length);
  for (let b = 0; b < lut.length; b++) out[b] = lut[b]! + shift;
  return out;
}
