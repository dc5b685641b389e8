#!/usr/bin/env bash
# Installs Debian's faketime (libfaketime), once: ./scripts/test runs the suites with the clock shifted
# (PIER_TEST_CLOCK_OFFSET). Does nothing when `faketime` is already there. Needs root and the Debian mirror,
# like test/browser/ensure-chromium.sh.
set -euo pipefail
if command -v faketime >/dev/null 2>&1; then
  exit 0
fi
echo "[faketime] installing Debian's faketime (one time)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends faketime >/dev/null 2>&1 || {
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends faketime >/dev/null
}
faketime -f +1d date
