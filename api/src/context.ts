/**
 * Everything a domain function may need, built once at boot by app.ts and passed explicitly (no
 * globals): configuration, the database pool, the chain, the indexer's tables, the job queue, metrics.
 */
import type { FastifyBaseLogger } from "fastify";
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import type { ChainContext } from "./chain/chainContext.ts";
import type { HeadTracker } from "./chain/headTracker.ts";
import type { Config } from "./config.ts";
import type { IndexerTables } from "./indexer/indexerTables.ts";
import type { Metrics } from "./metrics/metrics.ts";

export interface AppContext {
  config: Config;
  pool: pg.Pool;
  chain: ChainContext;
  head: HeadTracker;
  tables: IndexerTables;
  boss: PgBoss;
  metrics: Metrics;
  log: FastifyBaseLogger;
}
