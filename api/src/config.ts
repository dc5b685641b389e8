/**
 * The API's configuration: every environment variable it reads (its own, FX, the fiat provider's),
 * validated once at boot against TypeBox schemas. A bad value stops the process with a message naming
 * the variable. docs/configuration.md is generated from these schemas (scripts/config-reference.ts;
 * a test fails when it is out of date), so each variable's description lives here and only here.
 *
 * Secrets (signer keys, the admin key) come only from the environment. The public Hardhat dev keys are
 * used as defaults only on a local chain (31337, 1337): see chain/signers.ts.
 */
import { decimalToUnits } from "@pier/money/units";
import Type, { type Static, type TObject } from "typebox";
import { PayPalEnvSchema } from "./fiat/paypal/config.ts";
import { type FiatSelection, FiatSelectionSchema, selectFiatProvider } from "./fiat/registry.ts";
import { SandboxEnvSchema } from "./fiat/sandbox/config.ts";
import { StripeEnvSchema } from "./fiat/stripe/config.ts";
import { type FxConfig, FxEnvSchema, loadFxConfig } from "./fx/config.ts";
import { ConfigError, httpUrlProblem, readEnv } from "./lib/env.ts";

export { ConfigError };

const Bool = (description: string) =>
  Type.Union([Type.Literal("true"), Type.Literal("false"), Type.Literal("1"), Type.Literal("0")], {
    description,
  });
const Int = (min: number, max: number, dflt: number, description: string) =>
  Type.Integer({ minimum: min, maximum: max, default: dflt, description });
const Key = (description: string) =>
  Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description }));
const AddressVar = (description: string) =>
  Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{40}$", description }));

const DatabaseSchema = Type.Object({
  DATABASE_URL: Type.String({
    minLength: 1,
    description:
      "Postgres connection string. The API keeps its tables in PIER_API_SCHEMA and its job queue in PIER_JOBS_SCHEMA; migrations run at start.",
  }),
  PIER_API_SCHEMA: Type.String({
    pattern: "^[a-z_][a-z0-9_]{0,62}$",
    default: "pier_api",
    description: "The API's schema.",
  }),
  PIER_JOBS_SCHEMA: Type.String({
    pattern: "^[a-z_][a-z0-9_]{0,62}$",
    default: "pier_jobs",
    description: "The job queue's (pg-boss) schema.",
  }),
  PIER_INDEXER_SCHEMA: Type.String({
    pattern: "^[A-Za-z_][A-Za-z0-9_]{0,62}$",
    description:
      "The indexer's schema: the API reads its tables. scripts/lib/indexer.ts derives it from the chain and the indexing code.",
  }),
  PIER_DB_POOL_SIZE: Int(2, 200, 20, "Connections in the API's pool."),
});

const HttpSchema = Type.Object({
  PIER_API_HOST: Type.String({ default: "127.0.0.1", description: "Interface to listen on." }),
  PIER_API_PORT: Int(0, 65535, 4000, "Port to listen on."),
  PIER_API_PUBLIC_URL: Type.Optional(
    Type.String({
      description:
        "The API's public base URL (e.g. https://pay.example.com), named as the server in /openapi.json and /docs. Unset: http://127.0.0.1:4000, the local API.",
    }),
  ),
  PIER_RATE_LIMIT_MAX: Int(
    1,
    1_000_000,
    100,
    "Requests per API key (per IP without one) per window; over it: 429.",
  ),
  PIER_RATE_LIMIT_WINDOW_MS: Int(100, 3_600_000, 1_000, "Rate-limit window."),
  PIER_LOG_LEVEL: Type.Union(
    ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((l) => Type.Literal(l)),
    { default: "info", description: "Log level (JSON lines, with requestId on request logs)." },
  ),
});

