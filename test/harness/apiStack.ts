/**
 * One real stack per test file: the shared harness (Postgres, Hardhat, deployment, indexer) plus the API
 * as a child process, an admin key and a first merchant. Nothing is mocked.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { type ApiHandle, startApi } from "../../api/lib/start.ts";
import { isLocalChain } from "../../contracts/lib/chains.ts";
import { localNetworkName, writeNetworksFile } from "../../scripts/lib/networksFile.ts";
import { freePort } from "../../scripts/lib/ports.ts";
import { type ApiClient, apiClient } from "./apiClient.ts";
import { BUILT_API_ENV } from "./builtApi.ts";
import { type Stack, type StackOptions, startStack } from "./stack.ts";

export interface ApiStack {
  stack: Stack;
  api: ApiHandle;
  adminKey: string;
  /** A client with the first merchant's secret key. */
  client: ApiClient;
  merchantId: string;
  secretKey: string;
  /** Another API process on the same database and chain, e.g. with other limits. */
  startApi(env?: Record<string, string>): Promise<ApiHandle>;
  /** Restarts the main API (after a kill -9, for instance) on the same port. */
  restartApi(env?: Record<string, string>): Promise<ApiHandle>;
  newMerchant(name?: string): Promise<{ client: ApiClient; merchantId: string; secretKey: string }>;
  stop(): Promise<void>;
}

export const TEST_ENV: Record<string, string> = {
  PIER_LOG_LEVEL: "info",
  PIER_SYNC_INTERVAL_MS: "50",
  PIER_KEEPER_INTERVAL_MS: "500",
  PIER_WEBHOOK_TIMEOUT_MS: "2000",
  PIER_RATE_LIMIT_MAX: "100000",
};

/**
 * The API as a child process on a harness stack (its Postgres, chain, deployment and indexer schema),
 * logging to the stack's folder, on `port` or a free one. `env` is the API's own settings. A stack with two
 * chains also gets a networks file (networks.json in the stack's folder: "Local A" 31337 first, then
 * "Local B" 1337, confirmations from env.PIER_CONFIRMATIONS or 1) passed as PIER_NETWORKS_FILE, unless env
 * names one. A chain id outside LOCAL_CHAIN_IDS is listed as a mainnet (`testnet: false`, live mode).
 */
export async function startApiOn(
  stack: Stack,
  env: Record<string, string>,
  port?: number,
  options: { built?: boolean } = {},
): Promise<ApiHandle> {
  const networksFile =
    stack.chains.length > 1 && env.PIER_NETWORKS_FILE === undefined
      ? await writeNetworksFile(
          join(stack.dir, "networks.json"),
          stack.chains.map((c, i) => ({
            chainId: c.chain.chainId,
            name: localNetworkName(i),
            rpcUrl: c.chain.rpcUrl,
            deploymentFile: c.deploymentFile,
            confirmations: Number(env.PIER_CONFIRMATIONS ?? 1),
            testnet: isLocalChain(c.chain.chainId),
          })),
        )
      : undefined;
  return startApi({
    databaseUrl: stack.postgres.url,
    rpcUrl: stack.chain.rpcUrl,
    deploymentFile: stack.deploymentFile,
    indexerSchema: stack.indexer!.schema,
    port: port ?? (await freePort()),
    networksFile,
    env,
    logFile: join(stack.dir, "api.log"),
    built: options.built ?? process.env[BUILT_API_ENV] === "1",
  });
}

/**
 * `apiOptions.built`: run the production bundle (api/dist/server.mjs, built beforehand) instead of the
 * source; by default the bundle when the test run built it (builtApi.ts).
 */
export async function startApiStack(
  env: Record<string, string> = {},
  stackOptions: StackOptions = {},
  apiOptions: { built?: boolean } = {},
): Promise<ApiStack> {
  const stack = await startStack(stackOptions);
  const adminKey = `admin_${randomBytes(16).toString("hex")}`;
  const port = await freePort();
  const extra: ApiHandle[] = [];
  const launch = (p: number, more: Record<string, string>) =>
    startApiOn(stack, { ...TEST_ENV, PIER_ADMIN_KEY: adminKey, ...env, ...more }, p, apiOptions);
  let api: ApiHandle;
  try {
    api = await launch(port, {});
  } catch (error) {
    await stack.stop();
    throw error;
  }
  const admin = apiClient(api.url, adminKey);
  const newMerchant = async (name = "Test shop") => {
    const res = await admin.post("/v1/admin/merchants", {
      name,
      payout_address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    });
    if (res.status !== 200)
      throw new Error(`creating a merchant failed: ${res.status} ${JSON.stringify(res.body)}`);
    const secretKey = res.body.secret_key as string;
    return { client: apiClient(api.url, secretKey), merchantId: res.body.merchant.id as string, secretKey };
  };
  let first: Awaited<ReturnType<typeof newMerchant>>;
  try {
    first = await newMerchant();
  } catch (error) {
    // Nobody gets a handle to stop: stop it all here rather than leave processes behind.
    await api.stop();
    await stack.stop();
    throw error;
  }
  const result: ApiStack = {
    stack,
    api,
    adminKey,
    ...first,
    newMerchant,
    async startApi(more = {}) {
      const handle = await launch(await freePort(), more);
      extra.push(handle);
      return handle;
    },
    async restartApi(more = {}) {
      await result.api.stop();
      result.api = await launch(port, more);
      return result.api;
    },
    async stop() {
      for (const h of extra) await h.stop();
      await result.api.stop();
      await stack.stop();
    },
  };
  return result;
}
