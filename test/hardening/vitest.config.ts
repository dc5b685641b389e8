/**
 * Hardening suites: bad input generated from the OpenAPI document, security checks, crash/reorg chaos
 * and RPC faults against the real local stack. PIER_TEST_PROFILE=full (./scripts/test --full) raises the
 * counts; the quick profile keeps ./scripts/test within CI's budget.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const full = process.env.PIER_TEST_PROFILE === "full";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "hardening",
    include: ["**/*.test.ts"],
    testTimeout: full ? 1_800_000 : 240_000,
    hookTimeout: 240_000,
    // Each file starts its own stack (Postgres, chain, indexer, API): two at a time fit 2 cores.
    maxWorkers: 2,
  },
});