const ChainSchema = Type.Object({
  PIER_NETWORKS_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "JSON file listing the networks served and the tokens accepted on each (docs/going-live.md). Unset: one network from PIER_RPC_URL, PIER_DEPLOYMENT_FILE, PIER_TOKEN_ADDRESS and PIER_CONFIRMATIONS.",
    }),
  ),
  PIER_RPC_URL: Type.String({ default: "http://127.0.0.1:8545", description: "The chain's JSON-RPC URL." }),
  PIER_DEPLOYMENT_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description: "Deployment JSON from scripts/deploy.ts. Unset: contracts/deployments/<chain id>.json.",
    }),
  ),
  PIER_TOKEN_ADDRESS: AddressVar(
    "Settlement token (its symbol and decimals are read from the chain). Unset: the deployment's TestStablecoin (test chains only).",
  ),
  PIER_TOKEN_PEG: Type.String({
    pattern: "^[A-Z]{3}$",
    default: "USD",
    description: "The ISO 4217 currency the settlement token is pegged 1:1 to (USD for USDC, EUR for EURC).",
  }),
  PIER_OPERATOR_KEY: Key(
    "Signs payment terms; sends refunds, early releases and holds. Required on every chain but the local ones, 31337 and 1337 (dev account there).",
  ),
  PIER_KEEPER_KEY: Key("Sends releaseBatch and credit payouts. Unset: the operator key."),
  PIER_ARBITER_KEY: Key(
    "Resolves disputes (/v1/admin/orders/:id/resolve). Unset: resolution unavailable (dev account on 31337 and 1337).",
  ),
  PIER_RELAYER_KEY: Key(
    "Relays customers' signed payments (POST /v1/checkout/{id}/relay) and pays their gas. Unset off the local chains (31337, 1337): relaying is off.",
  ),
  PIER_TREASURY_KEY: Key(
    "The fiat bridge's treasury: pays escrows for captured fiat payments. Unset off the local chains (31337, 1337): fiat wallets are off.",
  ),
  PIER_BRIDGE_ADDRESS: AddressVar(
    "Where escrow refunds of fiat-funded orders go before leaving through the provider (dev account 8 on 31337 and 1337).",
  ),
  PIER_BRIDGE_KEY: Key(
    "The bridge's key: sweeps tokens refunded to the bridge back to the treasury. With PIER_BRIDGE_ADDRESS, it must be its key.",
  ),
  PIER_SIGNER_URL: Type.Optional(
    Type.String({
      pattern: "^https?://[^\\s]+$",
      description:
        "A remote signer's JSON-RPC endpoint (Web3Signer in eth1 mode, or a Clef-compatible proxy) holding the keys of the roles configured by PIER_<ROLE>_ADDRESS. Checked at boot with eth_accounts.",
    }),
  ),
  PIER_SIGNER_AUTH: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "Sent as the Authorization header on every call to PIER_SIGNER_URL (e.g. `Bearer <token>` or `Basic <base64>`), when the signer sits behind an authenticating proxy. A secret: never logged.",
    }),
  ),
  PIER_SIGNER_TIMEOUT_MS: Int(100, 120_000, 10_000, "Timeout of each call to the remote signer."),
  PIER_OPERATOR_ADDRESS: AddressVar(
    "The operator's address in the remote signer (PIER_SIGNER_URL), instead of PIER_OPERATOR_KEY: terms are then signed with eth_signTypedData_v4, transactions with eth_signTransaction.",
  ),
  PIER_KEEPER_ADDRESS: AddressVar(
    "The keeper's address in the remote signer, instead of PIER_KEEPER_KEY. Neither set: the operator.",
  ),
  PIER_ARBITER_ADDRESS: AddressVar(
    "The arbiter's address in the remote signer, instead of PIER_ARBITER_KEY.",
  ),
  PIER_RELAYER_ADDRESS: AddressVar(
    "The relayer's address in the remote signer, instead of PIER_RELAYER_KEY.",
  ),
  PIER_TREASURY_ADDRESS: AddressVar(
    "The treasury's address in the remote signer, instead of PIER_TREASURY_KEY.",
  ),
  PIER_BRIDGE_REMOTE: Type.Optional(
    Bool(
      "true: the remote signer holds PIER_BRIDGE_ADDRESS's key and signs the bridge's sweeps (instead of PIER_BRIDGE_KEY). Default false: PIER_BRIDGE_ADDRESS alone is only a refund address.",
    ),
  ),
  PIER_RELAY_BUDGET_WEI: Type.String({
    pattern: "^(0|[1-9][0-9]{0,77})$",
    default: "50000000000000000",
    description:
      "Gas the relayer spends per merchant, per network and UTC day, in wei of that network's native coin (default 0.05): past it relays are refused (409 relay_budget_exhausted) and customers pay from their wallets.",
  }),
  PIER_RELAY_PER_MINUTE: Int(
    1,
    100_000,
    60,
    "Relayed payments per merchant per minute (429 relay_rate_limited past it).",
  ),
  PIER_PAYMASTER_URL: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "An ERC-7677 paymaster service URL (http or https) for the single network of PIER_RPC_URL; with a networks file, set `paymaster_url` on each network instead (this variable is refused beside it). The checkout shows it (`paymaster_url`) and hands it to customers' wallets that support EIP-5792's `paymasterService` capability, which then have the payment's gas sponsored. Anyone can read it: give a URL meant to be public (the provider's client-side endpoint, or your proxy), with the provider's policy limiting sponsorship to the escrow's and the tokens' calls. Unset: none.",
    }),
  ),
  PIER_TREASURY_MIN_BALANCE: Type.String({
    pattern: "^(0|[1-9][0-9]{0,77})$",
    default: "1000000000",
    description:
      "Treasury reserve in units of the first network's default token (other tokens: the same face value at their decimals): below it new fiat sessions for that network and token are refused (503 treasury_low).",
  }),
  PIER_LIVEMODE: Type.Optional(
    Bool(
      "Live mode of the single network of PIER_RPC_URL (sk_live_ keys, https-only webhook URLs, no sandbox FX rates). Refused on local chains and beside PIER_NETWORKS_FILE, whose networks say it with `testnet`. Default false.",
    ),
  ),
  PIER_CONFIRMATIONS: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 1000,
      description:
        "Blocks (the payment's included) before a payment is final (escrowed). Default 1 on 31337, 12 elsewhere.",
    }),
  ),
});

