/**
 * The whole local stack in one process tree, started with readiness checks, each step as soon as what it
 * needs is up: Postgres (embedded unless DATABASE_URL) and the demo merchant, beside two Hardhat nodes
 * (chain A 31337 on PIER_CHAIN_PORT, chain B 1337 on PIER_CHAIN_B_PORT) with contracts deployed + dev
 * accounts funded on each -> indexer (both chains) and the fiat sandbox -> API (a networks file names both
 * chains) -> web, whose build runs from the chains' start on. PIER_DEV_CHAINS=1 runs chain A only,
 * as the stack was before it had two. Ctrl-C or SIGTERM stops every child, newest first: web,
 * API, indexer, chain, and Postgres last, so nothing still running loses its database. scripts/dev runs
 * this in a session of its own, so a terminal's Ctrl-C reaches only this process and not every child at
 * once. It refuses to start when a port it needs is taken.
 */
import { spawn } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { formatUnits } from "viem";
import { startApi } from "../api/lib/start.ts";
import { fiatProviderNameOf } from "../api/src/fiat/registry.ts";
import { startSandboxProcess } from "../api/src/fiat/sandbox/startProcess.ts";
import { ensureDevAdminKey } from "../cli/src/devAdminKey.ts";
import { devAccount } from "../contracts/lib/accounts.ts";
import { deploymentPath } from "../contracts/lib/deployments.ts";
import { DEV_BALANCE, deployLocal } from "./deploy.ts";
import { rpc, startChain, stopChild } from "./lib/chain.ts";
import { startIndexer } from "./lib/indexer.ts";
import { log } from "./lib/log.ts";
import { localNetworkName, tokenModelsOf, writeNetworksFile } from "./lib/networksFile.ts";
import { assertPortsFree, waitFor } from "./lib/ports.ts";
import { startPostgres } from "./lib/postgres.ts";
import { seed } from "./seed.ts";

