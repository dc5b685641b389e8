/**
 * System tests: properties of the whole test run and of the local stack as a developer drives it (the
 * run's clock, ./scripts/dev restarts). Each file starts what it needs as real processes.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "system",
    include: ["**/*.test.ts"],
    testTimeout: 240_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