const OrdersSchema = Type.Object({
  PIER_CHECKOUT_BASE_URL: Type.String({
    default: "http://127.0.0.1:5173",
    pattern: "^https?://",
    description: "Checkout links are <this>/pay/<order id>.",
  }),
  PIER_DASHBOARD_URL: Type.Optional(
    Type.String({
      pattern: "^https?://[^/]+/?$",
      description:
        "Origin of the merchant dashboard: SIWE messages name it, passkeys bind to its host. Unset: PIER_CHECKOUT_BASE_URL.",
    }),
  ),
  PIER_CORS_ORIGINS: Type.Optional(
    Type.String({
      pattern: "^https?://[^,\\s/]+(,https?://[^,\\s/]+)*$",
      description:
        "Browser origins (comma-separated) allowed to call the public checkout routes cross-origin. Unset: the checkout's own origin.",
    }),
  ),
  PIER_FEE_BPS: Int(0, 10_000, 100, "Platform fee in basis points of the order amount (capped on chain)."),
  PIER_ESCROW_PERIOD_SECONDS: Int(
    0,
    365 * 86_400,
    7 * 86_400,
    "Default buyer-protection window; an order may set its own.",
  ),
  PIER_ORDER_TTL_SECONDS: Int(
    60,
    30 * 86_400,
    3_600,
    "Default time to pay an order; an order may set expires_at.",
  ),
  PIER_SYNC_INTERVAL_MS: Int(
    10,
    60_000,
    1_000,
    "The order sync's safety net: how often order state is reconciled with the indexer even when no notification came. Each block the indexer commits wakes the sync at once (PIER_SYNC_NOTIFY).",
  ),
  PIER_SYNC_FULL_PASS_MS: Int(
    100,
    3_600_000,
    10_000,
    "The longest the order sync goes without a full pass. While the indexer stores no new payment event and no order waits on confirmations or its deadline, a pass stops after its first query; this bounds how long a change that check cannot see (a reorg that rewrote the last blocks' events into the same count at the same height) waits.",
  ),
  PIER_SYNC_NOTIFY: Type.Optional(
    Bool(
      "Default true: the indexer's commits wake the order sync (Postgres LISTEN/NOTIFY on a trigger the API installs on the indexer's checkpoint table). false: the sync only polls, every PIER_SYNC_INTERVAL_MS.",
    ),
  ),
});

