/** Every TypeScript test suite in the workspace; each package has its own vitest.config.ts. */
import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

const packages = [
  "packages/money",
  "contracts",
  "indexer",
  "api",
  "api/client",
  "cli",
  "examples/shop",
  "web",
  "test/system",
  "test/browser",
  "test/hardening",
];

export default defineConfig({
  test: {
    // Most suites start real processes (Postgres, Hardhat, Ponder, the API, Chromium): two files at a
    // time is what two cores carry. Every project sets the same maxWorkers: vitest runs projects whose
    // maxWorkers differ as a group of their own, after the others, and a project that sets none gets
    // one worker on two cores, so six projects ran one file at a time at the end of the run (90 s).
    maxWorkers: 2,
    // Each file gets a fresh worker (and imports viem, the API's modules, ... again) unless its project
    // says `isolate: false`: api, web, money, client and contracts do. Their files start what they need
    // in hooks and stop it after, and none mocks modules or leaves globals or env changed; the api
    // project alone went from 585 to 488 CPU-seconds (333 -> 288 s) without isolation. The system,
    // browser, hardening, indexer and cli suites, which start whole stacks, stay isolated.
    // One Postgres server for the run (each stack gets a database of its own on it), and the API built
    // once for the API processes the tests start.
    globalSetup: ["./test/harness/sharedPostgres.ts", "./test/harness/builtApi.ts"],
    projects: packages.filter((dir) => existsSync(`${dir}/vitest.config.ts`)),
  },
});
