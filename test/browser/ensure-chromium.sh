#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests and the web benchmark, once: does nothing when
# /usr/bin/chromium is already there. Needs root (CI and dev machines here run as root) and the Debian
# mirror. Playwright's own browser download (`npx playwright install`) cannot work here: never use it.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "[chromium] installing Debian's chromium (one time)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
