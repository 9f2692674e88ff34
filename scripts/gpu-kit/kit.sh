#!/usr/bin/env bash
# The GPU machine's side of the kit (scripts/gpu-kit/build.sh): `bash <part folder>/kit.sh` keeps the
# part under $KIT_DIR (default /tmp/kit). Once every part is there it joins them (checked by sha256) and
# unpacks Node ($KIT_DIR/bin/node), the app ($KIT_DIR/app: scripts/bench-gpu.mjs,
# scripts/gpu-kit/subnet-gpu.mjs and the built packages), redis-server ($KIT_DIR/bin), the Vulkan loader
# (into /, for WebGPU; KIT_SKIP_VULKAN=1 leaves it) and the CUDA provider next to onnxruntime-node's
# libraries. A kit built with --ort-from-repo takes onnxruntime-node from the repository copy the call runs
# in (ORT_NODE_MODULES, default <repo>/shared/model/node_modules). It writes $KIT_DIR/env, which puts node
# on PATH and the CUDA 13 libraries of the machine's Python (nvidia-* wheels, torch/lib) on
# LD_LIBRARY_PATH. Prints KIT READY, or which parts are still missing. Idempotent.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
K=${KIT_DIR:-/tmp/kit}
mkdir -p "$K/parts"
for f in "$HERE"/*; do case $(basename "$f") in kit.sh|run-gpu.sh) ;; *) cp -u "$f" "$K/parts/" ;; esac; done
P=$K/parts
n=$(cat "$P/parts")
have=""; missing=""
for i in $(seq 1 "$n"); do
  if [ -f "$P/parts.k$i.sha256" ] && (cd "$P" && sha256sum -c --quiet "parts.k$i.sha256"); then have="$have k$i"; else missing="$missing k$i"; fi
done
if [ -n "$missing" ]; then echo "KIT WAITING for parts:$missing (this machine has:$have)"; exit 0; fi
D=$K/payload
if [ ! -f "$D/.complete" ]; then
  for i in $(seq 1 "$n"); do cat "$P/payload.$i"; done > "$K/payload.tar"
  echo "$(cat "$P/payload.sha256")  $K/payload.tar" | sha256sum -c --quiet - || { echo "KIT BROKEN: payload checksum"; exit 1; }
  rm -rf "$D" && mkdir -p "$D" && tar -C "$D" -xf "$K/payload.tar" && rm -f "$K/payload.tar" && touch "$D/.complete"
fi
if [ ! -x "$K/bin/node" ]; then mkdir -p "$K/bin" && xz -dc "$D/node.xz" > "$K/bin/node" && chmod +x "$K/bin/node"; fi
[ -d "$K/app" ] || xz -dc "$D/app.tar.xz" | tar -C "$K" -xf -
[ ! -f "$D/ort130.tar.xz" ] || [ -d "$K/ort130" ] || xz -dc "$D/ort130.tar.xz" | tar -C "$K" -xf -
NM=$K/app/node_modules
if [ ! -d "$NM/onnxruntime-node" ]; then
  SRC=${ORT_NODE_MODULES:-$(cd "$HERE/../../.." && pwd)/shared/model/node_modules}
  [ -f "$SRC/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1" ] || { echo "KIT BROKEN: no onnxruntime-node in $SRC (set ORT_NODE_MODULES)"; exit 1; }
  mkdir -p "$NM/onnxruntime-node/bin/napi-v6/linux"
  cp -r "$SRC/onnxruntime-node/package.json" "$SRC/onnxruntime-node/dist" "$NM/onnxruntime-node/"
  cp -r "$SRC/onnxruntime-node/bin/napi-v6/linux/x64" "$NM/onnxruntime-node/bin/napi-v6/linux/"
  cp -r "$SRC/onnxruntime-common" "$NM/"
fi
BIN=$NM/onnxruntime-node/bin/napi-v6/linux/x64
if [ ! -f "$BIN/libonnxruntime_providers_cuda.so" ]; then
  xz -dc -T0 "$D/cuda.so.xz" > "$BIN/libonnxruntime_providers_cuda.so.tmp"
  echo "$(cat "$D/cuda.so.sha256")  $BIN/libonnxruntime_providers_cuda.so.tmp" | sha256sum -c --quiet - || { echo "KIT BROKEN: provider checksum"; exit 1; }
  mv "$BIN/libonnxruntime_providers_cuda.so.tmp" "$BIN/libonnxruntime_providers_cuda.so"
  cp "$D/libonnxruntime_providers_shared.so" "$BIN/"
fi
# Debian's redis-server (for a local subnet's validator queue) behind a wrapper that finds its libraries.
if [ -f "$D/redis.tar.xz" ] && [ ! -x "$K/bin/redis-server" ]; then
  xz -dc "$D/redis.tar.xz" | tar -C "$K" -xf -
  printf '#!/bin/sh\nLD_LIBRARY_PATH=%s/redis/lib exec %s/redis/bin/redis-server "$@"\n' "$K" "$K" > "$K/bin/redis-server" && chmod +x "$K/bin/redis-server"
fi
if [ "${KIT_SKIP_VULKAN:-0}" != 1 ] && ! ldconfig -p | grep -q libvulkan.so.1; then
  mkdir -p "$K/debs" && tar -C "$K/debs" -xf "$D/vulkan.tar" && for f in "$K"/debs/*.deb; do dpkg -x "$f" /; done && ldconfig
fi
# CUDA 13 libraries from the machine's Python environment (PyTorch's nvidia-* wheels, torch/lib).
dirs=""
for sp in $(python3 -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null); do
  for d in "$sp"/nvidia/*/lib "$sp"/nvidia/cu13/lib "$sp"/torch/lib; do [ -d "$d" ] && dirs="${dirs:+$dirs:}$d"; done
done
[ -d /usr/local/nvidia/lib64 ] && dirs="${dirs:+$dirs:}/usr/local/nvidia/lib64"
{ echo "export PATH=$K/bin:\$PATH"; [ -z "$dirs" ] || echo "export LD_LIBRARY_PATH=$dirs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"; } > "$K/env"
echo "KIT READY"
echo "use: . $K/env; cd $K/app; node scripts/bench-gpu.mjs"
