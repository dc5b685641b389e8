/**
 * Writes the API's networks file (PIER_NETWORKS_FILE, see docs): one entry per local chain, for the dev
 * stack (scripts/dev.ts) and the test harness (test/harness/apiStack.ts) when they run more than one chain.
 * A network without `tokens` takes the API's default (its deployment's TestStablecoin, pegged to USD);
 * tokenModelsOf lists a deployment's stablecoin models (deployLocal's `tokenModels`) with their methods.
 */
import { writeFile } from "node:fs/promises";
import type { Deployment } from "../../contracts/lib/deployments.ts";

export interface LocalToken {
  address: string;
  /** Currency the token is pegged to; USD when unset. */
  peg?: string;
  /** Pay methods the token supports (authorization, permit, dai_permit, allowance); all it has when unset. */
  methods?: string[];
}

export interface LocalNetwork {
  chainId: number;
  name: string;
  rpcUrl: string;
  deploymentFile: string;
  confirmations: number;
  /** How often the node mines (dev's block ticker); unset for an automining test chain. */
  blockTimeMs?: number;
  /** The tokens accepted on it, the first its default; unset: the deployment's test token. */
  tokens?: LocalToken[];
  /** False lists it as a mainnet (live mode); default true. */
  testnet?: boolean;
}

/**
 * The test token first (the network's default), then each stablecoin model with the methods its family
 * supports: USDC and EURC (ERC-3009 and EIP-2612), DAI (its own permit), USDT (an allowance only).
 */
export function tokenModelsOf(d: Deployment): LocalToken[] {
  const c = d.contracts;
  if (!c.TestStablecoin || !c.UsdcLike || !c.EurcLike || !c.DaiLike || !c.UsdtLike)
    throw new Error(`deployment of chain ${d.chainId} has no token models: deploy with tokenModels`);
  return [
    { address: c.TestStablecoin.address },
    { address: c.UsdcLike.address, methods: ["authorization", "permit", "allowance"] },
    { address: c.EurcLike.address, peg: "EUR", methods: ["authorization", "permit", "allowance"] },
    { address: c.DaiLike.address, methods: ["dai_permit", "allowance"] },
    { address: c.UsdtLike.address, methods: ["allowance"] },
  ];
}

/** Names of the local chains in order: "Local A" (31337), "Local B" (1337). */
export const localNetworkName = (index: number): string => `Local ${String.fromCharCode(65 + index)}`;

export function networksFileJson(networks: LocalNetwork[]): { networks: Record<string, unknown>[] } {
  return {
    networks: networks.map((n) => ({
      chain_id: n.chainId,
      name: n.name,
      rpc_urls: [n.rpcUrl],
      deployment_file: n.deploymentFile,
      confirmations: n.confirmations,
      ...(n.blockTimeMs !== undefined && { block_time_ms: n.blockTimeMs }),
      testnet: n.testnet ?? true,
      ...(n.tokens !== undefined && { tokens: n.tokens }),
    })),
  };
}

export async function writeNetworksFile(path: string, networks: LocalNetwork[]): Promise<string> {
  await writeFile(path, `${JSON.stringify(networksFileJson(networks), null, 2)}\n`);
  return path;
}
