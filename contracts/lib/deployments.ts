/**
 * Per-chain deployment addresses and start blocks, written by scripts/deploy.ts into
 * contracts/deployments/<chainId>.json. The local chain's file is rewritten on every deploy (and
 * gitignored); other chains' files are committed.
 */
import { readFileSync } from "node:fs";
import type { Address, Hex } from "viem";

export interface ContractDeployment {
  address: Address;
  blockNumber: number;
  /** Unknown when a deploy found the contract already at its address and could not find its creation. */
  txHash?: Hex;
}

/**
 * A token behind an upgradeable proxy, as issuer-controlled stablecoins are (USDC, EURC): `address` is
 * the proxy's, which is the token's address for every caller; the logic contract is `implementation`.
 */
export interface ProxiedTokenDeployment extends ContractDeployment {
  implementation: Address;
  /** May upgrade the proxy; cannot use the token. */
  proxyAdmin: Address;
  /** The issuer's roles on the token. */
  roles: { owner: Address; masterMinter: Address; pauser: Address; blacklister: Address };
}

export interface Deployment {
  chainId: number;
  /** Hash of the chain's genesis block: tells a restarted local chain from the one deployed to. */
  genesisHash: Hex;
  deployedAt: string;
  contracts: {
    PaymentEscrow: ContractDeployment;
    /**
     * Subscriptions beside the escrow (SpendPermissions.sol, CREATE2 from the escrow's address). Optional:
     * deployment files written before it existed have none.
     */
    SpendPermissions?: ContractDeployment;
    TestStablecoin?: ContractDeployment;
    /**
     * Local chains: Pier's model of an issuer-controlled stablecoin (FiatToken v2.2 behaviour: blacklist,
     * pause, proxy, ERC-1271 signatures), "rUSDC", for tests and benchmarks against issuer controls.
     */
    RegulatedStablecoin?: ProxiedTokenDeployment;
    /**
     * Local chains deployed with `tokenModels` (scripts/deploy.ts): one model of each stablecoin family
     * Pier accepts, each with its real quirks. USDC-like: the RegulatedStablecoin as "USD Coin" (EIP-2612,
     * ERC-3009, blacklist, pause, proxy). EURC-like: the same model as "EURC" (a euro peg, 6 decimals).
     */
    UsdcLike?: ProxiedTokenDeployment;
    EurcLike?: ProxiedTokenDeployment;
    /** USDT-like (TetherLikeStablecoin): no return values, approve through zero, no permit. */
    UsdtLike?: ContractDeployment;
    /** DAI-like (DaiLikeStablecoin): 18 decimals, DAI's own permit (payWithDaiPermit), wards. */
    DaiLike?: ContractDeployment;
  };
  roles: { owner: Address; operator: Address; arbiter: Address; feeRecipient: Address };
}

export function deploymentPath(chainId: number): string {
  return new URL(`../deployments/${chainId}.json`, import.meta.url).pathname;
}

/** Reads the deployment for `chainId`; throws with a hint when the chain was never deployed to. */
export function loadDeployment(chainId: number): Deployment {
  const path = deploymentPath(chainId);
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Deployment;
  } catch (cause) {
    throw new Error(`no deployment for chain ${chainId} at ${path}: run ./scripts/dev or scripts/deploy.ts`, {
      cause,
    });
  }
}
