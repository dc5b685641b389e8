#!/usr/bin/env bash
# ensure-debian-tool.sh <command> <package>: installs Debian's <package> once, when <command> is not on
# PATH (does nothing otherwise). Needs root and the Debian mirror, like test/browser/ensure-chromium.sh.
# It runs `apt-get update` only when the install fails: a fresh machine's package lists usually suffice.
set -euo pipefail
command=$1 package=$2
if command -v "$command" >/dev/null 2>&1; then
  exit 0
fi
echo "[$command] installing Debian's $package (one time)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "$package" >/dev/null 2>&1 || {
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$package" >/dev/null
}
command -v "$command" >/dev/null
