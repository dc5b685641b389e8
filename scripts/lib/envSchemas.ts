/**
 * The environment of the processes outside the API (whose schemas are in api/src/config.ts): the
 * indexer, the web build, ./scripts/dev, scripts/deploy.ts, the `pier` CLI and the test and benchmark
 * runs. Each is one TypeBox object, the source of docs/configuration.md and .env.example
 * (scripts/config-reference.ts); the variables themselves are read where these comments say.
 */
import Type, { type TObject } from "typebox";

const Opt = (description: string) => Type.Optional(Type.String({ description }));
const OptDefault = (dflt: string, description: string) =>
  Type.Optional(Type.String({ default: dflt, description }));

/** indexer/lib/config.ts (and the launcher, scripts/lib/indexer.ts). */
export const IndexerEnvSchema = Type.Object({
  DATABASE_URL: Type.String({ description: "Postgres connection string (the launcher passes it)." }),
  PIER_DEPLOYMENT_FILE: OptDefault(
    "contracts/deployments/31337.json",
    "Deployment JSON(s) to index, written by scripts/deploy.ts; several chains: comma-separated.",
  ),
  PIER_RPC_URL: OptDefault(
    "http://127.0.0.1:8545",
    "JSON-RPC URL when indexing one chain; PIER_RPC_URL_<chainId> per chain wins.",
  ),
  PIER_WS_URL: Opt(
    "WebSocket URL (PIER_WS_URL_<chainId> per chain): new blocks are pushed instead of polled (each block fetched once). Recommended on real chains; on a chain that mines only on demand, the newest blocks are indexed at the next block.",
  ),
  PIER_INDEXER_POLLING_MS: Opt(
    "How often to poll for new blocks. Default 100 on a local chain, 1000 elsewhere; minimum 100.",
  ),
  PIER_INDEXER_RPC_RPS: Opt(
    "Requests a second the indexer may send each RPC from the start (PIER_INDEXER_RPC_RPS_<chainId> per chain wins), 3-500. Default 500 on a local chain; elsewhere Ponder's own (20, raised while requests succeed, lowered on 429s): set your RPC plan's limit.",
  ),
});

/** web/src/lib/env.ts (baked into the bundle at build time), web/vite.config.ts and web/securityHeaders.ts. */
export const WebEnvSchema = Type.Object({
  VITE_PIER_API_URL: Opt(
    "Where the API answers. Empty: the page's own origin (vite and vite preview proxy /v1).",
  ),
  VITE_WALLETCONNECT_PROJECT_ID: Opt("WalletConnect Cloud project id. Unset: WalletConnect is not offered."),
  VITE_PIER_RPC_URL: Opt(
    "A public RPC URL for the order's chain, for reads and 'add network'. Unset: the wallet's.",
  ),
  VITE_PIER_RPC_URLS: Opt(
    'Public RPC URLs per chain as JSON, {"<chainId>": "<url>"}; wins over VITE_PIER_RPC_URL for its chains.',
  ),
  VITE_PIER_EXPLORER_URL: Opt("Block explorer base URL for transaction links. Unset: known chains only."),
  VITE_STRIPE_PUBLISHABLE_KEY: Opt(
    "Stripe wallets: the account's publishable key (the API then uses Stripe).",
  ),
  VITE_STRIPE_JS_URL: OptDefault(
    "https://js.stripe.com/v3",
    "Where Stripe.js is loaded from for a wallet session.",
  ),
  VITE_STRIPE_COUNTRY: OptDefault("US", "The Stripe account's country for the Payment Request."),
  PIER_API_URL: OptDefault(
    "http://127.0.0.1:4000",
    "Not baked in: the API that vite and vite preview proxy /v1 to.",
  ),
  PIER_WEB_FRAME_ANCESTORS: Opt("Origins (space-separated) allowed to frame the checkout. Unset: none."),
  PIER_WEB_CONNECT_SRC: Opt(
    "Extra origins (space-separated) the checkout may connect to (CSP), e.g. a public RPC.",
  ),
});

/** scripts/dev.ts: the local stack. The API, indexer and web variables above apply to its children. */
export const DevEnvSchema = Type.Object({
  PIER_PG_PORT: OptDefault("54329", "Embedded Postgres port (unused with DATABASE_URL)."),
  PIER_CHAIN_PORT: OptDefault("8545", "Hardhat node port (chain A, chain id 31337)."),
  PIER_CHAIN_B_PORT: OptDefault("8546", "Second Hardhat node port (chain B, chain id 1337)."),
  PIER_DEV_CHAINS: OptDefault("2", "Local chains to run: 2 (A and B, a networks file for the API) or 1 (A)."),
  PIER_INDEXER_PORT: OptDefault("42069", "Indexer port."),
  PIER_API_PORT: OptDefault("4000", "API port."),
  PIER_WEB_PORT: OptDefault("5173", "Web (checkout and dashboard) port."),
  PIER_SANDBOX_PORT: OptDefault(
    "4010",
    "Sandbox fiat wallet simulator port (started unless PayPal or Stripe is selected).",
  ),
  PIER_DEV_BLOCK_MS: OptDefault(
    "1000",
    "A block every N ms on the dev chain, so confirmations grow as on a real chain.",
  ),
  PIER_DEV_DATA_DIR: Opt(
    "Where dev keeps Postgres data and logs (default .data/); set, the deployment file goes there too.",
  ),
  PIER_LOG_FORMAT: Opt("json: the scripts log JSON lines even on a terminal."),
});