const KeeperSchema = Type.Object({
  PIER_KEEPER_INTERVAL_MS: Int(
    100,
    3_600_000,
    15_000,
    "How often the keeper releases matured escrows and pays out credits.",
  ),
  PIER_KEEPER_BATCH_SIZE: Int(1, 500, 50, "Payments per releaseBatch transaction."),
  PIER_TX_MAX_IN_FLIGHT: Int(1, 1_000, 16, "Transactions sent and not yet mined, per signer."),
  PIER_TX_BUMP_AFTER_BLOCKS: Int(
    1,
    100_000,
    3,
    "Blocks a transaction waits unmined before a fee bump (+12.5% or the market's).",
  ),
  PIER_TX_MAX_FEE_GWEI: Type.String({
    pattern: "^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,9})?$",
    default: "500",
    description:
      "Highest maxFeePerGas (gwei) the sender ever signs; past it a transaction waits, reported stuck.",
  }),
  PIER_TX_STUCK_AFTER_SECONDS: Int(
    1,
    7 * 86_400,
    300,
    "/readyz is degraded when a transaction waits longer.",
  ),
  PIER_TX_POLL_INTERVAL_MS: Type.Optional(
    Type.Integer({
      minimum: 10,
      maximum: 60_000,
      description:
        "How often a signer with open transactions is looked at. Default 100 on 31337, 1000 elsewhere.",
    }),
  ),
});

const WebhookSchema = Type.Object({
  PIER_WEBHOOK_TIMEOUT_MS: Int(100, 60_000, 10_000, "Per-attempt timeout of a webhook delivery."),
  PIER_WEBHOOK_RETRY_BASE_SECONDS: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 86_400,
      description: "First retry delay, doubling per attempt. Default 60 live, 1 test.",
    }),
  ),
  PIER_WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 86_400,
      description: "Longest retry delay. Default 6 h live, 60 s test.",
    }),
  ),
  PIER_WEBHOOK_RETRY_MAX_AGE_SECONDS: Int(60, 30 * 86_400, 3 * 86_400, "Give up delivering after this long."),
  PIER_WEBHOOK_CONCURRENCY: Int(1, 100, 10, "Deliveries in flight per process."),
  PIER_WEBHOOK_FAILING_AFTER: Int(1, 1_000, 5, "Failed attempts in a row before webhook.endpoint_failing."),
});

const OperationsSchema = Type.Object({
  PIER_ADMIN_KEY: Type.Optional(
    Type.String({
      minLength: 24,
      description:
        "Bearer key of the admin routes (/v1/admin/*), at least 24 characters. Unset: admin routes are off.",
    }),
  ),
  PIER_METRICS_TOKEN: Type.Optional(
    Type.String({
      minLength: 24,
      description:
        "Bearer token that GET /metrics requires (`Authorization: Bearer <token>`), at least 24 characters: the metrics show treasury balances and traffic. Unset: /metrics is off (403 metrics_disabled).",
    }),
  ),
  PIER_MAX_INDEXER_LAG_BLOCKS: Int(0, 1_000_000, 20, "/readyz fails beyond this indexer lag."),
  PIER_WORKERS: Type.Optional(
    Bool(
      "Run background work (sync, webhooks, keeper, senders) in this process; false for web-only replicas. Default true.",
    ),
  ),
  PIER_RISK_BLOCKLIST: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "Blocklist of payer addresses and customer IPs: a file path or an http(s) URL, re-read without a restart.",
    }),
  ),
  PIER_RISK_BLOCKLIST_REFRESH_MS: Int(100, 86_400_000, 60_000, "How often the blocklist is re-read."),
  PIER_RISK_COUNTRY_HEADER: Type.Optional(
    Type.String({
      pattern: "^[a-z0-9-]{1,64}$",
      description:
        "Request header with the fiat customer's ISO country, set by your edge proxy (e.g. cf-ipcountry).",
    }),
  ),
  PIER_RECONCILIATION_CRON: Type.String({
    default: "*/5 * * * *",
    minLength: 9,
    description: "When reconciliation runs (cron, UTC).",
  }),
  PIER_RECONCILIATION_GRACE_SECONDS: Int(0, 86_400, 120, "Mismatches younger than this wait a pass."),
});

