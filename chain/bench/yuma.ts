/**
 * Benchmark: one Yuma epoch with a new subnet's spec-424 parameters (Yuma 3, bonds penalty 1) for a full
 * subnet (256 uids, 64 permitted validators, each weighting every uid, bonds carried from a previous epoch). Prints per-run figures, then one JSON line.
 * Run: npx tsx chain/bench/yuma.ts
 */
import { defaultYumaParams, yumaEpoch, type SparseMatrix, type YumaInputs } from '../src/yuma/index.js';

const UIDS = 256;
const VALIDATORS = 64;
const RUNS = 20;

let seed = 12345;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

function inputs(): YumaInputs {
  const stake = Array.from({ length: UIDS }, (_, i) => (i < VALIDATORS ? 1e12 * (1 + rand()) : 1e9 * rand()));
  const weights: SparseMatrix = Array.from({ length: UIDS }, (_, i) =>
    i < VALIDATORS ? Array.from({ length: UIDS }, (_, j) => [j, 1 + Math.floor(rand() * 65534)] as [number, number]) : [],
  );
  return {
    block: 10_000,
    stake,
    lastUpdate: Array.from({ length: UIDS }, () => 9_900),
    blockAtRegistration: Array.from({ length: UIDS }, () => 1),
    validatorPermit: Array.from({ length: UIDS }, (_, i) => i < VALIDATORS),
    weights,
    bonds: [],
    emission: 360 * 820_004_578,
    params: { ...defaultYumaParams, maxAllowedValidators: VALIDATORS },
  };
}

const base = inputs();
// Carry bonds from one epoch so the EMA path runs on a full matrix, as it does on a live subnet.
const warm = yumaEpoch(base);
const withBonds: YumaInputs = { ...base, bonds: warm.storage.bonds.map((row) => row ?? []) };
for (let i = 0; i < 3; i++) yumaEpoch(withBonds);

const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  yumaEpoch(withBonds);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
console.log(`yuma epoch, ${UIDS} uids, ${VALIDATORS} validators, ${RUNS} runs: min ${times[0]?.toFixed(2)} ms, median ${median.toFixed(2)} ms, max ${times[times.length - 1]?.toFixed(2)} ms`);
console.log(JSON.stringify({ bench: 'yuma', uids: UIDS, validators: VALIDATORS, epoch_ms: Number(median.toFixed(3)) }));
