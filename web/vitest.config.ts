/** Unit tests of the web app's pure parts (amounts, error decoding, links); the UI is tested in test/browser. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "web",
    // As every project (see the root vitest.config.ts): one pool of two workers for the whole run.
    maxWorkers: 2,
    // Files share their worker (see the root vitest.config.ts: which projects do, and why).
    isolate: false,
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
