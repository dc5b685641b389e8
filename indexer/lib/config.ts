/**
 * The indexer's configuration, read from the environment once at boot and validated: which chains to
 * index (one deployment file per chain), how to reach them, and where Postgres is. ponder.config.ts and
 * the launcher (scripts/lib/indexer.ts) both read it from here, so they always agree.
 *
 *   DATABASE_URL             Postgres connection string (required; the launcher passes it).
 *   PIER_DEPLOYMENT_FILE     Deployment JSON written by scripts/deploy.ts; several chains: comma-separated.
 *                            Default: contracts/deployments/31337.json (the local chain).
 *   PIER_RPC_URL             JSON-RPC URL when indexing one chain; PIER_RPC_URL_<chainId> per chain wins.
 *                            Default for a local dev chain: http://127.0.0.1:8545.
 *   PIER_WS_URL              Optional WebSocket URL (PIER_WS_URL_<chainId> per chain): new blocks are
 *                            pushed (eth_subscribe newHeads) instead of polled, and each is fetched once.
 *                            Ponder then learns of blocks only when a new one arrives: it indexes its
 *                            newest ones (within its finality depth, 30 blocks here) at the next block.
 *                            Real chains always bring one; ./scripts/dev mines an empty block a second
 *                            and uses it. Test stacks, on automine without a ticker, poll.
 *   PIER_INDEXER_POLLING_MS  How often to poll for new blocks. Default 100 on a local dev chain, 1000
 *                            elsewhere; Ponder's minimum is 100.
 *   PIER_INDEXER_RPC_RPS     Requests a second Ponder may send each RPC from the start (PIER_INDEXER_RPC_RPS_<chainId>
 *                            per chain wins), 3..500. Default 500 on a local dev chain (the node has no rate
 *                            limit); elsewhere Ponder's own: 20, raised while requests succeed and lowered on
 *                            429s. Set it to a paid RPC plan's limit. At 20, a local chain mining a block per
 *                            payment stalled about one payment in ten for ~750 ms (patches/ponder@0.17.7.patch
 *                            makes the starting budget configurable).
 */

import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { type Address, getAddress, type Hex, isAddress, isHex } from "viem";
import { isLocalChain, LOCAL_CHAIN_ID } from "../../contracts/lib/chains.ts";
import type { Deployment } from "../../contracts/lib/deployments.ts";

export const REPO_ROOT = new URL("../..", import.meta.url).pathname;
export const DEFAULT_DEPLOYMENT_FILE = resolve(REPO_ROOT, "contracts/deployments/31337.json");
const DEFAULT_LOCAL_RPC_URL = "http://127.0.0.1:8545";
const LOCAL_POLLING_MS = 100;
const REMOTE_POLLING_MS = 1_000;
const MIN_POLLING_MS = 100; // Ponder rejects anything lower.
const LOCAL_RPC_RPS = 500;
/** Ponder's own bounds for a request budget (its rpc/index.ts MIN_RPS, MAX_RPS). */
const MIN_RPC_RPS = 3;
const MAX_RPC_RPS = 500;

/** One chain to index: where the escrow lives on it and how to reach it. */
export interface ChainTarget {
  /** Ponder's name for the chain: `local` for Hardhat's 31337, `chain<id>` otherwise. */
  name: string;
  chainId: number;
  /** Hash of block 0: tells a restarted local chain (same id, new state) from the old one. */
  genesisHash: Hex;
  rpcUrl: string;
  wsUrl?: string;
  pollingIntervalMs: number;
  /**
   * Ponder's RPC cache (schema `ponder_sync`) is keyed by chain id only, so on a dev chain that is reset
   * under the same id it would replay blocks of a chain that no longer exists: never cache those.
   */
  disableCache: boolean;
  escrow: { address: Address; startBlock: number };
  /** Ponder's starting request budget for this chain's RPC (PIER_INDEXER_RPC_RPS); undefined: Ponder's default. */
  rpcRps?: number;
  /**
   * A block whose logs bloom is all zeros has no logs: true for the local Hardhat chains, which compute
   * every block's bloom, so their empty blocks (one a second under ./scripts/dev) cost the indexer no
   * RPC call. Elsewhere Ponder fetches such a block and its logs, as it must for nodes that report a
   * zero bloom for every block.
   */
  trustZeroLogsBloom: boolean;
  /** Subscriptions' SpendPermissions beside the escrow; absent in deployment files written before it. */
  spendPermissions?: { address: Address; startBlock: number };
}

export interface IndexerConfig {
  databaseUrl: string;
  chains: ChainTarget[];
}

export class IndexerConfigError extends Error {
  override name = "IndexerConfigError";
}

type Env = Record<string, string | undefined>;

/** Reads and validates the indexer's environment; throws an IndexerConfigError naming the bad variable. */
export function readIndexerConfig(env: Env = process.env): IndexerConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    throw new IndexerConfigError(
      "DATABASE_URL is required (scripts/lib/indexer.ts sets it when it launches Ponder)",
    );
  }
  return { databaseUrl, chains: readChainTargets(env) };
}

