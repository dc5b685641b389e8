/**
 * Builds the AppContext at boot: migrates the API's schema, connects to the chain (reading the deployment
 * and token), starts pg-boss in its own schema. `close()` releases all of it.
 */
import type { FastifyBaseLogger } from "fastify";
import { PgBoss } from "pg-boss";
import { loadChainContext } from "./chain/chainContext.ts";
import { recordChainIdentity } from "./chain/chainIdentity.ts";
import { HeadTracker } from "./chain/headTracker.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { migrate } from "./db/migrate.ts";
import { createPool } from "./db/pool.ts";
import { indexerTables } from "./indexer/indexerTables.ts";
import { createMetrics } from "./metrics/metrics.ts";

export async function createContext(
  config: Config,
  log: FastifyBaseLogger,
): Promise<{ ctx: AppContext; close: () => Promise<void> }> {
  const applied = await migrate(config.databaseUrl, config.apiSchema);
  if (applied.length > 0) log.info({ applied }, "migrations applied");
  const chain = await loadChainContext(config);
  const pool = createPool(config.databaseUrl, config.apiSchema, config.dbPoolSize);
  // The chain's genesis, verified against the deployment just now: new transaction intents are stamped
  // with it, and the senders abandon open ones of any other (chain/chainIdentity.ts).
  const genesis = chain.deployment.genesisHash.toLowerCase();
  const previous = await recordChainIdentity(pool, chain.chainId, genesis);
  if (previous && previous !== genesis)
    log.warn(
      { chainId: chain.chainId, previousGenesis: previous, genesis },
      "the chain was replaced since the last start",
    );
  const boss = new PgBoss({
    connectionString: config.databaseUrl,
    schema: config.jobsSchema,
    max: 10,
    application_name: "pier-api-jobs",
    useListenNotify: true,
    // Frequent supervision: a crashed worker's active jobs are expired and retried within seconds.
    superviseIntervalSeconds: 5,
    monitorIntervalSeconds: 5,
    instanceName: "pier-api",
  });
  boss.on("error", (err) => log.error({ err }, "job queue error"));
  await boss.start();
  const head = new HeadTracker(chain.client);
  await head.refresh();
  const ctx: AppContext = {
    config,
    pool,
    chain,
    head,
    tables: indexerTables(config.indexerSchema),
    boss,
    metrics: createMetrics(),
    log,
  };
  log.info(
    {
      chainId: chain.chainId,
      livemode: chain.livemode,
      escrow: chain.escrow,
      token: chain.token,
      operator: chain.signers.operator.address,
      keeper: chain.signers.keeper.address,
      confirmations: chain.confirmations,
      indexerSchema: config.indexerSchema,
    },
    "context ready",
  );
  return {
    ctx,
    close: async () => {
      await boss.stop({ graceful: true, timeout: 10_000 }).catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}
