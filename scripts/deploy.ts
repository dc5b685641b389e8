/**
 * Deploys PaymentEscrow (and, on test chains, the TestStablecoin) and writes
 * contracts/deployments/<chainId>.json, the one place every other package reads addresses from.
 *
 *   Local chain (default):  tsx scripts/deploy.ts                      (dev accounts, test balances)
 *   Any other chain:        PIER_RPC_URL=... PIER_DEPLOYER_KEY=0x... PIER_ARBITER=0x... \
 *                           PIER_FEE_RECIPIENT=0x... tsx scripts/deploy.ts
 *
 * Keys for real chains come only from the environment; the dev accounts are public and local-only.
 */
import { writeFile } from "node:fs/promises";
import {
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  parseUnits,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { paymentEscrowAbi, testStablecoinAbi } from "../contracts/generated/abis.ts";
import { paymentEscrowBytecode, testStablecoinBytecode } from "../contracts/generated/bytecode.ts";
import { devAccount } from "../contracts/lib/accounts.ts";
import { type Deployment, deploymentPath } from "../contracts/lib/deployments.ts";
import { log } from "./lib/log.ts";

export const LOCAL_CHAIN_ID = 31337;
/** Test balance minted to each funded dev account on the local chain: 1,000,000 tUSDC. */
export const DEV_BALANCE = parseUnits("1000000", 6);
const DEFAULT_MAX_FEE_BPS = 1_000; // 10%

export interface DeployOptions {
  rpcUrl: string;
  deployer: Account;
  owner: Address;
  arbiter: Address;
  feeRecipient: Address;
  operator: Address;
  maxFeeBps?: number;
  testToken: boolean;
  /** Accounts that receive DEV_BALANCE of the test token. */
  fund?: Address[];
  /** Where to write the deployment; defaults to contracts/deployments/<chainId>.json. */
  outFile?: string;
}

export async function deploy(opts: DeployOptions): Promise<Deployment> {
  const transport = http(opts.rpcUrl);
  const publicClient = createPublicClient({ transport });
  const chainId = await publicClient.getChainId();
  const chain = { id: chainId } as Chain;
  const wallet = createWalletClient({ account: opts.deployer, chain, transport });
  const genesis = await publicClient.getBlock({ blockNumber: 0n });

  async function deployContract(name: string, abi: readonly unknown[], bytecode: Hex, args: unknown[]) {
    const hash = await wallet.deployContract({ abi, bytecode, args } as Parameters<
      typeof wallet.deployContract
    >[0]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (!receipt.contractAddress || receipt.status !== "success")
      throw new Error(`${name} deployment failed`);
    log("deploy", "deployed", {
      contract: name,
      address: receipt.contractAddress,
      block: receipt.blockNumber,
    });
    return {
      address: getAddress(receipt.contractAddress),
      blockNumber: Number(receipt.blockNumber),
      txHash: hash,
    };
  }

  const escrow = await deployContract("PaymentEscrow", paymentEscrowAbi, paymentEscrowBytecode, [
    opts.owner,
    opts.arbiter,
    opts.feeRecipient,
    opts.maxFeeBps ?? DEFAULT_MAX_FEE_BPS,
  ]);
  const deployment: Deployment = {
    chainId,
    genesisHash: genesis.hash,
    deployedAt: new Date().toISOString(),
    contracts: { PaymentEscrow: escrow },
    roles: {
      owner: opts.owner,
      operator: opts.operator,
      arbiter: opts.arbiter,
      feeRecipient: opts.feeRecipient,
    },
  };
  if (opts.testToken) {
    const token = await deployContract("TestStablecoin", testStablecoinAbi, testStablecoinBytecode, [
      opts.deployer.address,
    ]);
    deployment.contracts.TestStablecoin = token;
    for (const to of opts.fund ?? []) {
      const hash = await wallet.writeContract({
        address: token.address,
        abi: testStablecoinAbi,
        functionName: "mint",
        args: [to, DEV_BALANCE],
      });
      await publicClient.waitForTransactionReceipt({ hash });
    }
    if (opts.fund?.length)
      log("deploy", "funded dev accounts", { accounts: opts.fund.length, tUSDC: "1000000" });
  }
  await writeFile(opts.outFile ?? deploymentPath(chainId), `${JSON.stringify(deployment, null, 2)}\n`);
  return deployment;
}

/** The local chain: dev accounts in their roles, test token, balances for every dev account. */
export function deployLocal(rpcUrl: string, outFile?: string): Promise<Deployment> {
  const roles = [
    "deployer",
    "operator",
    "arbiter",
    "feeRecipient",
    "treasury",
    "merchant",
    "customer",
  ] as const;
  return deploy({
    rpcUrl,
    deployer: devAccount("deployer"),
    owner: devAccount("deployer").address,
    arbiter: devAccount("arbiter").address,
    feeRecipient: devAccount("feeRecipient").address,
    operator: devAccount("operator").address,
    testToken: true,
    outFile,
    fund: [
      ...roles.map((r) => devAccount(r).address),
      devAccount("customer2").address,
      devAccount("bridge").address,
    ],
  });
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required to deploy to a chain other than the local one`);
  return value;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rpcUrl = process.env.PIER_RPC_URL ?? "http://127.0.0.1:8545";
  if (!process.env.PIER_DEPLOYER_KEY) {
    const d = await deployLocal(rpcUrl);
    log("deploy", "wrote deployment", { chainId: d.chainId, path: deploymentPath(d.chainId) });
  } else {
    const deployer = privateKeyToAccount(requireEnv("PIER_DEPLOYER_KEY") as Hex);
    const d = await deploy({
      rpcUrl,
      deployer,
      owner: (process.env.PIER_OWNER ?? deployer.address) as Address,
      arbiter: requireEnv("PIER_ARBITER") as Address,
      feeRecipient: requireEnv("PIER_FEE_RECIPIENT") as Address,
      operator: requireEnv("PIER_OPERATOR") as Address,
      maxFeeBps: process.env.PIER_MAX_FEE_BPS ? Number(process.env.PIER_MAX_FEE_BPS) : undefined,
      testToken: process.env.PIER_DEPLOY_TEST_TOKEN === "1",
    });
    log("deploy", "wrote deployment", { chainId: d.chainId, path: deploymentPath(d.chainId) });
  }
}
