/**
 * The chain an order is paid on, built from the API's checkout payload (chain id, optional public RPC and
 * explorer) plus a small table of well-known names: nothing chain-specific is hard-coded in the page.
 */
import { isLocalChain, LOCAL_CHAIN_ID } from "@pier/contracts/chains";
import { type Chain, defineChain } from "viem";
import type { CheckoutNetwork } from "./checkoutApi.ts";
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
  settings: Pick<ChainSettings, "rpcUrl" | "rpcUrls"> = env,
): string | undefined {
  return fromCheckout ?? settings.rpcUrls[chainId] ?? settings.rpcUrl;
}

/** What chainOf reads: the checkout object, or one of its options (which carries no RPC URL). */
export interface ChainSource {
  chain_id: number;
  network?: Pick<CheckoutNetwork, "name" | "testnet" | "explorer_url"> | null;
  rpc_url?: string;
  block_explorer_url?: string;
}

/** The build's chain settings chainOf uses (env): per-chain RPC URLs, and the single-chain RPC and explorer. */
export interface ChainSettings {
  rpcUrl?: string;
  rpcUrls: Readonly<Record<number, string>>;
  explorerUrl?: string;
}

/**
 * The order's chain: named and linked to an explorer as the API's `network` says, else from the table
 * above; read through rpcUrlOf's URL (none: through the connected wallet).
 */
export function chainOf(source: ChainSource, settings: ChainSettings = env): Chain {
  const info = known[source.chain_id];
  const rpcUrl = rpcUrlOf(source.chain_id, source.rpc_url, settings);
  const explorer = (
    source.network?.explorer_url ??
    source.block_explorer_url ??
    settings.explorerUrl ??
    info?.explorer
  )?.replace(/\/+$/, "");
  const symbol = info?.currency ?? "ETH";
  return defineChain({
    id: source.chain_id,
    name: source.network?.name || chainName(source.chain_id),
    nativeCurrency: { name: symbol, symbol, decimals: 18 },
    rpcUrls: { default: { http: rpcUrl ? [rpcUrl] : [] } },
    blockExplorers: explorer ? { default: { name: "Explorer", url: explorer } } : undefined,
    testnet:
      source.network?.testnet ??
      (isLocalChain(source.chain_id) || source.chain_id === 84532 || source.chain_id === 11155111),
  });
}

/**
 * Every chain the checkout may pay on, the order's current one first: one per option (the API's
 * `options`), so the wallet config can read from and switch to any of them without being rebuilt.
 */
export function chainsOf(
  checkout: ChainSource & { options?: readonly ChainSource[] },
  settings: ChainSettings = env,
): [Chain, ...Chain[]] {
  const ids = new Set([checkout.chain_id, ...(checkout.options ?? []).map((o) => o.chain_id)]);
  // VITE_PIER_RPC_URL and VITE_PIER_EXPLORER_URL name no chain: with several chains they could be any one
  // of them, and reading chain B through chain A's node would show wrong balances. Only per-chain URLs
  // (VITE_PIER_RPC_URLS) apply then; other chains are read through the wallet.
  const applied = ids.size > 1 ? { rpcUrls: settings.rpcUrls } : settings;
  const chains: [Chain, ...Chain[]] = [chainOf(checkout, applied)];
  for (const option of checkout.options ?? []) {
    if (chains.some((c) => c.id === option.chain_id)) continue;
    chains.push(chainOf(option, applied));
  }
  return chains;
}

/** A link to a transaction on the chain's explorer, when one is known. */
export function txUrl(chain: Chain, hash: string): string | undefined {
  const base = chain.blockExplorers?.default.url;
  return base ? `${base.replace(/\/+$/, "")}/tx/${hash}` : undefined;
}

/** A link to a token's page on the chain's explorer, when one is known. */
export function tokenUrl(chain: Chain, address: string): string | undefined {
  const base = chain.blockExplorers?.default.url;
  return base ? `${base.replace(/\/+$/, "")}/token/${address}` : undefined;
}
