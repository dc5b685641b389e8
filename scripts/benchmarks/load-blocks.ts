/**
 * Load at a real chain's pace: load.ts with 500 checkouts paid at once, on a chain that mines a block
 * every 2 s (like Base) and then every 12 s (like Ethereum), the indexer hearing of blocks by newHeads.
 * Writes bench-results/load-block2000ms.json and load-block12000ms.json; the summary holds their
 * payment -> webhook p99 to one block + 500 ms. Automine (one block per transaction) stays load.ts's
 * own default run, as a stress profile.
 *
 *   ./scripts/bench load-blocks        # or: pnpm exec tsx scripts/benchmarks/load-blocks.ts
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const load = new URL("load.ts", import.meta.url).pathname;
let status = 0;
for (const blockMs of [2_000, 12_000]) {
  const run = spawnSync(
    process.execPath,
    ["--import", tsx, load, "--checkouts", "500", "--block-ms", String(blockMs)],
    { stdio: "inherit" },
  );
  if (run.status !== 0) status = 1;
}
process.exit(status);