const root = new URL("..", import.meta.url).pathname;
const viteBin = join(root, "web/node_modules/vite/bin/vite.js");
// PIER_DEV_DATA_DIR: a data folder of its own (the restart test runs dev there); its deployment file then
// goes there too, leaving contracts/deployments to the developer's own stack.
const dataDir = process.env.PIER_DEV_DATA_DIR ?? join(root, ".data");
const ownDeploymentFile = process.env.PIER_DEV_DATA_DIR ? join(dataDir, "deployment.json") : undefined;
/** Chain B: Hardhat's other dev chain id (LOCAL_CHAIN_IDS), a second network in the same stack. */
const CHAIN_B_ID = 1337;
const chainCount = process.env.PIER_DEV_CHAINS?.trim() || "2";
if (chainCount !== "1" && chainCount !== "2") {
  log("dev", "failed to start", { error: `PIER_DEV_CHAINS must be 1 or 2, not ${chainCount}` });
  process.exit(2);
}
const twoChains = chainCount === "2";
const ports = {
  postgres: Number(process.env.PIER_PG_PORT ?? 54329),
  chain: Number(process.env.PIER_CHAIN_PORT ?? 8545),
  ...(twoChains && { chainB: Number(process.env.PIER_CHAIN_B_PORT ?? 8546) }),
  indexer: Number(process.env.PIER_INDEXER_PORT ?? 42069),
  api: Number(process.env.PIER_API_PORT ?? 4000),
  web: Number(process.env.PIER_WEB_PORT ?? 5173),
  sandboxWallet: Number(process.env.PIER_SANDBOX_PORT ?? 4010),
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
  // Before anything starts: a port held by another process (an old node on 8545, a second dev stack)
  // would answer our readiness checks as if it were ours.
  await assertPortsFree(
    Object.fromEntries(
      Object.entries(ports).filter(
        ([name]) =>
          (name !== "postgres" || !process.env.DATABASE_URL) &&
          (name !== "sandboxWallet" || fiatProviderNameOf(process.env) === "sandbox"),
      ),
    ),
    "stop it, or move ours with PIER_PG_PORT, PIER_CHAIN_PORT, PIER_CHAIN_B_PORT, PIER_INDEXER_PORT, PIER_API_PORT, PIER_WEB_PORT, PIER_SANDBOX_PORT",
  );
  await mkdir(join(dataDir, "logs"), { recursive: true });
  // Postgres, then the demo merchant (the API's migrations and a key), beside the chains' boots and
  // deploys, which do not need it. Postgres is registered first, so it stops last whatever starts first.
  const pgStart = startPostgres({ dataDir: join(dataDir, "postgres"), port: ports.postgres });
  running.push({ name: "postgres", stop: async () => (await pgStart.catch(() => undefined))?.stop() });
  const seeding = pgStart.then((pg) => seed({ databaseUrl: pg.url }));

  // Side by side: each Hardhat start is mostly its own CPU-bound boot. Chain A keeps the names it always
  // had (chain.log, deployment.json); chain B's carry its chain id.
  const chainStarts = Promise.allSettled(
    [
      {
        name: "chain",
        port: ports.chain,
        chainId: undefined,
        log: "chain.log",
        file: ownDeploymentFile,
        tokenModels: false,
      },
      ...(ports.chainB === undefined
        ? []
        : [
            {
              name: "chain B",
              port: ports.chainB,
              chainId: CHAIN_B_ID,
              log: `chain-${CHAIN_B_ID}.log`,
              file: process.env.PIER_DEV_DATA_DIR
                ? join(dataDir, `deployment-${CHAIN_B_ID}.json`)
                : undefined,
              // The USDC-, EURC-, DAI- and USDT-like models as well: the two networks offer different
              // token sets, so the checkout's picker and each token's pay method can be tried locally.
              tokenModels: true,
            },
          ]),
    ].map(async (spec) => {
      const chain = await startChain({
        port: spec.port,
        chainId: spec.chainId,
        logFile: join(dataDir, "logs", spec.log),
      });
      running.push({ name: spec.name, stop: chain.stop });
      const deployment = await deployLocal(chain.rpcUrl, spec.file, { tokenModels: spec.tokenModels });
      return {
        chain,
        deployment,
        deploymentFile: spec.file ?? deploymentPath(deployment.chainId),
        tokenModels: spec.tokenModels,
      };
    }),
  );
  // Every start has settled (and registered its process for shutdown) before a failure is reported.
  const [started, [pgStarted, seedDone]] = await Promise.all([
    chainStarts,
    Promise.allSettled([pgStart, seeding]),
  ]);
  const chains = started.map(settledValue);
  const pg = settledValue(pgStarted);
  const seeded = settledValue(seedDone);
  const { chain, deployment, deploymentFile } = chains[0]!;

  // Hardhat mines only when a transaction arrives; an empty block every second lets confirmations grow
  // as on a real chain, so orders visibly move open -> processing -> escrowed.
  const blockMs = Number(process.env.PIER_DEV_BLOCK_MS ?? 1000);
  const ticker = setInterval(() => {
    for (const c of chains) void rpc(c.chain.rpcUrl, "evm_mine").catch(() => {});
  }, blockMs);
  running.push({ name: "block ticker", stop: async () => clearInterval(ticker) });

  // The web build needs only the chains' RPC addresses: it runs beside the indexer's and the API's starts.
  // The checkout reads each chain over its node (VITE_PIER_RPC_URLS, also allowed by the page's CSP), so a
  // wallet can add chain B and show balances on either chain.
  const webEnv = {
    ...process.env,
    VITE_PIER_RPC_URLS: JSON.stringify(
      Object.fromEntries(chains.map((c) => [String(c.chain.chainId), c.chain.rpcUrl])),
    ),
  };
  const webBuild = runToEnd("web build", [viteBin, "build", "--logLevel", "warn"], webEnv);
  const webBuildStopper = { name: "web build", stop: webBuild.stop };
  running.push(webBuildStopper);

  // The schema is derived from the chains' genesis hashes: a fresh Hardhat node never meets old rows.
  // New blocks reach the indexer by newHeads, as on a real chain (the ticker above guarantees one a
  // second): a payment is indexed ~20 ms after its block instead of up to a 100 ms poll later, and an
  // idle stack stops fetching the latest block ten times a second.
  const ws = (rpcUrl: string) => rpcUrl.replace(/^http/, "ws");
  const indexerStart = startIndexer({
    databaseUrl: pg.url,
    rpcUrl: chain.rpcUrl,
    wsUrl: ws(chain.rpcUrl),
    deploymentFile,
    moreChains: chains.slice(1).map((c) => ({
      rpcUrl: c.chain.rpcUrl,
      deploymentFile: c.deploymentFile,
      wsUrl: ws(c.chain.rpcUrl),
    })),
    port: ports.indexer,
    logFile: join(dataDir, "logs", "indexer.log"),
  }).then((indexer) => {
    running.push({ name: "indexer", stop: indexer.stop });
    return indexer;
  });
  // Fiat wallets: the sandbox simulator, unless the environment selects PayPal or Stripe credentials. It
  // starts beside the indexer (it only needs the API's address, to send its webhooks there later).
  const sandbox = fiatProviderNameOf(process.env) === "sandbox";
  const walletStart = sandbox
    ? startSandboxProcess({
        port: ports.sandboxWallet,
        webhookUrl: `http://127.0.0.1:${ports.api}/v1/fiat/webhooks/sandbox`,
        logFile: join(dataDir, "logs", "sandbox-wallet.log"),
      }).then((wallet) => {
        running.push({ name: "sandbox wallet", stop: wallet.stop });
        return wallet;
      })
    : Promise.resolve(undefined);
  const [indexerStarted, walletStarted] = await Promise.allSettled([indexerStart, walletStart]);
  const indexer = settledValue(indexerStarted);
  const wallet = settledValue(walletStarted);
  const fiatEnv: Record<string, string> = wallet?.env ?? {};
  const fiatLine = wallet
    ? `Fiat wallets       sandbox simulator ${wallet.url} (PayPal, Apple Pay, Google Pay looks)`
    : `Fiat wallets       ${fiatProviderNameOf(process.env)} (from the environment)`;

  // The operator's admin key (merchants, keys, dashboard sign-in links): PIER_ADMIN_KEY if set, else one
  // kept in the data folder, where `pier admin` and `pier dashboard` find it.
  const adminKey =
    process.env.PIER_ADMIN_KEY?.trim() || (await ensureDevAdminKey({ PIER_DEV_DATA_DIR: dataDir }));
  const webUrl = `http://127.0.0.1:${ports.web}`;
  const dashboardOrigin = `http://localhost:${ports.web}`;
  const confirmations = process.env.PIER_CONFIRMATIONS ?? "2";
  // With two chains the API reads them from a networks file ("Local A", "Local B"); one chain: the
  // legacy single-network variables, as before.
  const networksFile = join(dataDir, "networks.json");
  if (twoChains)
    await writeNetworksFile(
      networksFile,
      chains.map((c, i) => ({
        chainId: c.chain.chainId,
        name: localNetworkName(i),
        rpcUrl: c.chain.rpcUrl,
        deploymentFile: c.deploymentFile,
        confirmations: Number(confirmations),
        blockTimeMs: blockMs,
        ...(c.tokenModels && { tokens: tokenModelsOf(c.deployment) }),
      })),
    );
  else await rm(networksFile, { force: true });
  const api = await startApi({
    databaseUrl: pg.url,
    rpcUrl: chain.rpcUrl,
    deploymentFile,
    networksFile: twoChains ? networksFile : undefined,
    indexerSchema: indexer.schema,
    port: ports.api,
    logFile: join(dataDir, "logs", "api.log"),
    env: {
      PIER_CHECKOUT_BASE_URL: webUrl,
      // Passkeys need a host name, not an IP: the dashboard is opened on localhost (same server).
      PIER_DASHBOARD_URL: dashboardOrigin,
      PIER_CONFIRMATIONS: confirmations,
      PIER_ADMIN_KEY: adminKey,
      ...fiatEnv,
    },
  });
  running.push({ name: "api", stop: api.stop });

  // The production build, served by `vite preview`, which proxies /v1 to the API (one origin, no CORS).
  await webBuild.done;
  running.splice(running.indexOf(webBuildStopper), 1);
  const web = spawn(
    process.execPath,
    [viteBin, "preview", "--host", "127.0.0.1", "--port", String(ports.web), "--strictPort"],
    {
      cwd: join(root, "web"),
      env: { ...webEnv, PIER_API_URL: api.url },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  running.push({ name: "web", stop: () => stopChild(web) });
  await waitFor("the web app", async () => (await fetch(webUrl)).ok, { timeoutMs: 60_000 });

  const order = await createDemoOrder(api.url, seeded.secretKey);
  const signInLink = await mintSignInLink(api.url, adminKey, seeded.merchantId);
  const token = deployment.contracts.TestStablecoin!;
  console.log(`
Pier local stack is up.
  Chain RPC          ${chain.rpcUrl}  (chain id ${chain.chainId}, "Local A")${chainBLines(chains)}
  PaymentEscrow      ${deployment.contracts.PaymentEscrow.address}${twoChains ? "  (same address on both chains)" : ""}
  TestStablecoin     ${token.address}  (tUSDC, 6 decimals)
  RegulatedStablecoin ${deployment.contracts.RegulatedStablecoin?.address ?? "-"}  (rUSDC: issuer-controlled model, blacklist/pause by the deployer)
  Indexer            ${indexer.url}  (GraphQL ${indexer.url}/graphql, SQL ${indexer.url}/sql, schema ${indexer.schema})
  API                ${api.url}  (docs ${api.url}/docs, OpenAPI ${api.url}/openapi.json)
  Metrics            ${api.url}/metrics  (Authorization: Bearer ${api.metricsToken}; PIER_METRICS_TOKEN sets it)
  Web                ${webUrl}
  Postgres           ${pg.url.replace(/:[^:@/]+@/, ":***@")}
  Dev accounts       ${formatUnits(DEV_BALANCE, 6)} tUSDC each${twoChains ? " (and as much of each model on chain B)" : ""}; customer ${devAccount("customer").address}
  ${fiatLine}
  Logs               ${join(dataDir, "logs")}

Demo merchant "Demo shop", test secret key (shown once): ${seeded.secretKey}
Create an order${twoChains ? ` (on chain B: add "network":${CHAIN_B_ID})` : ""}:
  curl -s ${api.url}/v1/orders -H "Authorization: Bearer ${seeded.secretKey}" \\
    -H "Content-Type: application/json" -d '{"amount":"25000000","description":"Demo order"}'
Pay the demo order ${order.id} in a browser wallet holding the dev customer key (see README):
  ${order.checkout_url}
Merchant dashboard ${dashboardOrigin}/dashboard: sign in with the wallet of dev account merchant
${devAccount("merchant").address}, or open this one-time link (test mode only; one use, 10 minutes):
  ${signInLink}
  A fresh one any time: ./scripts/pier dashboard
Admin key of this local stack only (${process.env.PIER_ADMIN_KEY?.trim() ? "PIER_ADMIN_KEY from your environment" : `kept in ${join(dataDir, "admin-key")}, where ./scripts/pier reads it`}):
  ${adminKey}
  ./scripts/pier admin merchants create --name "Second shop" --payout-address 0x...   # also: admin merchants list, admin keys create
Press Ctrl-C to stop everything.
`);
} catch (error) {
  log("dev", "failed to start", { error: error instanceof Error ? error.message : String(error) });
  await shutdown("startup-failure", 1);
}

/** Chain B's line in the summary (none with PIER_DEV_CHAINS=1). */
function chainBLines(chains: { chain: { rpcUrl: string; chainId: number } }[]): string {
  return chains
    .slice(1)
    .map(
      (c) =>
        `\n  Chain B RPC        ${c.chain.rpcUrl}  (chain id ${c.chain.chainId}, "Local B": tUSDC plus USDC-, EURC-, DAI- and USDT-like models)`,
    )
    .join("");
}

/** A child that runs to its end (the web build), and a stop that ends it early on a shutdown meanwhile. */
function runToEnd(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { done: Promise<void>; stop: () => Promise<void> } {
  const child = spawn(process.execPath, args, {
    cwd: join(root, "web"),
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${name} exited with ${code ?? signal}`)),
    );
  });
  // Awaited later: a failure meanwhile must not end the process as an unhandled rejection first.
  done.catch(() => {});
  return { done, stop: () => stopChild(child) };
}

/** A start's result, or its error, thrown once every start beside it has settled. */
function settledValue<T>(result: PromiseSettledResult<T>): T {
  if (result.status === "rejected") throw result.reason;
  return result.value;
}

/** A one-time dashboard sign-in link for the demo merchant's owner (POST /v1/admin/dashboard_sign_in_links). */
async function mintSignInLink(apiUrl: string, adminKey: string, merchantId: string): Promise<string> {
  const res = await fetch(`${apiUrl}/v1/admin/dashboard_sign_in_links`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ merchant: merchantId }),
  });
  if (!res.ok) throw new Error(`minting a dashboard sign-in link failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}

async function createDemoOrder(
  apiUrl: string,
  secretKey: string,
): Promise<{ id: string; checkout_url: string }> {
  const res = await fetch(`${apiUrl}/v1/orders`, {
    method: "POST",
    headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/json" },
    body: JSON.stringify({ amount: "25000000", description: "Demo order from ./scripts/dev" }),
  });
  if (!res.ok) throw new Error(`creating the demo order failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; checkout_url: string };
}
