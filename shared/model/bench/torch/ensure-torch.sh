#!/usr/bin/env bash
# Makes Debian's PyTorch (python3-torch) importable by /usr/bin/python3 with OpenBLAS (OpenMP build) as the
# BLAS it loads. Without libopenblas0-openmp, Debian's torch falls back to the reference BLAS, which is
# roughly 20x slower and would make the baseline meaningless.
#
# Usage: ensure-torch.sh            (idempotent; installs only what is missing; needs root for apt-get)
# Exit:  0 torch imports, 1 installation or import failed.
# Note:  Debian's torch is for the system interpreter; a pyenv `python3` earlier on PATH will not see it,
#        so the baseline must be run as `/usr/bin/python3 baseline.py`.
set -euo pipefail

PY=/usr/bin/python3
PACKAGES=(python3-torch libopenblas0-openmp)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "ensure-torch: missing ${missing[*]}; run as root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "ensure-torch: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Other processes may hold the dpkg lock briefly; wait for it rather than failing.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi

"$PY" - <<'PYEOF'
import os, sys
import torch
torch.ones(64, 64) @ torch.ones(64, 64)  # make sure the BLAS library is loaded
libs = sorted({os.path.realpath(l.split()[-1]) for l in open("/proc/self/maps") if len(l.split()) >= 6 and "blas" in os.path.basename(l.split()[-1])})
print(f"ensure-torch: torch {torch.__version__} imports with {sys.executable}; BLAS: {' '.join(libs) or 'none loaded'}")
if not any("openblas" in l for l in libs):
    print("ensure-torch: WARNING torch is not using OpenBLAS (check: update-alternatives --display libblas.so.3-x86_64-linux-gnu)", file=sys.stderr)
PYEOF
