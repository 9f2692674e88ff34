#!/usr/bin/env bash
# The GPU machine's side of the kit (scripts/gpu-kit/build.sh): `bash <part folder>/kit.sh` keeps the
# part under /tmp/kit. With part 1 there it unpacks Node (/tmp/kit/bin/node), the app (/tmp/kit/app:
# scripts/bench-gpu.mjs, scripts/gpu-kit/subnet-gpu.mjs and the built packages), redis-server
# (/tmp/kit/bin) and the Vulkan loader (into /, for WebGPU); once every
# part is there it assembles the CUDA provider library next to onnxruntime-node's. It writes
# /tmp/kit/env, which puts
# node on PATH and the CUDA 13 libraries of the machine's Python (nvidia-* wheels, torch/lib) on
# LD_LIBRARY_PATH. Prints KIT READY, or which parts are still missing. Idempotent.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
K=${KIT_DIR:-/tmp/kit}
mkdir -p "$K/parts"
for f in "$HERE"/*; do [ "$(basename "$f")" = kit.sh ] || cp -u "$f" "$K/parts/"; done
P=$K/parts
n=$(cat "$P/parts")
have=""; missing=""
for i in $(seq 1 "$n"); do
  if [ -f "$P/parts.k$i.sha256" ] && (cd "$P" && sha256sum -c --quiet "parts.k$i.sha256"); then have="$have k$i"; else missing="$missing k$i"; fi
done
# Part 1 holds Node, the app and the Vulkan loader: they are unpacked as soon as it is here.
if [ ! -f "$P/node.xz" ]; then echo "KIT WAITING for part k1 (this machine has:$have)"; exit 0; fi
if [ ! -x "$K/bin/node" ]; then mkdir -p "$K/bin" && xz -dc "$P/node.xz" > "$K/bin/node" && chmod +x "$K/bin/node"; fi
[ -d "$K/app" ] || xz -dc "$P/app.tar.xz" | tar -C "$K" -xf -
[ ! -f "$P/ort130.tar.xz" ] || [ -d "$K/ort130" ] || xz -dc "$P/ort130.tar.xz" | tar -C "$K" -xf -
# Debian's redis-server (for a local subnet's validator queue) behind a wrapper that finds its libraries.
if [ -f "$P/redis.tar.xz" ] && [ ! -x "$K/bin/redis-server" ]; then
  xz -dc "$P/redis.tar.xz" | tar -C "$K" -xf -
  printf '#!/bin/sh\nLD_LIBRARY_PATH=%s/redis/lib exec %s/redis/bin/redis-server "$@"\n' "$K" "$K" > "$K/bin/redis-server" && chmod +x "$K/bin/redis-server"
fi
BIN=$K/app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64
if [ -z "$missing" ] && [ ! -f "$BIN/libonnxruntime_providers_cuda.so" ]; then
  cat $(for i in $(seq 1 "$n"); do echo "$P/cuda.so.xz.$i"; done) | xz -dc -T0 > "$BIN/libonnxruntime_providers_cuda.so.tmp"
  echo "$(cat "$P/cuda.so.sha256")  $BIN/libonnxruntime_providers_cuda.so.tmp" | sha256sum -c --quiet - || { echo "KIT BROKEN: provider checksum"; exit 1; }
  mv "$BIN/libonnxruntime_providers_cuda.so.tmp" "$BIN/libonnxruntime_providers_cuda.so"
  cp "$P/libonnxruntime_providers_shared.so" "$BIN/"
fi
if [ "${KIT_SKIP_VULKAN:-0}" != 1 ] && ! ldconfig -p | grep -q libvulkan.so.1; then
  mkdir -p "$K/debs" && tar -C "$K/debs" -xf "$P/vulkan.tar" && for f in "$K"/debs/*.deb; do dpkg -x "$f" /; done && ldconfig
fi
# CUDA 13 libraries from the machine's Python environment (PyTorch's nvidia-* wheels, torch/lib).
dirs=""
for sp in $(python3 -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null); do
  for d in "$sp"/nvidia/*/lib "$sp"/nvidia/cu13/lib "$sp"/torch/lib; do [ -d "$d" ] && dirs="${dirs:+$dirs:}$d"; done
done
[ -d /usr/local/nvidia/lib64 ] && dirs="${dirs:+$dirs:}/usr/local/nvidia/lib64"
{ echo "export PATH=$K/bin:\$PATH"; [ -z "$dirs" ] || echo "export LD_LIBRARY_PATH=$dirs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"; } > "$K/env"
if [ -n "$missing" ]; then echo "KIT READY without the CUDA provider (missing parts:$missing)"; else echo "KIT READY"; fi
echo "use: . $K/env; cd $K/app; node scripts/bench-gpu.mjs"
