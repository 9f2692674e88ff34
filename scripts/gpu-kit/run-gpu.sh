#!/usr/bin/env bash
# The device call that measures, after `bash <part>/kit.sh` has been run for every other part on the same
# machine: assembles the kit, then (each step time-boxed, results under $OUT)
#   1. npm run bench:gpu's script (CRUCIBLE_GPU_BENCH_SKIP defaults to webgpu here);
#   2. a local subnet (devnet, Redis, S3 server, a validator on the CPU) with one
#      `crucible-miner --train.execution-provider cuda` on the tiny preset, until an update is scored;
#   3. with the time left, the same with a medium-gpu run configuration (medium model, 30 steps of 64).
# Env: BUDGET_S (whole script, default 540), BENCH_S (default 280), TINY_S (the tiny subnet, default 150), DRY=1 (a CPU machine: the bench's dry run,
# the miner on the cpu provider, the small preset instead of medium). Files: bench.log, subnet.log,
# errors.txt, smi.csv, subnet-*.tar.xz.
set -u
OUT=${OUT:-/tmp/gpu-out}; mkdir -p "$OUT"
HERE=$(cd "$(dirname "$0")" && pwd)
START=$(date +%s)
BUDGET=${BUDGET_S:-540}
left() { echo $(( BUDGET - ($(date +%s) - START) )); }
bash "$HERE/kit.sh" 2>&1 | tail -2
K=${KIT_DIR:-/tmp/kit}
[ -f "$K/env" ] || { echo "KIT MISSING: run kit.sh with the other parts first (same machine)"; exit 3; }
. "$K/env"
cd "$K/app"
PROVIDER=cuda; MEDIUM=medium; MEDIUM_ARGS="--pages-per-miner 16 --inner-steps 30 --batch-size 64 --inner-lr 1e-3"
if [ "${DRY:-0}" = 1 ]; then export CRUCIBLE_GPU_BENCH_DRY_RUN=1; PROVIDER=cpu; MEDIUM=small; MEDIUM_ARGS="--inner-steps 2 --batch-size 2"; fi
(nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv,noheader -l 2 > "$OUT/smi.csv" 2>&1) & SMI=$!
quiet() { grep -v -E 'NodeVersionSupportWarning|AWS SDK|node >=22|security updates|a\.co/|trace-warnings|^\s*$|versions published|To continue receiving|upgrade to node' ; }

echo "== bench ($(left) s left)"
CRUCIBLE_GPU_BENCH_SKIP=${CRUCIBLE_GPU_BENCH_SKIP:-webgpu} timeout "${BENCH_S:-280}" node scripts/bench-gpu.mjs 2> >(quiet > "$OUT/bench.err") | tee "$OUT/bench.log"

echo "== subnet, tiny preset, miner on $PROVIDER ($(left) s left)"
T=$(( $(left) - 20 )); [ "$T" -gt "${TINY_S:-150}" ] && T=${TINY_S:-150}
[ "$T" -gt 40 ] && timeout $((T + 15)) node scripts/gpu-kit/subnet-gpu.mjs --provider "$PROVIDER" --preset tiny --timeout-s "$T" --out "$OUT" 2>&1 | quiet | tee "$OUT/subnet.log"

echo "== subnet, $MEDIUM model (medium-gpu's inner steps), miner on $PROVIDER ($(left) s left)"
T=$(( $(left) - 25 ))
if [ "$T" -gt 60 ]; then
  timeout $((T + 20)) node scripts/gpu-kit/subnet-gpu.mjs --provider "$PROVIDER" --preset "$MEDIUM" --blocks-per-window 20 --timeout-s "$T" --out "$OUT" \
    --genesis "$MEDIUM_ARGS" --validator "--evaluation.onnx-threads 8" 2>&1 | quiet | tee -a "$OUT/subnet.log"
else
  echo "skipped: too little time"
fi
kill $SMI 2>/dev/null
cat "$OUT/bench.err" > "$OUT/errors.txt" 2>/dev/null; rm -f "$OUT/bench.err"
echo "done in $(( $(date +%s) - START )) s"
