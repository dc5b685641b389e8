/**
 * Writes the API's networks file (PIER_NETWORKS_FILE, see docs): one entry per local chain, for the dev
 * stack (scripts/dev.ts) and the test harness (test/harness/apiStack.ts) when they run more than one chain.
 * Tokens are left to the API's default (each deployment's TestStablecoin, pegged to USD).
 */
import { writeFile } from "node:fs/promises";

export interface LocalNetwork {
  chainId: number;
  name: string;
  rpcUrl: string;
  deploymentFile: string;
  confirmations: number;
  /** How often the node mines (dev's block ticker); unset for an automining test chain. */
  blockTimeMs?: number;
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
      testnet: true,
    })),
  };
}

export async function writeNetworksFile(path: string, networks: LocalNetwork[]): Promise<string> {
  await writeFile(path, `${JSON.stringify(networksFileJson(networks), null, 2)}\n`);
  return path;
}
