#!/usr/bin/env bash
# Installs Debian's wrk (an HTTP load generator in C), once: `./scripts/bench api` drives its replica
# figure with it, because autocannon's own CPU would take the cores a second replica needs. Does nothing
# when `wrk` is already there. Needs root and the Debian mirror, like ensure-faketime.sh.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
echo "[wrk] installing Debian's wrk (one time)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 || {
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends wrk >/dev/null
}
wrk --version | head -n 1
