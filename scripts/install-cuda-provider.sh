#!/usr/bin/env bash
# `npm run gpu:install-cuda`: puts onnxruntime's CUDA execution provider next to onnxruntime-node's own
# native library, from the npm registry (com.github.asus4.onnxruntime.linux-x64-gpu: ONNX Runtime 1.29.0
# built against CUDA 13, MIT), checks both libraries by sha256, then looks for the CUDA 13 libraries the
# provider loads and prints the LD_LIBRARY_PATH that finds them. Linux x64 only; needs the built
# @crucible/model (npm run build) and onnxruntime-node 1.29.0 (the version this repository pins).
#   CRUCIBLE_CUDA_PROVIDER_TGZ=path  use an already downloaded package tarball instead of `npm pack`.
set -euo pipefail
cd "$(dirname "$0")/.."

info=$(node --input-type=module -e "
  const m = await import('@crucible/model');
  const { binaryDir, version } = m.onnxruntimeInstall();
  console.log(JSON.stringify({ ...m.cudaProvider, binaryDir, version }));
") || { echo "build @crucible/model first: npm run build" >&2; exit 1; }
field() { node -e "const o = JSON.parse(process.argv[1]); const v = o[process.argv[2]]; console.log(typeof v === 'object' ? Object.entries(v).map(([k, x]) => k + ' ' + x).join('\n') : v)" "$info" "$1"; }
pkg=$(field npmPackage); ver=$(field npmVersion); need=$(field onnxruntimeVersion); have=$(field version)
bin=$(field binaryDir); folder=$(field folderInPackage)

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || { echo "the CUDA provider package exists for linux-x64 only" >&2; exit 1; }
[ "$have" = "$need" ] || { echo "onnxruntime-node $have is installed; the CUDA provider needs $need exactly" >&2; exit 1; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
tgz=${CRUCIBLE_CUDA_PROVIDER_TGZ:-}
if [ -z "$tgz" ]; then
  echo "downloading $pkg@$ver (about 180 MB) ..."
  (cd "$tmp" && npm pack --silent "$pkg@$ver" >/dev/null)
  tgz="$tmp/$pkg-$ver.tgz"
fi
while read -r lib sum; do
  tar -xzf "$tgz" -C "$tmp" "$folder/$lib"
  echo "$sum  $tmp/$folder/$lib" | sha256sum -c --quiet - || { echo "$lib: checksum mismatch" >&2; exit 1; }
  cp "$tmp/$folder/$lib" "$bin/$lib"
  echo "installed $bin/$lib"
done < <(field libraries)

# The CUDA 13 libraries: the toolkit's folders, then PyTorch's nvidia-* wheels and torch/lib.
dirs=()
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda-13*/lib64 /usr/local/cuda-13*/targets/x86_64-linux/lib; do [ -d "$d" ] && dirs+=("$d"); done
if command -v python3 >/dev/null; then
  for sp in $(python3 -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null); do
    for d in "$sp"/nvidia/*/lib "$sp"/nvidia/cu13/lib "$sp"/torch/lib; do [ -d "$d" ] && dirs+=("$d"); done
  done
fi
path=""
for lib in $(node -e "console.log(JSON.parse(process.argv[1]).cudaLibraries.join(' '))" "$info"); do
  [ "$lib" = libcuda.so.1 ] && continue
  found=""
  for d in "${dirs[@]}"; do [ -e "$d/$lib" ] && { found=$d; break; }; done
  if [ -z "$found" ] && ldconfig -p 2>/dev/null | grep -q " $lib "; then found=system; fi
  if [ -z "$found" ]; then echo "missing: $lib (install the CUDA 13 toolkit or pip's nvidia-*-cu13 / torch CUDA 13 wheels)"; continue; fi
  [ "$found" = system ] || case ":$path:" in *":$found:"*) ;; *) path="${path:+$path:}$found" ;; esac
done
ldconfig -p 2>/dev/null | grep -q ' libcuda.so.1 ' || echo "note: libcuda.so.1 (the NVIDIA driver) is not in the loader cache"
if [ -n "$path" ]; then
  echo "before starting the miner: export LD_LIBRARY_PATH=$path\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
fi
