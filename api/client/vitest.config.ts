import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "client",
    // As every project (see the root vitest.config.ts): one pool of two workers for the whole run.
    maxWorkers: 2,
    // Files share their worker (see the root vitest.config.ts: which projects do, and why).
    isolate: false,
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
