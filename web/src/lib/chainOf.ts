/**
 * The chain an order is paid on, built from the API's checkout payload (chain id, optional public RPC and
 * explorer) plus a small table of well-known names: nothing chain-specific is hard-coded in the page.
 */
import { isLocalChain, LOCAL_CHAIN_ID } from "@pier/contracts/chains";
import { type Chain, defineChain } from "viem";
import type { Checkout } from "./checkoutApi.ts";
import { env } from "./env.ts";

const known: Record<number, { name: string; explorer?: string; currency?: string }> = {
  1: { name: "Ethereum", explorer: "https://etherscan.io" },
  10: { name: "OP Mainnet", explorer: "https://optimistic.etherscan.io" },
  137: { name: "Polygon", explorer: "https://polygonscan.com", currency: "POL" },
  8453: { name: "Base", explorer: "https://basescan.org" },
  42161: { name: "Arbitrum One", explorer: "https://arbiscan.io" },
  84532: { name: "Base Sepolia", explorer: "https://sepolia.basescan.org" },
  11155111: { name: "Sepolia", explorer: "https://sepolia.etherscan.io" },
  [LOCAL_CHAIN_ID]: { name: "Local Hardhat chain" },
  1337: { name: "Local chain B" },
};

export function chainName(chainId: number): string {
  return known[chainId]?.name ?? `chain ${chainId}`;
}

/**
 * The RPC URL to read the order's chain through: the API's (checkout payload), else this chain's entry of
 * VITE_PIER_RPC_URLS, else VITE_PIER_RPC_URL; undefined means the connected wallet.
 */
export function rpcUrlOf(
  chainId: number,
  fromCheckout: string | undefined,
  settings: { rpcUrl?: string; rpcUrls: Readonly<Record<number, string>> } = env,
): string | undefined {
  return fromCheckout ?? settings.rpcUrls[chainId] ?? settings.rpcUrl;
}

export function chainOf(checkout: Pick<Checkout, "chain_id" | "rpc_url" | "block_explorer_url">): Chain {
  const info = known[checkout.chain_id];
  const rpcUrl = rpcUrlOf(checkout.chain_id, checkout.rpc_url);
  const explorer = checkout.block_explorer_url ?? env.explorerUrl ?? info?.explorer;
  const symbol = info?.currency ?? "ETH";
  return defineChain({
    id: checkout.chain_id,
    name: chainName(checkout.chain_id),
    nativeCurrency: { name: symbol, symbol, decimals: 18 },
    rpcUrls: { default: { http: rpcUrl ? [rpcUrl] : [] } },
    blockExplorers: explorer ? { default: { name: "Explorer", url: explorer } } : undefined,
    testnet: isLocalChain(checkout.chain_id) || checkout.chain_id === 84532 || checkout.chain_id === 11155111,
  });
}

/** A link to a transaction on the chain's explorer, when one is known. */
export function txUrl(chain: Chain, hash: string): string | undefined {
  const base = chain.blockExplorers?.default.url;
  return base ? `${base.replace(/\/+$/, "")}/tx/${hash}` : undefined;
}
