/**
 * The API's configuration: every environment variable it reads, validated once at boot against a
 * schema (TypeBox + Ajv). A bad value stops the process with a message naming the variable. Every
 * variable is documented in api/.env.example.
 *
 * Secrets (signer keys, the admin key) come only from the environment. The public Hardhat dev keys are
 * used as defaults only when the chain is the local one (31337): see chain/signers.ts.
 */
import { isCurrency } from "@pier/money/currencies";
import { decimalToUnits } from "@pier/money/units";
import { Ajv } from "ajv";
import Type, { type Static } from "typebox";

const Bool = Type.Union([Type.Literal("true"), Type.Literal("false"), Type.Literal("1"), Type.Literal("0")]);
const Int = (min: number, max: number, dflt: number, description: string) =>
  Type.Integer({ minimum: min, maximum: max, default: dflt, description });

export const EnvSchema = Type.Object({
  DATABASE_URL: Type.String({ minLength: 1, description: "Postgres connection string." }),
  PIER_API_HOST: Type.String({ default: "127.0.0.1", description: "Interface to listen on." }),
  PIER_API_PORT: Int(0, 65535, 4000, "Port to listen on."),
  PIER_API_SCHEMA: Type.String({ pattern: "^[a-z_][a-z0-9_]{0,62}$", default: "pier_api" }),
  PIER_JOBS_SCHEMA: Type.String({ pattern: "^[a-z_][a-z0-9_]{0,62}$", default: "pier_jobs" }),
  PIER_INDEXER_SCHEMA: Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_]{0,62}$" }),
  PIER_DB_POOL_SIZE: Int(2, 200, 20, "Connections in the API's pool."),
  PIER_RPC_URL: Type.String({ default: "http://127.0.0.1:8545" }),
  PIER_DEPLOYMENT_FILE: Type.Optional(Type.String({ minLength: 1 })),
  PIER_TOKEN_ADDRESS: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" })),
  PIER_OPERATOR_KEY: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" })),
  PIER_KEEPER_KEY: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" })),
  PIER_ARBITER_KEY: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" })),
  PIER_TREASURY_KEY: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" })),
  PIER_BRIDGE_ADDRESS: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" })),
  PIER_BRIDGE_KEY: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" })),
  PIER_TREASURY_MIN_BALANCE: Type.String({
    pattern: "^(0|[1-9][0-9]{0,77})$",
    default: "1000000000",
    description: "Treasury reserve in token units: new fiat sessions are refused below it.",
  }),
  PIER_ADMIN_KEY: Type.Optional(Type.String({ minLength: 24 })),
  PIER_LIVEMODE: Type.Optional(Bool),
  PIER_CONFIRMATIONS: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  PIER_CHECKOUT_BASE_URL: Type.String({ default: "http://127.0.0.1:5173", pattern: "^https?://" }),
  PIER_DASHBOARD_URL: Type.Optional(Type.String({ pattern: "^https?://[^/]+/?$" })),
  PIER_CORS_ORIGINS: Type.Optional(
    Type.String({ pattern: "^https?://[^,\\s/]+(,https?://[^,\\s/]+)*$", description: "Checkout origins." }),
  ),
  PIER_FEE_BPS: Int(0, 10_000, 100, "Platform fee in basis points of the order amount."),
  PIER_ESCROW_PERIOD_SECONDS: Int(0, 365 * 86_400, 7 * 86_400, "Default buyer-protection window."),
  PIER_ORDER_TTL_SECONDS: Int(60, 30 * 86_400, 3_600, "Default time to pay an order."),
  PIER_FX_RATES: Type.String({
    default: "USD=1",
    pattern: "^([A-Z]{3}=[0-9]+(\\.[0-9]+)?)(,[A-Z]{3}=[0-9]+(\\.[0-9]+)?)*$",
  }),
  PIER_SYNC_INTERVAL_MS: Int(10, 60_000, 100, "How often order state is reconciled with the indexer."),
  PIER_KEEPER_INTERVAL_MS: Int(100, 3_600_000, 15_000, "How often the keeper looks for matured escrows."),
  PIER_KEEPER_BATCH_SIZE: Int(1, 500, 50, "Payments per releaseBatch transaction."),
  PIER_TX_MAX_IN_FLIGHT: Int(1, 1_000, 16, "Transactions sent and not yet mined, per signer."),
  PIER_TX_BUMP_AFTER_BLOCKS: Int(1, 100_000, 3, "Blocks a transaction waits unmined before a fee bump."),
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
  PIER_TX_POLL_INTERVAL_MS: Type.Optional(Type.Integer({ minimum: 10, maximum: 60_000 })),
  PIER_WEBHOOK_TIMEOUT_MS: Int(100, 60_000, 10_000, "Per-attempt timeout of a webhook delivery."),
  PIER_WEBHOOK_RETRY_BASE_SECONDS: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  PIER_WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  PIER_WEBHOOK_RETRY_MAX_AGE_SECONDS: Int(60, 30 * 86_400, 3 * 86_400, "Give up delivering after this long."),
  PIER_WEBHOOK_CONCURRENCY: Int(1, 100, 10, "Deliveries in flight per process."),
  PIER_RATE_LIMIT_MAX: Int(1, 1_000_000, 100, "Requests per key (or IP) per window."),
  PIER_RATE_LIMIT_WINDOW_MS: Int(100, 3_600_000, 1_000, "Rate-limit window."),
  PIER_MAX_INDEXER_LAG_BLOCKS: Int(0, 1_000_000, 20, "/readyz fails beyond this indexer lag."),
  PIER_LOG_LEVEL: Type.Union(
    ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((l) => Type.Literal(l)),
    { default: "info" },
  ),
  PIER_BENCH_BASELINE: Type.Optional(Bool),
  PIER_WORKERS: Type.Optional(Bool),
  PIER_RISK_BLOCKLIST: Type.Optional(
    Type.String({
      minLength: 1,
      description: "Blocklist of payer addresses: a file path or an http(s) URL.",
    }),
  ),
  PIER_RISK_BLOCKLIST_REFRESH_MS: Int(100, 86_400_000, 60_000, "How often the blocklist is re-read."),
  PIER_RISK_COUNTRY_HEADER: Type.Optional(
    Type.String({ pattern: "^[a-z0-9-]{1,64}$", description: "Request header with the customer's country." }),
  ),
  PIER_RECONCILIATION_CRON: Type.String({ default: "*/5 * * * *", minLength: 9 }),
  PIER_RECONCILIATION_GRACE_SECONDS: Int(0, 86_400, 120, "Mismatches younger than this wait a pass."),
  PIER_WEBHOOK_FAILING_AFTER: Int(1, 1_000, 5, "Failed attempts in a row: webhook.endpoint_failing."),
});

