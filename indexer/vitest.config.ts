/** The indexer's tests: unit tests of its config, and suites against real Postgres, Hardhat and Ponder. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "indexer",
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    // A stack (Postgres + chain + deploy + Ponder) starts in beforeAll: seconds on a quiet machine,
    // minutes on a 2-core one that other suites keep busy.
    hookTimeout: 300_000,
    // Each stack-backed file runs its own Postgres, chain and Ponder: two at a time fit 2 cores.
    maxWorkers: 2,
  },
});
