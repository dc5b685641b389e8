/**
 * The one wagmi config of the checkout, built for the order's chain (and the chains of the order's other
 * network options) once the API told us which they are.
 *
 * Wallets: every injected wallet that announces itself through EIP-6963 (wagmi's multi-injected provider
 * discovery), the legacy `window.ethereum` as a fallback, and WalletConnect only when
 * VITE_WALLETCONNECT_PROJECT_ID is set.
 *
 * Reads: over the chain's public RPC when the payload or VITE_PIER_RPC_URL names one, otherwise through the
 * connected wallet (every wallet answers eth_call & co for its current chain), refused while the wallet is
 * on another chain.
 */

import { isLocalChain } from "@pier/contracts/chains";
import {
  type Chain,
  ChainDisconnectedError,
  createTransport,
  type EIP1193Provider,
  type EIP1193RequestFn,
  http,
  ProviderDisconnectedError,
} from "viem";
import { type Config, type CreateConnectorFn, createConfig, type Transport } from "wagmi";
import { injected } from "wagmi/connectors/injected";
import { walletConnect } from "wagmi/connectors/walletConnect";
import { env } from "./lib/env.ts";

/** EIP-1193 transport that forwards to whichever wallet is connected, on the expected chain only. */
function connectedWallet(chainId: number, getConfig: () => Config | undefined): Transport {
  return () =>
    createTransport({
      key: "connectedWallet",
      name: "Connected wallet",
      type: "connectedWallet",
      retryCount: 0,
      request: (async ({ method, params }: { method: string; params?: unknown }) => {
        const state = getConfig()?.state;
        const connection = state?.current ? state.connections.get(state.current) : undefined;
        if (!connection) throw new ProviderDisconnectedError(new Error("Connect a wallet first."));
        if (connection.chainId !== chainId) {
          throw new ChainDisconnectedError(
            new Error(`The wallet is on chain ${connection.chainId}, not ${chainId}.`),
          );
        }
        const provider = (await connection.connector.getProvider()) as EIP1193Provider;
        return provider.request({ method, params } as Parameters<EIP1193Provider["request"]>[0]);
      }) as EIP1193RequestFn,
    });
}

/**
 * The config for one chain, or several (a checkout whose order accepts more than one network: every
 * option's chain, so reads, writes and switching work on whichever the customer picks, without a new
 * config that would drop the wallet's connection).
 */
export function createPierConfig(chainOrChains: Chain | readonly [Chain, ...Chain[]]) {
  const chains: readonly [Chain, ...Chain[]] = Array.isArray(chainOrChains)
    ? (chainOrChains as readonly [Chain, ...Chain[]])
    : [chainOrChains as Chain];
  const connectors: CreateConnectorFn[] = [injected()];
  if (env.walletConnectProjectId) {
    connectors.push(
      walletConnect({
        projectId: env.walletConnectProjectId,
        showQrModal: true,
        metadata: {
          name: "Pier checkout",
          description: "Pay a Pier order",
          url: window.location.origin,
          icons: [],
        },
      }),
    );
  }
  let config: Config | undefined;
  const transports: Record<number, Transport> = {};
  for (const chain of chains) {
    const rpcUrl = chain.rpcUrls.default.http[0];
    transports[chain.id] = rpcUrl ? http(rpcUrl) : connectedWallet(chain.id, () => config);
  }
  const created = createConfig({
    chains,
    connectors,
    multiInjectedProviderDiscovery: true,
    transports,
    pollingInterval: chains.every((c) => isLocalChain(c.id)) ? 200 : 2_000,
  });
  config = created as unknown as Config;
  return created;
}

export type PierConfig = ReturnType<typeof createPierConfig>;

declare module "wagmi" {
  interface Register {
    config: PierConfig;
  }
}
