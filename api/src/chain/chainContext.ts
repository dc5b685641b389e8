/**
 * What the API knows about one network it serves, resolved once at boot: the RPC client (one or more
 * URLs, tried in order), the deployment (escrow address), the accepted tokens with their symbol,
 * decimals and peg, the signers, the confirmation depth, its head tracker and the order syncer's state.
 * networks.ts builds one per configured network.
 */
import { readFileSync } from "node:fs";
import { isLocalChain } from "@pier/contracts/chains";
import { type Deployment, loadDeployment } from "@pier/contracts/deployments";
import type pg from "pg";
import {
  type Address,
  type Chain,
  createPublicClient,
  erc20Abi,
  fallback,
  getAddress,
  http,
  type PublicClient,
} from "viem";
import type { Config } from "../config.ts";
import { ConfigError } from "../lib/env.ts";
import { HeadTracker } from "./headTracker.ts";
import { defaultNetworkName, type NetworkSpec, type TokenMethod } from "./networkSpec.ts";
import type { RemoteSigner } from "./remoteSigner.ts";
import { loadSigners, type Signers } from "./signers.ts";
import { operatorTermsSigner, type TermsSigner } from "./termsSigner.ts";

export interface TokenInfo {
  address: Address;
  symbol: string;
  decimals: number;
  /** ISO 4217 code the token is pegged 1:1 to (USD for USDC, EUR for EURC). */
  peg: string;
  /** Pay paths the checkout may offer for this token, best first. */
  methods: TokenMethod[];
}

export interface ChainContext {
  chainId: number;
  name: string;
  chain: Chain;
  client: PublicClient;
  deployment: Deployment;
  escrow: Address;
  /** Accepted tokens; the first is the network's default (orders naming none, the fiat bridge). */
  tokens: TokenInfo[];
  token: TokenInfo;
  signers: Signers;
  /** Signs PaymentTerms with the operator's key (raw or remote) under this chain's escrow domain. */
  signTerms: TermsSigner;
  /** Live mode (mainnet: sk_live_ keys and live orders) or test mode (testnets, local chains). */
  livemode: boolean;
  testnet: boolean;
  confirmations: number;
  blockTimeMs?: number;
  explorerUrl?: string;
  /** The ERC-7677 paymaster service the checkout hands to customers' wallets (public by design). */
  paymasterUrl?: string;
  head: HeadTracker;
  /**
   * The order syncer's state for this network in this process (orders/syncOrders.ts): the block the
   * indexer had processed at the previous full pass (0: scan everything), what the last full pass that
   * found nothing saw (its payment-event key, and when), and the connection holding the network's sync lock.
   */
  sync: { watermark: bigint; quiet?: { key: string; at: number }; lockHolder?: pg.PoolClient };
}

export async function loadChainContext(
  config: Config,
  spec: NetworkSpec,
  remote: RemoteSigner | undefined,
): Promise<ChainContext> {
  const where = `network ${spec.chainId} (${spec.rpcUrls.join(", ")})`;
  const transport = (retryCount: number) =>
    spec.rpcUrls.length === 1
      ? http(spec.rpcUrls[0], { retryCount })
      : fallback(spec.rpcUrls.map((url) => http(url, { retryCount })));
  const bootstrap = createPublicClient({ transport: transport(2) });
  const chainId = await bootstrap.getChainId().catch((cause) => {
    throw new ConfigError(`cannot reach ${where}`, { cause });
  });
  // The legacy single-network variables do not name the chain (chainId 0): take the RPC's.
  if (spec.chainId !== 0 && chainId !== spec.chainId)
    throw new ConfigError(`${where} serves chain ${chainId}, not ${spec.chainId}`);
  const name = spec.name || defaultNetworkName(chainId);
  const deployment = spec.deploymentFile ? readDeployment(spec.deploymentFile) : loadDeployment(chainId);
  if (deployment.chainId !== chainId) {
    throw new ConfigError(`the deployment for ${where} is for chain ${deployment.chainId}`);
  }
  const genesis = await bootstrap.getBlock({ blockNumber: 0n });
  if (genesis.hash.toLowerCase() !== deployment.genesisHash.toLowerCase()) {
    throw new ConfigError(
      `the chain of ${where} was restarted since the deployment (genesis ${genesis.hash}); deploy again`,
    );
  }
  const local = isLocalChain(chainId);
  const chain = {
    id: chainId,
    name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: spec.rpcUrls } },
  } as const satisfies Chain;
  // Hardhat mines on demand: poll receipts quickly there; real chains take seconds per block anyway.
  const client = createPublicClient({
    chain,
    transport: transport(3),
    pollingInterval: local ? 50 : 1_000,
  }) as PublicClient;
  const wanted = spec.tokens.length
    ? spec.tokens
    : [
        {
          address: deployment.contracts.TestStablecoin?.address,
          peg: config.tokenPeg,
          methods: undefined,
        },
      ];
  const tokens = await Promise.all(
    wanted.map(async (t): Promise<TokenInfo> => {
      if (!t.address)
        throw new ConfigError(`${where}: name its tokens (the deployment has no TestStablecoin)`);
      const address = getAddress(t.address);
      const [symbol, decimals] = await Promise.all([
        client.readContract({ address, abi: erc20Abi, functionName: "symbol" }),
        client.readContract({ address, abi: erc20Abi, functionName: "decimals" }),
      ]);
      return { address, symbol, decimals, peg: t.peg, methods: t.methods ?? DEFAULT_METHODS };
    }),
  );
  // Mainnets serve live mode (sk_live_ keys), testnets and local chains test mode: one process may do both.
  const livemode = !spec.testnet;
  if (livemode && local)
    throw new ConfigError(`chain ${chainId} is a local chain: it cannot be a live network (mark it testnet)`);
  const signers = loadSigners(config, chainId, remote);
  const escrow = getAddress(deployment.contracts.PaymentEscrow.address);
  return {
    chainId,
    name,
    chain,
    client,
    deployment,
    escrow,
    tokens,
    token: tokens[0]!,
    signers,
    signTerms: operatorTermsSigner(signers.operator, signers.operatorKey, chainId, escrow),
    livemode,
    testnet: spec.testnet,
    confirmations: spec.confirmations ?? (local ? 1 : 12),
    blockTimeMs: spec.blockTimeMs,
    explorerUrl: spec.explorerUrl,
    paymasterUrl: spec.paymasterUrl,
    head: new HeadTracker(client),
    sync: { watermark: 0n },
  };
}

const DEFAULT_METHODS: TokenMethod[] = ["authorization", "permit", "allowance"];

/**
 * Whether Pier's relayer can send a payment in `token` on this network for the customer (relay/relays.ts
 * refuses otherwise, with these two reasons): the network has a relayer and the token takes ERC-3009
 * authorizations.
 */
export function relaysPayments(net: ChainContext, token: string): boolean {
  return (
    net.signers.relayer !== undefined && (tokenOn(net, token)?.methods.includes("authorization") ?? false)
  );
}

/** The token of `address` on this network, if it accepts it. */
export function tokenOn(net: ChainContext, address: string): TokenInfo | undefined {
  const wanted = address.toLowerCase();
  return net.tokens.find((t) => t.address.toLowerCase() === wanted);
}

function readDeployment(path: string): Deployment {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Deployment;
  } catch (cause) {
    throw new ConfigError(`cannot read the deployment file ${path}`, { cause });
  }
}
