/**
 * The composition root: builds the AppContext at boot. Migrates the API's schema, connects to the chain
 * (reading the deployment and token), starts pg-boss in its own schema, and builds every long-lived
 * object once (FX, the fiat provider, the risk blocklist, the caches). `close()` releases all of it.
 */
import type { FastifyBaseLogger } from "fastify";
import { createFiat, createFx } from "./bridge/fiatContext.ts";
import { recordChainIdentity } from "./chain/chainIdentity.ts";
import { loadNetworks } from "./chain/networks.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { migrate } from "./db/migrate.ts";
import { createPool } from "./db/pool.ts";
import { indexerTables } from "./indexer/indexerTables.ts";
import { createBoss } from "./jobs/queues.ts";
import { RetryWakeups } from "./jobs/retryWakeups.ts";
import { TtlCache } from "./lib/ttlCache.ts";
import { createMetrics } from "./metrics/metrics.ts";
import { orderInserts } from "./orders/orderInserts.ts";
import { createBlocklist } from "./risk/blocklist.ts";

export async function createContext(
  config: Config,
  log: FastifyBaseLogger,
): Promise<{ ctx: AppContext; close: () => Promise<void> }> {
  // pg-boss keeps a schema of its own: it starts while the API's schema migrates and the networks load.
  const boss = createBoss(config);
  boss.on("error", (err) => log.error({ err }, "job queue error"));
  const bossStarted = boss.start();
  bossStarted.catch(() => {}); // its failure is thrown where it is awaited, below
  const applied = await migrate(config.databaseUrl, config.apiSchema);
  if (applied.length > 0) log.info({ applied }, "migrations applied");
  const networks = await loadNetworks(config);
  const pool = createPool(config.databaseUrl, config.apiSchema, config.dbPoolSize);
  for (const net of networks.list) {
    // The chain's genesis, verified against the deployment just now: new transaction intents are stamped
    // with it, and the senders abandon open ones of any other (chain/chainIdentity.ts).
    const genesis = net.deployment.genesisHash.toLowerCase();
    const previous = await recordChainIdentity(pool, net.chainId, genesis);
    if (previous && previous !== genesis)
      log.warn(
        { chainId: net.chainId, previousGenesis: previous, genesis },
        "the chain was replaced since the last start",
      );
  }
  await bossStarted;
  await Promise.all(networks.list.map((net) => net.head.refresh()));
  const chain = networks.default;
  const ctx: AppContext = {
    config,
    pool,
    networks,
    tables: indexerTables(config.indexerSchema),
    boss,
    metrics: createMetrics(),
    log,
    // Any live network rules out sandbox rates, whichever network the bridge funds on.
    fx: createFx(config, { livemode: networks.homes.has(true), token: chain.token }, pool),
    fiat: createFiat(config, chain),
    blocklist: createBlocklist(config.risk.blocklist, config.risk.blocklistRefreshMs, log),
    orderInserts: orderInserts(pool),
    webhookRetries: new RetryWakeups(),
    caches: {
      // Order creation reads the merchant on every request; a payout address changed in the database
      // applies within a minute.
      merchants: new TtlCache(60_000),
      // Risk rules are read on every order and payment; a change made through another process applies
      // within two seconds (this process's own changes at once).
      riskSettings: new TtlCache(2_000),
    },
  };
  if (ctx.fiat.reason) log.info({ reason: ctx.fiat.reason }, "fiat wallets disabled");
  else log.info({ provider: ctx.fiat.provider?.name }, "fiat wallets enabled");
  for (const net of networks.list)
    log.info(
      {
        chainId: net.chainId,
        network: net.name,
        livemode: net.livemode,
        escrow: net.escrow,
        tokens: net.tokens.map((t) => `${t.symbol} ${t.address}`),
        operator: net.signers.operator.address,
        keeper: net.signers.keeper.address,
        confirmations: net.confirmations,
      },
      "network ready",
    );
  log.info({ networks: networks.list.length, indexerSchema: config.indexerSchema }, "context ready");
  return {
    ctx,
    close: async () => {
      await boss.stop({ graceful: true, timeout: 10_000 }).catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}
