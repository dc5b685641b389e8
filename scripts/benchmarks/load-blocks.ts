/**
 * Load at a real chain's pace: load.ts with 500 checkouts paid within one minute (one every 120 ms), on
 * a chain that mines a block every 2 s (like Base) and then every 12 s (like Ethereum), the indexer
 * hearing of blocks by newHeads. Writes bench-results/load-block2000ms.json and load-block12000ms.json;
 * the summary holds their payment -> webhook p99 to one block + 500 ms. Then the same 500 paid at once
 * at 2 s blocks (load-block2000ms-burst.json, ~100 payments a block), a stress figure reported beside it.
 * Automine (one block per transaction) stays load.ts's own default run, as a stress profile.
 *
 *   ./scripts/bench load-blocks        # or: pnpm exec tsx scripts/benchmarks/load-blocks.ts
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const load = new URL("load.ts", import.meta.url).pathname;
let status = 0;
const runs: { blockMs: number; payOver: number }[] = [
  { blockMs: 2_000, payOver: 60 },
  { blockMs: 12_000, payOver: 60 },
  { blockMs: 2_000, payOver: 0 }, // the burst: all 500 at once
];
for (const { blockMs, payOver } of runs) {
  const run = spawnSync(
    process.execPath,
    [
      "--import",
      tsx,
      load,
      "--checkouts",
      "500",
      "--block-ms",
      String(blockMs),
      "--pay-over",
      String(payOver),
    ],
    { stdio: "inherit" },
  );
  if (run.status !== 0) status = 1;
}
process.exit(status);