/**
 * api/src/fiat/sandbox/main.ts, the sandbox wallet simulator's own process. It also reads PIER_SANDBOX_URL,
 * PIER_SANDBOX_API_KEY and PIER_SANDBOX_WEBHOOK_SECRET, as the API does (see the API's sandbox section).
 */
export const SandboxSimulatorEnvSchema = Type.Object({
  PIER_SANDBOX_WEBHOOK_URL: Opt(
    "Where the simulator posts its webhooks (the API's /v1/fiat/webhooks/sandbox). Unset: it sends none.",
  ),
});

/** scripts/deploy.ts, for any chain but the local one (keys from the environment or a keystore only). */
export const DeployEnvSchema = Type.Object({
  PIER_DEPLOYER_KEY: Opt("The deployer's private key (0x + 64 hex). Unset: the local chain's dev accounts."),
  PIER_OWNER: Opt("The escrow's owner (two-step transfer). Default: the deployer."),
  PIER_ARBITER: Opt("Resolves disputes and holds (required off the local chain)."),
  PIER_FEE_RECIPIENT: Opt("Receives platform fees (required off the local chain)."),
  PIER_OPERATOR: Opt("The operator whose key signs payment terms (required off the local chain)."),
  PIER_MAX_FEE_BPS: OptDefault("1000", "Cap on any payment's fee, in basis points of its amount."),
  PIER_DEPLOY_TEST_TOKEN: OptDefault("0", "1: also deploy the test stablecoin (test networks only)."),
});

/** cli/src/context.ts and cli/src/commands/listen.ts (flags win over these). */
export const CliEnvSchema = Type.Object({
  PIER_API_KEY: Opt("The secret key the CLI calls the API with (./scripts/dev prints the demo merchant's)."),
  PIER_API_URL: OptDefault("http://127.0.0.1:4000", "The API."),
  PIER_RPC_URL: OptDefault(
    "http://127.0.0.1:8545",
    "The chain (pier pay and time-travel: local chains only).",
  ),
  PIER_INDEXER_URL: Opt("The indexer, for pier status."),
  PIER_ADMIN_KEY: Opt(
    "pier admin and pier dashboard: the API's admin key (default: the one ./scripts/dev keeps in its data folder, admin-key).",
  ),
  PIER_FORWARD_SECRET: Opt(
    "pier listen: sign forwarded events with this secret instead of the endpoint's new one.",
  ),
});

/** ./scripts/test, ./scripts/bench, hardhat.config.ts and the test harness. */
export const TestEnvSchema = Type.Object({
  PIER_TEST_CLOCK_OFFSET: OptDefault(
    "+366d",
    "./scripts/test runs every test phase with the clock shifted by this (faketime); empty: the real clock.",
  ),
  PIER_TEST_PROFILE: Opt("full: the hardening suites at full size (./scripts/test --full)."),
  PIER_KEEP_TEST_DIRS: Opt(
    "1: keep each stack's temporary folder and logs (and give each its own Postgres).",
  ),
  PIER_TEST_API_SOURCE: Opt(
    "1: the API processes of a test run start from source (tsx) instead of the bundle the run builds once; a stack trace then names src/ lines.",
  ),
  PIER_CHAOS_SEED: Opt("Seed of the chaos test's random schedule, to replay a run."),
  PIER_HARDENING_NETWORKS: Opt(
    "1: the chain-fault and chaos suites on one network instead of two (chain B running beside chain A, orders on both).",
  ),
  PIER_FUZZ_SEED: Opt("Seed of the bad-input fuzzer, to replay a run."),
  PIER_HEAVY_FUZZ: Opt("1: raise Solidity fuzz runs and invariant depth as CI does (CI=true also does)."),
  PIER_LIGHT_FUZZ: Opt("1: the lightest fuzzing (the coverage pass)."),
  PIER_COVERAGE: Opt("1: compile for coverage (no optimizer; gas tests skip themselves)."),
  PIER_HARDHAT_OUT: Opt(
    "A folder for Hardhat's artifacts and cache instead of contracts/: ./scripts/test gives the coverage pass one, to run it beside the build.",
  ),
  PIER_BENCH_PROFILE: Opt("A folder: ./scripts/bench api writes a CPU profile of the API there."),
});

/** The sections of the reference outside the API, in order. */
export const OTHER_CONFIG_SECTIONS: { title: string; schema: TObject }[] = [
  { title: "Indexer", schema: IndexerEnvSchema },
  { title: "Web build (checkout and dashboard)", schema: WebEnvSchema },
  { title: "Local stack (./scripts/dev)", schema: DevEnvSchema },
  { title: "Sandbox wallet simulator (api/src/fiat/sandbox/main.ts)", schema: SandboxSimulatorEnvSchema },
  { title: "Deploying (scripts/deploy.ts)", schema: DeployEnvSchema },
  { title: "CLI (pier)", schema: CliEnvSchema },
  { title: "Tests and benchmarks", schema: TestEnvSchema },
];
