/**
 * Browser tests of the hosted checkout: headless Chromium (playwright-core, Debian's /usr/bin/chromium)
 * against the real local stack (Postgres, chain, indexer, API) and the production build of web/.
 * The global setup installs nothing: run test/browser/ensure-chromium.sh first (./scripts/test does).
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "browser",
    include: ["**/*.test.ts"],
    globalSetup: ["./globalSetup.ts"],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // Each file runs its own stack (Postgres, chain, indexer, API) and a Chromium: two at a time fit 2 cores.
    maxWorkers: 2,
  },
});
