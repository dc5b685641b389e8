#!/usr/bin/env bash
# Installs Debian's wrk (an HTTP load generator in C), once: `./scripts/bench api` drives its replica
# figure with it, because autocannon's own CPU would take the cores a second replica needs.
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/ensure-debian-tool.sh" wrk wrk