/** The API's own variables (fiat providers and FX have schemas of their own: API_CONFIG_SECTIONS). */
export const EnvSchema = Type.Object({
  ...DatabaseSchema.properties,
  ...HttpSchema.properties,
  ...ChainSchema.properties,
  ...OrdersSchema.properties,
  ...KeeperSchema.properties,
  ...WebhookSchema.properties,
  ...OperationsSchema.properties,
});

/**
 * Every schema the API's configuration reads, by section: the one source of the generated reference
 * (docs/configuration.md, scripts/config-reference.ts).
 */
export const API_CONFIG_SECTIONS: { title: string; schema: TObject }[] = [
  { title: "Database", schema: DatabaseSchema },
  { title: "HTTP", schema: HttpSchema },
  { title: "Chain and keys", schema: ChainSchema },
  { title: "Orders", schema: OrdersSchema },
  { title: "Keeper and transaction sender", schema: KeeperSchema },
  { title: "Webhooks", schema: WebhookSchema },
  { title: "Operations, risk and reconciliation", schema: OperationsSchema },
  { title: "FX rates and quotes", schema: FxEnvSchema },
  { title: "Fiat wallets", schema: FiatSelectionSchema },
  { title: "Fiat wallets: sandbox simulator", schema: SandboxEnvSchema },
  { title: "Fiat wallets: PayPal", schema: PayPalEnvSchema },
  { title: "Fiat wallets: Stripe (Apple Pay, Google Pay)", schema: StripeEnvSchema },
];

type Env = Static<typeof EnvSchema>;

