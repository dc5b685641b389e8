# Sourced by scripts/dev, scripts/test and scripts/bench: puts Node 22 and pnpm (installed from the npm
# registry into scripts/toolchain) first on PATH and installs the workspace. Nothing else is needed on
# the machine beyond the preinstalled Node 20 + npm used for this bootstrap.
set -euo pipefail
PIER_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PIER_ROOT
toolchain="$PIER_ROOT/scripts/toolchain"
if [ ! -x "$toolchain/node_modules/.bin/node" ] || [ ! -x "$toolchain/node_modules/.bin/pnpm" ]; then
  echo "[toolchain] installing Node 22 and pnpm into scripts/toolchain (one time)"
  npm install --prefix "$toolchain" --no-audit --no-fund --loglevel=error >/dev/null
fi
export PATH="$toolchain/node_modules/.bin:$PATH"
export HARDHAT_DISABLE_TELEMETRY=true
cd "$PIER_ROOT"
stamp="node_modules/.pier-install-stamp"
if [ ! -f "$stamp" ] || [ pnpm-lock.yaml -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  echo "[toolchain] pnpm install"
  if [ "${CI:-}" = "true" ]; then pnpm install --frozen-lockfile --reporter=append-only >/dev/null
  else pnpm install --reporter=append-only >/dev/null; fi
  touch "$stamp"
fi