/** The chains to index, without the database (the launcher needs them before it has a database URL). */
export function readChainTargets(env: Env = process.env): ChainTarget[] {
  const files = deploymentFiles(env);
  const deployments = files.map(loadDeploymentFile);
  const ids = new Set<number>();
  for (const d of deployments) {
    if (ids.has(d.chainId))
      throw new IndexerConfigError(`PIER_DEPLOYMENT_FILE lists chain ${d.chainId} twice`);
    ids.add(d.chainId);
  }
  return deployments.map((d) => chainTarget(d, env, deployments.length === 1));
}

function deploymentFiles(env: Env): string[] {
  const raw = env.PIER_DEPLOYMENT_FILE?.trim();
  if (!raw) return [DEFAULT_DEPLOYMENT_FILE];
  return raw
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => (isAbsolute(f) ? f : resolve(REPO_ROOT, f)));
}

/** Reads a deployment file and checks the fields the indexer relies on. */
export function loadDeploymentFile(path: string): Deployment {
  let parsed: Deployment;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as Deployment;
  } catch (cause) {
    throw new IndexerConfigError(
      `cannot read deployment file ${path} (PIER_DEPLOYMENT_FILE): deploy first with scripts/deploy.ts`,
      { cause },
    );
  }
  const escrow = parsed.contracts?.PaymentEscrow;
  if (!Number.isSafeInteger(parsed.chainId) || parsed.chainId <= 0) {
    throw new IndexerConfigError(`${path}: chainId must be a positive integer`);
  }
  if (!isHex(parsed.genesisHash) || parsed.genesisHash.length !== 66) {
    throw new IndexerConfigError(`${path}: genesisHash must be a 32-byte hex string`);
  }
  if (
    !escrow ||
    !isAddress(escrow.address) ||
    !Number.isSafeInteger(escrow.blockNumber) ||
    escrow.blockNumber < 0
  ) {
    throw new IndexerConfigError(`${path}: contracts.PaymentEscrow needs an address and a blockNumber`);
  }
  const spend = parsed.contracts.SpendPermissions;
  if (
    spend &&
    (!isAddress(spend.address) || !Number.isSafeInteger(spend.blockNumber) || spend.blockNumber < 0)
  ) {
    throw new IndexerConfigError(`${path}: contracts.SpendPermissions needs an address and a blockNumber`);
  }
  return parsed;
}

function chainTarget(d: Deployment, env: Env, only: boolean): ChainTarget {
  const local = isLocalChain(d.chainId);
  const rpcUrl =
    env[`PIER_RPC_URL_${d.chainId}`] ??
    (only ? env.PIER_RPC_URL : undefined) ??
    (local ? DEFAULT_LOCAL_RPC_URL : "");
  if (!rpcUrl) {
    throw new IndexerConfigError(`no RPC URL for chain ${d.chainId}: set PIER_RPC_URL_${d.chainId}`);
  }
  const wsUrl = env[`PIER_WS_URL_${d.chainId}`] ?? (only ? env.PIER_WS_URL : undefined);
  if (wsUrl && !/^wss?:\/\//.test(wsUrl)) {
    throw new IndexerConfigError(`PIER_WS_URL for chain ${d.chainId} must start with ws:// or wss://`);
  }
  return {
    name: d.chainId === LOCAL_CHAIN_ID ? "local" : `chain${d.chainId}`,
    chainId: d.chainId,
    genesisHash: d.genesisHash,
    rpcUrl,
    wsUrl: wsUrl || undefined,
    pollingIntervalMs: pollingInterval(env, local),
    rpcRps: rpcRps(env, d.chainId, local),
    trustZeroLogsBloom: local,
    disableCache: local,
    escrow: {
      address: getAddress(d.contracts.PaymentEscrow.address),
      startBlock: d.contracts.PaymentEscrow.blockNumber,
    },
    spendPermissions: d.contracts.SpendPermissions && {
      address: getAddress(d.contracts.SpendPermissions.address),
      startBlock: d.contracts.SpendPermissions.blockNumber,
    },
  };
}

function rpcRps(env: Env, chainId: number, local: boolean): number | undefined {
  const name = env[`PIER_INDEXER_RPC_RPS_${chainId}`]
    ? `PIER_INDEXER_RPC_RPS_${chainId}`
    : "PIER_INDEXER_RPC_RPS";
  const raw = env[name];
  if (raw === undefined || raw === "") return local ? LOCAL_RPC_RPS : undefined;
  const rps = Number(raw);
  if (!Number.isInteger(rps) || rps < MIN_RPC_RPS || rps > MAX_RPC_RPS) {
    throw new IndexerConfigError(
      `${name} must be an integer from ${MIN_RPC_RPS} to ${MAX_RPC_RPS}, got "${raw}"`,
    );
  }
  return rps;
}

function pollingInterval(env: Env, local: boolean): number {
  const raw = env.PIER_INDEXER_POLLING_MS;
  if (raw === undefined || raw === "") return local ? LOCAL_POLLING_MS : REMOTE_POLLING_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < MIN_POLLING_MS) {
    throw new IndexerConfigError(
      `PIER_INDEXER_POLLING_MS must be an integer >= ${MIN_POLLING_MS}, got "${raw}"`,
    );
  }
  return ms;
}
