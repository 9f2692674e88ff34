#!/usr/bin/env bash
# Command (1) of the README: installs what is needed, builds, and brings up a local subnet on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 NPM_CONFIG_UPDATE_NOTIFIER=false

bash scripts/ensure-system.sh
npm ci --no-audit --no-fund
npx turbo run build --output-logs=errors-only
npx --no-install crucible-local up "$@"
