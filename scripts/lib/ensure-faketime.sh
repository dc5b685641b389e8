#!/usr/bin/env bash
# Installs Debian's faketime (libfaketime), once: ./scripts/test runs the suites with the clock shifted
# (PIER_TEST_CLOCK_OFFSET).
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/ensure-debian-tool.sh" faketime faketime
faketime -f +1d date
