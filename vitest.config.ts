/** Every TypeScript test suite in the workspace; each package has its own vitest.config.ts. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["contracts", "indexer", "api", "test"],
  },
});
