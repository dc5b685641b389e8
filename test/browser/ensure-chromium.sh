#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests and the web benchmark, once: does nothing when
# /usr/bin/chromium is already there. Needs root (CI and dev machines here run as root) and the Debian
# mirror. Playwright's own browser download (`npx playwright install`) cannot work here: never use it.
set -euo pipefail
# The checkout speaks Chinese and Japanese: without a CJK font its screenshots show empty boxes.
# Droid Sans Fallback is the smallest Debian font that covers both (~4 MB).
if [ -x /usr/bin/chromium ] && [ ! -e /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ]; then
  echo "[chromium] installing a CJK font (one time)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends fonts-droid-fallback >/dev/null
fi
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "[chromium] installing Debian's chromium (one time)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-droid-fallback >/dev/null
/usr/bin/chromium --version