export interface Config {
  databaseUrl: string;
  host: string;
  port: number;
  apiSchema: string;
  jobsSchema: string;
  indexerSchema: string;
  dbPoolSize: number;
  /** PIER_NETWORKS_FILE; unset: one network from rpcUrl, deploymentFile, tokenAddress, confirmations. */
  networksFile?: string;
  rpcUrl: string;
  deploymentFile?: string;
  tokenAddress?: string;
  /** The settlement token's peg (PIER_TOKEN_PEG). */
  tokenPeg: string;
  operatorKey?: string;
  keeperKey?: string;
  arbiterKey?: string;
  /** Pays the gas of relayed payments (relay/): dev key on the local chains only. */
  relayerKey?: string;
  relay: { budgetWeiPerDay: bigint; perMinute: number };
  /** PIER_PAYMASTER_URL: the single network's ERC-7677 paymaster service, shown to customers' wallets. */
  paymasterUrl?: string;
  /** Fiat bridge: the treasury that pays escrows (dev key on the local chain only), the refund address. */
  treasuryKey?: string;
  bridgeAddress?: string;
  /** The bridge's key: sweeps tokens refunded to the bridge back to the treasury (bridge/sweep.ts). */
  bridgeKey?: string;
  /**
   * The remote signer (PIER_SIGNER_URL) and the roles whose keys it holds, by address; undefined when
   * no role is remote. Each role has a key or an address, never both (checked here).
   */
  remoteSigner?: RemoteSignerConfig;
  treasuryMinBalance: bigint;
  adminKey?: string;
  /** PIER_METRICS_TOKEN: the bearer token of GET /metrics; unset: /metrics is off. */
  metricsToken?: string;
  /** PIER_API_PUBLIC_URL: the server named in the OpenAPI document; unset: the local API. */
  apiPublicUrl?: string;
  /** Unset: decided from the chain (local and test chains are test mode). */
  livemode?: boolean;
  /** Unset: 1 on the local chain, 12 elsewhere. */
  confirmations?: number;
  checkoutBaseUrl: string;
  /** Origin of the merchant dashboard (SIWE domain, passkey relying party); default: checkoutBaseUrl. */
  dashboardUrl: string;
  /** Browser origins allowed to call the public checkout routes (CORS); default: the checkout's own. */
  corsOrigins: string[];
  feeBps: number;
  escrowPeriodSeconds: number;
  orderTtlSeconds: number;
  syncIntervalMs: number;
  /** Wake the order sync on the indexer's commits (LISTEN/NOTIFY); else poll only. */
  syncNotify: boolean;
  /** The longest the order sync goes without a full pass while its first query finds nothing new. */
  syncFullPassMs: number;
  keeperIntervalMs: number;
  keeperBatchSize: number;
  /** The transaction sender (chain/txSender.ts). */
  txSender: {
    maxInFlight: number;
    bumpAfterBlocks: number;
    /** PIER_TX_MAX_FEE_GWEI in wei. */
    maxFeePerGas: bigint;
    stuckAfterSeconds: number;
    /** Unset: 100 ms on the local chain, 1000 ms elsewhere. */
    pollIntervalMs?: number;
  };
  webhook: {
    timeoutMs: number;
    /** Unset: 60 s in live mode, 1 s in test mode. */
    retryBaseSeconds?: number;
    /** Unset: 6 h in live mode, 60 s in test mode. */
    retryMaxIntervalSeconds?: number;
    retryMaxAgeSeconds: number;
    concurrency: number;
  };
  rateLimit: { max: number; windowMs: number };
  maxIndexerLagBlocks: number;
  logLevel: string;
  /** Run background work (order sync, webhook delivery, keeper, chain sender) in this process. */
  workers: boolean;
  risk: { blocklist?: string; blocklistRefreshMs: number; countryHeader?: string };
  reconciliation: { cron: string; graceSeconds: number };
  webhookFailingAfter: number;
  fx: FxConfig;
  /** The fiat wallet provider and its validated settings, or why fiat wallets are off. */
  fiat: FiatSelection;
}

export interface RemoteSignerConfig {
  url: string;
  /** The Authorization header value, if any; a secret. */
  auth?: string;
  timeoutMs: number;
  operator?: string;
  keeper?: string;
  arbiter?: string;
  treasury?: string;
  relayer?: string;
  /** PIER_BRIDGE_ADDRESS, when PIER_BRIDGE_REMOTE=true. */
  bridge?: string;
}

