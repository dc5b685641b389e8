/**
 * Everything a domain function may need, built once at boot by bootstrap.ts (the composition root) and
 * passed explicitly: configuration, the database pool, the networks, the indexer's tables, the job queue,
 * metrics, FX, the fiat wallet provider, the risk blocklist and the per-process caches. No module keeps
 * state of its own; nothing reads process.env but config.ts.
 */
import type { FastifyBaseLogger } from "fastify";
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import type { Networks } from "./chain/networks.ts";
import type { Config } from "./config.ts";
import type { InsertBatcher } from "./db/insertBatcher.ts";
import type { FiatProvider } from "./fiat/provider.ts";
import type { FxDeps } from "./fx/quoteService.ts";
import type { IndexerTables } from "./indexer/indexerTables.ts";
import type { RetryWakeups } from "./jobs/retryWakeups.ts";
import type { TtlCache } from "./lib/ttlCache.ts";
import type { MerchantRow } from "./merchants/merchants.ts";
import type { Metrics } from "./metrics/metrics.ts";
import type { NewOrder, OrderInserted } from "./orders/orderInserts.ts";
import type { Blocklist } from "./risk/blocklist.ts";
import type { RiskSettings } from "./risk/riskSettings.ts";

export interface AppContext {
  config: Config;
  pool: pg.Pool;
  /** The networks served (chain/networks.ts): each with its RPC, escrow, tokens, signers and head. */
  networks: Networks;
  tables: IndexerTables;
  boss: PgBoss;
  metrics: Metrics;
  log: FastifyBaseLogger;
  /** Rate source, quote store and quote settings (api/src/fx), for orders, fiat checkout and reports. */
  fx: FxDeps;
  /** The fiat wallet provider, or why fiat wallets are off (bridge/fiatContext.ts). */
  fiat: { provider?: FiatProvider; reason?: string };
  blocklist: Blocklist;
  /** New orders' inserts, batched with those created at the same moment (orders/orderInserts.ts). */
  orderInserts: InsertBatcher<NewOrder, OrderInserted>;
  /** Timers that wake the webhook workers when a retry this process scheduled falls due. */
  webhookRetries: RetryWakeups;
  caches: {
    merchants: TtlCache<MerchantRow>;
    riskSettings: TtlCache<RiskSettings>;
  };
}
