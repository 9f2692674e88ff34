#!/usr/bin/env bash
# Command (2) of the README: installs what the tests need, builds every package, and runs every test
# suite. The suites start their own real services (Redis, the S3 server, the devnet) on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 NPM_CONFIG_UPDATE_NOTIFIER=false

CRUCIBLE_NEED_CHROMIUM=1 bash scripts/ensure-system.sh
npm ci --no-audit --no-fund
npx turbo run build --output-logs=errors-only
npx vitest run "$@"