/**
 * Reads and validates the environment, once per process: the API's variables, FX and the selected fiat
 * provider's. Throws a ConfigError naming every bad variable. Nothing else in the API reads process.env.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const e: Env = readEnv(EnvSchema, source, "API");
  return {
    databaseUrl: e.DATABASE_URL,
    host: e.PIER_API_HOST,
    port: e.PIER_API_PORT,
    apiSchema: e.PIER_API_SCHEMA,
    jobsSchema: e.PIER_JOBS_SCHEMA,
    indexerSchema: e.PIER_INDEXER_SCHEMA,
    dbPoolSize: e.PIER_DB_POOL_SIZE,
    networksFile: e.PIER_NETWORKS_FILE,
    rpcUrl: e.PIER_RPC_URL,
    deploymentFile: e.PIER_DEPLOYMENT_FILE,
    tokenAddress: e.PIER_TOKEN_ADDRESS,
    tokenPeg: e.PIER_TOKEN_PEG,
    operatorKey: e.PIER_OPERATOR_KEY,
    keeperKey: e.PIER_KEEPER_KEY,
    arbiterKey: e.PIER_ARBITER_KEY,
    relayerKey: e.PIER_RELAYER_KEY,
    relay: { budgetWeiPerDay: BigInt(e.PIER_RELAY_BUDGET_WEI), perMinute: e.PIER_RELAY_PER_MINUTE },
    paymasterUrl: paymasterUrl(e.PIER_PAYMASTER_URL),
    treasuryKey: e.PIER_TREASURY_KEY,
    bridgeAddress: e.PIER_BRIDGE_ADDRESS,
    bridgeKey: e.PIER_BRIDGE_KEY,
    remoteSigner: remoteSignerConfig(e),
    treasuryMinBalance: BigInt(e.PIER_TREASURY_MIN_BALANCE),
    adminKey: e.PIER_ADMIN_KEY,
    metricsToken: e.PIER_METRICS_TOKEN,
    apiPublicUrl: apiPublicUrl(e.PIER_API_PUBLIC_URL),
    livemode: e.PIER_LIVEMODE === undefined ? undefined : bool(e.PIER_LIVEMODE),
    confirmations: e.PIER_CONFIRMATIONS,
    checkoutBaseUrl: e.PIER_CHECKOUT_BASE_URL.replace(/\/+$/, ""),
    dashboardUrl: (e.PIER_DASHBOARD_URL ?? e.PIER_CHECKOUT_BASE_URL).replace(/\/+$/, ""),
    corsOrigins: e.PIER_CORS_ORIGINS?.split(",") ?? [new URL(e.PIER_CHECKOUT_BASE_URL).origin],
    feeBps: e.PIER_FEE_BPS,
    escrowPeriodSeconds: e.PIER_ESCROW_PERIOD_SECONDS,
    orderTtlSeconds: e.PIER_ORDER_TTL_SECONDS,
    syncIntervalMs: e.PIER_SYNC_INTERVAL_MS,
    syncNotify: e.PIER_SYNC_NOTIFY === undefined || bool(e.PIER_SYNC_NOTIFY),
    syncFullPassMs: e.PIER_SYNC_FULL_PASS_MS,
    keeperIntervalMs: e.PIER_KEEPER_INTERVAL_MS,
    keeperBatchSize: e.PIER_KEEPER_BATCH_SIZE,
    txSender: {
      maxInFlight: e.PIER_TX_MAX_IN_FLIGHT,
      bumpAfterBlocks: e.PIER_TX_BUMP_AFTER_BLOCKS,
      maxFeePerGas: gweiToWei(e.PIER_TX_MAX_FEE_GWEI),
      stuckAfterSeconds: e.PIER_TX_STUCK_AFTER_SECONDS,
      pollIntervalMs: e.PIER_TX_POLL_INTERVAL_MS,
    },
    webhook: {
      timeoutMs: e.PIER_WEBHOOK_TIMEOUT_MS,
      retryBaseSeconds: e.PIER_WEBHOOK_RETRY_BASE_SECONDS,
      retryMaxIntervalSeconds: e.PIER_WEBHOOK_RETRY_MAX_INTERVAL_SECONDS,
      retryMaxAgeSeconds: e.PIER_WEBHOOK_RETRY_MAX_AGE_SECONDS,
      concurrency: e.PIER_WEBHOOK_CONCURRENCY,
    },
    rateLimit: { max: e.PIER_RATE_LIMIT_MAX, windowMs: e.PIER_RATE_LIMIT_WINDOW_MS },
    maxIndexerLagBlocks: e.PIER_MAX_INDEXER_LAG_BLOCKS,
    logLevel: e.PIER_LOG_LEVEL,
    workers: e.PIER_WORKERS === undefined ? true : bool(e.PIER_WORKERS),
    risk: {
      blocklist: e.PIER_RISK_BLOCKLIST,
      blocklistRefreshMs: e.PIER_RISK_BLOCKLIST_REFRESH_MS,
      countryHeader: e.PIER_RISK_COUNTRY_HEADER,
    },
    reconciliation: {
      cron: e.PIER_RECONCILIATION_CRON,
      graceSeconds: e.PIER_RECONCILIATION_GRACE_SECONDS,
    },
    webhookFailingAfter: e.PIER_WEBHOOK_FAILING_AFTER,
    fx: loadFxConfig(source),
    fiat: selectFiatProvider(source),
  };
}

/**
 * Which roles sign through PIER_SIGNER_URL. A role with both a key and an address would be ambiguous,
 * and an address with no signer to ask could never sign: both stop the boot.
 */