type Env = Static<typeof EnvSchema>;

export interface Config {
  databaseUrl: string;
  host: string;
  port: number;
  apiSchema: string;
  jobsSchema: string;
  indexerSchema: string;
  dbPoolSize: number;
  rpcUrl: string;
  deploymentFile?: string;
  tokenAddress?: string;
  operatorKey?: string;
  keeperKey?: string;
  arbiterKey?: string;
  /** Fiat bridge: the treasury that pays escrows (dev key on the local chain only), the refund address. */
  treasuryKey?: string;
  bridgeAddress?: string;
  /** The bridge's key: sweeps tokens refunded to the bridge back to the treasury (bridge/sweep.ts). */
  bridgeKey?: string;
  treasuryMinBalance: bigint;
  adminKey?: string;
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
  /** Stablecoin (whole tokens) per unit of each fiat currency, as exact decimal strings. */
  fxRates: Record<string, string>;
  syncIntervalMs: number;
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
  benchBaseline: boolean;
  /** Run background work (order sync, webhook delivery, keeper, chain sender) in this process. */
  workers: boolean;
  risk: { blocklist?: string; blocklistRefreshMs: number; countryHeader?: string };
  reconciliation: { cron: string; graceSeconds: number };
  webhookFailingAfter: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, strict: false });
const validate = ajv.compile<Env>(EnvSchema);

/** Reads and validates the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const env: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = source[key];
    if (value !== undefined && value !== "") env[key] = value;
  }
  if (!validate(env)) {
    const problems = (validate.errors ?? []).map((e) => {
      const name = e.instancePath.replace(/^\//, "") || String(e.params.missingProperty ?? "");
      return `${name}: ${e.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = env as Env;
  return {
    databaseUrl: e.DATABASE_URL,
    host: e.PIER_API_HOST,
    port: e.PIER_API_PORT,
    apiSchema: e.PIER_API_SCHEMA,
    jobsSchema: e.PIER_JOBS_SCHEMA,
    indexerSchema: e.PIER_INDEXER_SCHEMA,
    dbPoolSize: e.PIER_DB_POOL_SIZE,
    rpcUrl: e.PIER_RPC_URL,
    deploymentFile: e.PIER_DEPLOYMENT_FILE,
    tokenAddress: e.PIER_TOKEN_ADDRESS,
    operatorKey: e.PIER_OPERATOR_KEY,
    keeperKey: e.PIER_KEEPER_KEY,
    arbiterKey: e.PIER_ARBITER_KEY,
    treasuryKey: e.PIER_TREASURY_KEY,
    bridgeAddress: e.PIER_BRIDGE_ADDRESS,
    bridgeKey: e.PIER_BRIDGE_KEY,
    treasuryMinBalance: BigInt(e.PIER_TREASURY_MIN_BALANCE),
    adminKey: e.PIER_ADMIN_KEY,
    livemode: e.PIER_LIVEMODE === undefined ? undefined : bool(e.PIER_LIVEMODE),
    confirmations: e.PIER_CONFIRMATIONS,
    checkoutBaseUrl: e.PIER_CHECKOUT_BASE_URL.replace(/\/+$/, ""),
    dashboardUrl: (e.PIER_DASHBOARD_URL ?? e.PIER_CHECKOUT_BASE_URL).replace(/\/+$/, ""),
    corsOrigins: e.PIER_CORS_ORIGINS?.split(",") ?? [new URL(e.PIER_CHECKOUT_BASE_URL).origin],
    feeBps: e.PIER_FEE_BPS,
    escrowPeriodSeconds: e.PIER_ESCROW_PERIOD_SECONDS,
    orderTtlSeconds: e.PIER_ORDER_TTL_SECONDS,
    fxRates: parseRates(e.PIER_FX_RATES),
    syncIntervalMs: e.PIER_SYNC_INTERVAL_MS,
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
    benchBaseline: e.PIER_BENCH_BASELINE === undefined ? false : bool(e.PIER_BENCH_BASELINE),
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
  };
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

function parseRates(raw: string): Record<string, string> {
  const rates: Record<string, string> = {};
  for (const pair of raw.split(",")) {
    const [currency, rate] = pair.split("=") as [string, string];
    // Fiat amounts are checked against the currency's ISO 4217 minor units: an unknown code has none.
    if (!isCurrency(currency))
      throw new ConfigError(`PIER_FX_RATES: ${currency} is not an ISO 4217 currency`);
    if (/^0+(\.0+)?$/.test(rate))
      throw new ConfigError(`PIER_FX_RATES: rate for ${currency} must be positive`);
    rates[currency] = rate;
  }
  return rates;
}
