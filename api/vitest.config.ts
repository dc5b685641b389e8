import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "api",
    include: ["src/**/*.test.ts", "lib/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Each stack-backed file starts its own Postgres, chain, indexer and API: two at a time fit 2 cores.
    maxWorkers: 2,
    // Files share their worker (see the root vitest.config.ts: which projects do, and why).
    isolate: false,
  },
});
