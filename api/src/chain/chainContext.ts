/**
 * What the API knows about the one chain it serves, resolved once at boot: the RPC client, the
 * deployment (escrow and token addresses), the settlement token's symbol and decimals, the signers,
 * test or live mode and the confirmation depth.
 */
import { readFileSync } from "node:fs";
import { LOCAL_CHAIN_ID } from "@pier/contracts/chains";
import { type Deployment, loadDeployment } from "@pier/contracts/deployments";
import {
  type Address,
  type Chain,
  createPublicClient,
  erc20Abi,
  getAddress,
  http,
  type PublicClient,
} from "viem";
import type { Config } from "../config.ts";
import { ConfigError } from "../lib/env.ts";
import { createRemoteSigner, verifyRemoteAccounts } from "./remoteSigner.ts";
import { loadSigners, type Signers } from "./signers.ts";
import { operatorTermsSigner, type TermsSigner } from "./termsSigner.ts";

export interface TokenInfo {
  address: Address;
  symbol: string;
  decimals: number;
}

export interface ChainContext {
  chainId: number;
  chain: Chain;
  client: PublicClient;
  deployment: Deployment;
  escrow: Address;
  token: TokenInfo;
  signers: Signers;
  /** Signs PaymentTerms with the operator's key (raw or remote) under this chain's escrow domain. */
  signTerms: TermsSigner;
  livemode: boolean;
  confirmations: number;
}

export async function loadChainContext(config: Config): Promise<ChainContext> {
  const bootstrap = createPublicClient({ transport: http(config.rpcUrl, { retryCount: 2 }) });
  const chainId = await bootstrap.getChainId().catch((cause) => {
    throw new ConfigError(`cannot reach the chain at PIER_RPC_URL=${config.rpcUrl}`, { cause });
  });
  const deployment = config.deploymentFile ? readDeployment(config.deploymentFile) : loadDeployment(chainId);
  if (deployment.chainId !== chainId) {
    throw new ConfigError(
      `deployment is for chain ${deployment.chainId} but PIER_RPC_URL serves chain ${chainId}`,
    );
  }
  const genesis = await bootstrap.getBlock({ blockNumber: 0n });
  if (genesis.hash.toLowerCase() !== deployment.genesisHash.toLowerCase()) {
    throw new ConfigError(
      `the chain at PIER_RPC_URL was restarted since the deployment (genesis ${genesis.hash}); deploy again`,
    );
  }
  const chain = {
    id: chainId,
    name: chainId === LOCAL_CHAIN_ID ? "local" : `chain${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  } as const satisfies Chain;
  // Hardhat mines on demand: poll receipts quickly there; real chains take seconds per block anyway.
  const client = createPublicClient({
    chain,
    transport: http(config.rpcUrl, { retryCount: 3 }),
    pollingInterval: chainId === LOCAL_CHAIN_ID ? 50 : 1_000,
  }) as PublicClient;
  const tokenAddress = config.tokenAddress ?? deployment.contracts.TestStablecoin?.address;
  if (!tokenAddress) {
    throw new ConfigError("PIER_TOKEN_ADDRESS is required: the deployment has no TestStablecoin");
  }
  const token = getAddress(tokenAddress);
  const [symbol, decimals] = await Promise.all([
    client.readContract({ address: token, abi: erc20Abi, functionName: "symbol" }),
    client.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }),
  ]);
  const local = chainId === LOCAL_CHAIN_ID;
  if (config.livemode && local)
    throw new ConfigError("PIER_LIVEMODE=true is refused on the local chain (31337)");
  const remote = config.remoteSigner ? createRemoteSigner(config.remoteSigner) : undefined;
  const signers = loadSigners(config, chainId, remote);
  if (remote) await verifyRemoteAccounts(remote, signers.remote);
  const escrow = getAddress(deployment.contracts.PaymentEscrow.address);
  return {
    chainId,
    chain,
    client,
    deployment,
    escrow,
    token: { address: token, symbol, decimals },
    signers,
    signTerms: operatorTermsSigner(signers.operator, signers.operatorKey, chainId, escrow),
    livemode: config.livemode ?? false,
    confirmations: config.confirmations ?? (local ? 1 : 12),
  };
}

function readDeployment(path: string): Deployment {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Deployment;
  } catch (cause) {
    throw new ConfigError(`cannot read PIER_DEPLOYMENT_FILE=${path}`, { cause });
  }
}
