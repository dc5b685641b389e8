/** Every TypeScript test suite in the workspace; each package has its own vitest.config.ts. */
import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

const packages = ["contracts", "indexer", "api", "test"];

export default defineConfig({
  test: {
    projects: packages.filter((dir) => existsSync(`${dir}/vitest.config.ts`)),
  },
});
