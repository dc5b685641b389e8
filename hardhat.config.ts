/**
 * Hardhat 3 config for Pier's contracts.
 *
 * The compiler is the npm `solc` package (wasm), passed by path so Hardhat never downloads one: the
 * machines Pier builds on reach only the npm registry. Keep `version` equal to that package's version.
 */
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { sep } from "node:path";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// Fuzz and invariant effort: light for local runs; more in CI (CI=true), within its 15-minute budget;
// deep with ./scripts/test --full (PIER_TEST_PROFILE=full) or PIER_HEAVY_FUZZ=1. PIER_LIGHT_FUZZ=1 wins
// over all: the coverage pass measures lines, which deep fuzzing does not add to, so it runs light.
const effort =
  process.env.PIER_LIGHT_FUZZ === "1"
    ? "light"
    : process.env.PIER_HEAVY_FUZZ === "1" || process.env.PIER_TEST_PROFILE === "full"
      ? "deep"
      : process.env.CI === "true"
        ? "ci"
        : "light";
const FUZZ = {
  light: { runs: 256, invariantRuns: 64, depth: 32 },
  ci: { runs: 1_000, invariantRuns: 128, depth: 64 },
  deep: { runs: 2_000, invariantRuns: 256, depth: 100 },
}[effort];

const coverage = process.env.PIER_COVERAGE === "1";
const hardhatOut = process.env.PIER_HARDHAT_OUT;

function compiler({ viaIR, optimize }: { viaIR: boolean; optimize: boolean }) {
  return {
    version: "0.8.34",
    path: require.resolve("solc/soljson.js"),
    settings: {
      evmVersion: "cancun",
      // Tuned for runtime gas: payments and releases run many times, deployment once. Off for the
      // coverage pass (PIER_COVERAGE=1, set by ./scripts/test): line coverage is the same either way,
      // and the optimizer doubles the instrumented compile (54 s against 25 s).
      optimizer: { enabled: optimize && !coverage, runs: 1_000_000 },
      viaIR,
    },
  };
}

/** Every Solidity file under contracts/src, as Hardhat names it (project-relative). */
function contractSources(): string[] {
  const root = new URL("./contracts/src/", import.meta.url);
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".sol"))
    .map((file) => `contracts/src/${file.split(sep).join("/")}`)
    .sort();
}

export default defineConfig({
  plugins: [hardhatToolboxViem],
  paths: {
    sources: "./contracts/src",
    tests: { solidity: "./contracts/test" },
    // PIER_HARDHAT_OUT: artifacts and cache in a folder of their own. ./scripts/test runs the coverage
    // pass beside the build, and the two may not write the same files.
    artifacts: hardhatOut ? `${hardhatOut}/artifacts` : "./contracts/artifacts",
    cache: hardhatOut ? `${hardhatOut}/cache` : "./contracts/cache",
  },
  solidity: {
    compilers: [compiler({ viaIR: false, optimize: false })],
    // The contracts themselves go through the IR pipeline, optimized: 3-4k less gas per payment, and what
    // the local chain, the benchmarks and every TypeScript suite deploy. The Solidity tests (and the copies
    // of the contracts inside them) use the legacy pipeline without the optimizer, which compiles them in
    // a fraction of the time (about 50 s of solc against 115 s optimized). The gas tests deploy the
    // contracts' own artifacts instead (EscrowFixture's `_deployArtifacts`), so they measure what ships.
    overrides: Object.fromEntries(
      contractSources().map((source) => [source, compiler({ viaIR: !coverage, optimize: true })]),
    ),
  },
  test: {
    solidity: {
      fuzz: { runs: FUZZ.runs },
      invariant: { runs: FUZZ.invariantRuns, depth: FUZZ.depth, failOnRevert: false },
    },
  },
  networks: {
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    // Any other chain: RPC URL and deployer key come from the environment, never the repo.
    custom: {
      type: "http",
      chainType: "l1",
      url: configVariable("PIER_RPC_URL"),
      accounts: [configVariable("PIER_DEPLOYER_KEY")],
    },
  },
});
