/**
 * Numerical checking helpers shared by the operator and model gradient tests: central finite
 * differences over a float64 function, and a comparison that reports a readable diff.
 */

/** ∂f/∂x[i] ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for each index in `indices` (all when omitted). */
export function centralDifference(f: (x: Float64Array) => number, x: Float64Array, h = 1e-5, indices?: readonly number[]): Float64Array {
  const idx = indices ?? Array.from(x, (_, i) => i);
  const out = new Float64Array(idx.length);
  idx.forEach((i, k) => {
    const orig = x[i]!;
    x[i] = orig + h;
    const fp = f(x);
    x[i] = orig - h;
    const fm = f(x);
    x[i] = orig;
    out[k] = (fp - fm) / (2 * h);
  });
  return out;
}

export interface Comparison {
  ok: boolean;
  maxAbs: number;
  maxRel: number;
  /** Human-readable summary: sizes, max differences and the first values side by side. */
  report: string;
}

/**
 * got ≈ want when |got − want| ≤ atol + rtol·|want| elementwise. The report lists the first values and
 * the worst element so a failing test says what went wrong without a debugger.
 */
export function compareArrays(name: string, got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number): Comparison {
  if (got.length !== want.length) {
    return { ok: false, maxAbs: Infinity, maxRel: Infinity, report: `${name}: length ${got.length} ≠ expected ${want.length}` };
  }
  let maxAbs = 0;
  let maxRel = 0;
  let worst = 0;
  let ok = true;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    const rel = d / Math.max(Math.abs(want[i]!), 1e-30);
    if (!(d <= atol + rtol * Math.abs(want[i]!))) ok = false;
    if (d > maxAbs || Number.isNaN(d)) {
      maxAbs = d;
      worst = i;
    }
    maxRel = Math.max(maxRel, rel);
  }
  const fmt = (x: number) => x.toExponential(6);
  const first = Array.from({ length: Math.min(6, got.length) }, (_, i) => `  [${i}] got ${fmt(got[i]!)} want ${fmt(want[i]!)}`).join('\n');
  const report =
    `${name}: ${ok ? 'ok' : 'MISMATCH'} (n=${got.length}, rtol=${rtol}, atol=${atol}) max|Δ|=${fmt(maxAbs)} at [${worst}] ` +
    `(got ${fmt(got[worst] ?? NaN)} want ${fmt(want[worst] ?? NaN)}), max rel=${fmt(maxRel)}\n${first}`;
  return { ok, maxAbs, maxRel, report };
}

/** A deterministic stream of uniform numbers in [−1, 1) for test inputs (mulberry32). */
export function testRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return (((r ^ (r >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}
