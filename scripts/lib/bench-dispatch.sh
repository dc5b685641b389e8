# Body of ./scripts/bench: runs scripts/benchmarks/<suite>.ts for each named suite (or all of them).
# Each suite writes bench-results/<suite>.json; running every suite also writes bench-results/SUMMARY.md.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
pnpm exec hardhat build --quiet --no-tests
pnpm exec tsx scripts/generate-abis.ts >/dev/null
mkdir -p bench-results
suites=("$@")
all=0
if [ ${#suites[@]} -eq 0 ]; then
  all=1
  for f in scripts/benchmarks/*.ts; do suites+=("$(basename "$f" .ts)"); done
fi
status=0
for suite in "${suites[@]}"; do
  if [ ! -f "scripts/benchmarks/$suite.ts" ]; then
    echo "unknown suite '$suite'; available: $(ls scripts/benchmarks/*.ts | xargs -n1 basename | sed 's/\.ts$//' | tr '\n' ' ')" >&2
    exit 2
  fi
  # What a suite needs beyond the workspace, installed from Debian on first use.
  case "$suite" in
    api) bash scripts/lib/ensure-wrk.sh ;;
    web) bash test/browser/ensure-chromium.sh ;;
  esac
  echo "==> bench $suite"
  pnpm exec tsx "scripts/benchmarks/$suite.ts" || status=1
done
if [ $all -eq 1 ]; then
  echo "==> bench-results/SUMMARY.md"
  pnpm exec tsx scripts/lib/bench-summary.ts bench-results || status=1
fi
exit $status