function remoteSignerConfig(e: Env): RemoteSignerConfig | undefined {
  const bridgeRemote = e.PIER_BRIDGE_REMOTE !== undefined && bool(e.PIER_BRIDGE_REMOTE);
  const roles = [
    ["operator", "PIER_OPERATOR", e.PIER_OPERATOR_KEY, e.PIER_OPERATOR_ADDRESS],
    ["keeper", "PIER_KEEPER", e.PIER_KEEPER_KEY, e.PIER_KEEPER_ADDRESS],
    ["arbiter", "PIER_ARBITER", e.PIER_ARBITER_KEY, e.PIER_ARBITER_ADDRESS],
    ["treasury", "PIER_TREASURY", e.PIER_TREASURY_KEY, e.PIER_TREASURY_ADDRESS],
    ["relayer", "PIER_RELAYER", e.PIER_RELAYER_KEY, e.PIER_RELAYER_ADDRESS],
  ] as const;
  const problems: string[] = [];
  const remote: Partial<
    Record<"operator" | "keeper" | "arbiter" | "treasury" | "relayer" | "bridge", string>
  > = {};
  for (const [role, prefix, key, address] of roles) {
    if (key && address) problems.push(`${prefix}_KEY and ${prefix}_ADDRESS are both set: choose one`);
    if (address) remote[role] = address;
  }
  if (bridgeRemote) {
    if (e.PIER_BRIDGE_KEY)
      problems.push("PIER_BRIDGE_KEY and PIER_BRIDGE_REMOTE=true are both set: choose one");
    if (!e.PIER_BRIDGE_ADDRESS) problems.push("PIER_BRIDGE_REMOTE=true needs PIER_BRIDGE_ADDRESS");
    else remote.bridge = e.PIER_BRIDGE_ADDRESS;
  }
  const names = [
    ...roles.filter(([, , , address]) => address).map(([, prefix]) => `${prefix}_ADDRESS`),
    ...(bridgeRemote ? ["PIER_BRIDGE_REMOTE"] : []),
  ];
  if (names.length > 0 && !e.PIER_SIGNER_URL)
    problems.push(
      `${names.join(", ")} need${names.length === 1 ? "s" : ""} PIER_SIGNER_URL (the remote signer)`,
    );
  if (problems.length > 0) throw new ConfigError(`invalid API configuration:\n  ${problems.join("\n  ")}`);
  if (!e.PIER_SIGNER_URL) return undefined;
  return { url: e.PIER_SIGNER_URL, auth: e.PIER_SIGNER_AUTH, timeoutMs: e.PIER_SIGNER_TIMEOUT_MS, ...remote };
}

/** PIER_API_PUBLIC_URL, checked like PIER_PAYMASTER_URL, without a trailing slash (paths are appended). */
function apiPublicUrl(value: string | undefined): string | undefined {
  const problem = value === undefined ? null : httpUrlProblem(value);
  if (problem) throw new ConfigError(`invalid API configuration:\n  PIER_API_PUBLIC_URL ${problem}`);
  return value?.replace(/\/+$/, "");
}

function paymasterUrl(value: string | undefined): string | undefined {
  const problem = value === undefined ? null : httpUrlProblem(value);
  if (problem) throw new ConfigError(`invalid API configuration:\n  PIER_PAYMASTER_URL ${problem}`);
  return value;
}

function bool(value: string): boolean {
  return value === "true" || value === "1";
}

/** "1.5" gwei -> 1500000000n wei, exactly (the pattern allows at most 9 decimals). */
function gweiToWei(gwei: string): bigint {
  const wei = decimalToUnits(gwei, 9);
  if (wei === 0n) throw new ConfigError("PIER_TX_MAX_FEE_GWEI must be positive");
  return wei;
}
