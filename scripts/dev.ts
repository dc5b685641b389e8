/**
 * The whole local stack in one process tree, started in order with readiness checks:
 * Postgres (embedded unless DATABASE_URL) -> Hardhat node -> contracts deployed + dev accounts funded
 * -> indexer -> API (+ demo merchant) -> web. Ctrl-C or SIGTERM stops every child, newest first.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { formatUnits } from "viem";
import { devAccount } from "../contracts/lib/accounts.ts";
import { deploymentPath } from "../contracts/lib/deployments.ts";
import { startIndexer } from "../indexer/lib/start.ts";
import { DEV_BALANCE, deployLocal } from "./deploy.ts";
import { startChain } from "./lib/chain.ts";
import { log } from "./lib/log.ts";
import { startPostgres } from "./lib/postgres.ts";

const root = new URL("..", import.meta.url).pathname;
const dataDir = join(root, ".data");
const ports = {
  postgres: Number(process.env.PIER_PG_PORT ?? 54329),
  chain: Number(process.env.PIER_CHAIN_PORT ?? 8545),
  indexer: Number(process.env.PIER_INDEXER_PORT ?? 42069),
};

type Stopper = { name: string; stop: () => Promise<void> };
const running: Stopper[] = [];
let stopping = false;

async function shutdown(signal: string, code = 0): Promise<never> {
  if (!stopping) {
    stopping = true;
    log("dev", "stopping", { signal });
    for (const { name, stop } of running.reverse()) {
      try {
        await stop();
        log("dev", "stopped", { name });
      } catch (error) {
        log("dev", "stop failed", { name, error: String(error) });
      }
    }
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  await mkdir(join(dataDir, "logs"), { recursive: true });
  const pg = await startPostgres({ dataDir: join(dataDir, "postgres"), port: ports.postgres });
  running.push({ name: "postgres", stop: pg.stop });

  const chain = await startChain({ port: ports.chain, logFile: join(dataDir, "logs", "chain.log") });
  running.push({ name: "chain", stop: chain.stop });

  const deployment = await deployLocal(chain.rpcUrl);

  // The schema is derived from the chain's genesis hash: a fresh Hardhat node never meets old rows.
  const indexer = await startIndexer({
    databaseUrl: pg.url,
    rpcUrl: chain.rpcUrl,
    deploymentFile: deploymentPath(deployment.chainId),
    port: ports.indexer,
    logFile: join(dataDir, "logs", "indexer.log"),
  });
  running.push({ name: "indexer", stop: indexer.stop });

  const token = deployment.contracts.TestStablecoin!;
  console.log(`
Pier local stack is up.
  Chain RPC          ${chain.rpcUrl}  (chain id ${chain.chainId})
  PaymentEscrow      ${deployment.contracts.PaymentEscrow.address}
  TestStablecoin     ${token.address}  (tUSDC, 6 decimals)
  Indexer            ${indexer.url}  (GraphQL ${indexer.url}/graphql, SQL ${indexer.url}/sql, schema ${indexer.schema})
  Postgres           ${pg.url.replace(/:[^:@/]+@/, ":***@")}
  Dev accounts       ${formatUnits(DEV_BALANCE, 6)} tUSDC each; customer ${devAccount("customer").address}
  Logs               ${join(dataDir, "logs")}
Press Ctrl-C to stop everything.
`);
} catch (error) {
  log("dev", "failed to start", { error: error instanceof Error ? error.message : String(error) });
  await shutdown("startup-failure", 1);
}
