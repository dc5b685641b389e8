/**
 * Deploys PaymentEscrow (and, on test chains, the TestStablecoin; on the local chain also the
 * RegulatedStablecoin model behind its proxy) and writes contracts/deployments/<chainId>.json, the one
 * place every other package reads addresses from.
 *
 *   Local chain (default):  tsx scripts/deploy.ts                      (dev accounts, test balances)
 *   Any other chain:        PIER_RPC_URL=... PIER_DEPLOYER_KEY=0x... PIER_ARBITER=0x... \
 *                           PIER_FEE_RECIPIENT=0x... tsx scripts/deploy.ts
 *
 * Keys for real chains come only from the environment; the dev accounts are public and local-only.
 */
import { writeFile } from "node:fs/promises";
import {
  type Abi,
  type Address,
  createPublicClient,
  encodeDeployData,
  encodeFunctionData,
  getAddress,
  getContractAddress,
  type Hex,
  http,
  type LocalAccount,
  maxUint256,
  type PublicClient,
  parseUnits,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  paymentEscrowAbi,
  regulatedStablecoinAbi,
  regulatedStablecoinProxyAbi,
  testStablecoinAbi,
} from "../contracts/generated/abis.ts";
import {
  paymentEscrowBytecode,
  regulatedStablecoinBytecode,
  regulatedStablecoinProxyBytecode,
  testStablecoinBytecode,
} from "../contracts/generated/bytecode.ts";
import { devAccount } from "../contracts/lib/accounts.ts";
import { type ContractDeployment, type Deployment, deploymentPath } from "../contracts/lib/deployments.ts";
import { log } from "./lib/log.ts";

/** Test balance minted to each funded dev account on the local chain: 1,000,000 tUSDC (and rUSDC). */
export const DEV_BALANCE = parseUnits("1000000", 6);
const DEFAULT_MAX_FEE_BPS = 1_000; // 10%

export interface DeployOptions {
  rpcUrl: string;
  deployer: LocalAccount;
  owner: Address;
  arbiter: Address;
  feeRecipient: Address;
  operator: Address;
  maxFeeBps?: number;
  testToken: boolean;
  /**
   * Also deploy the RegulatedStablecoin (issuer-controlled stablecoin model, "rUSDC") behind its proxy,
   * the deployer holding the issuer's roles (owner, master minter and minter, pauser, blacklister) and
   * `proxyAdmin` the proxy. Local chains only: it is a test model, not a token.
   */
  regulatedToken?: { proxyAdmin: Address };
  /** Accounts that receive DEV_BALANCE of each test token. */
  fund?: Address[];
  /** Where to write the deployment; defaults to contracts/deployments/<chainId>.json. */
  outFile?: string;
}

export async function deploy(opts: DeployOptions): Promise<Deployment> {
  const publicClient = createPublicClient({ transport: http(opts.rpcUrl), pollingInterval: 250 });
  const [chainId, genesis] = await Promise.all([
    publicClient.getChainId(),
    publicClient.getBlock({ blockNumber: 0n }),
  ]);
  const tx = createSender(publicClient, opts.deployer, chainId);
  const fund = opts.fund ?? [];

  const escrow = await tx.deploy("PaymentEscrow", paymentEscrowAbi, paymentEscrowBytecode, [
    opts.owner,
    opts.arbiter,
    opts.feeRecipient,
    opts.maxFeeBps ?? DEFAULT_MAX_FEE_BPS,
  ]);
  const token = opts.testToken
    ? await tx.deploy("TestStablecoin", testStablecoinAbi, testStablecoinBytecode, [opts.deployer.address])
    : undefined;
  const implementation = opts.regulatedToken
    ? await tx.deploy(
        "RegulatedStablecoin implementation",
        regulatedStablecoinAbi,
        regulatedStablecoinBytecode,
        [],
      )
    : undefined;

  // Everything below calls a contract deployed above: its gas is estimated once that contract is mined.
  await tx.mined();
  if (token) await tx.callEach(token.address, testStablecoinAbi, "mint", fund, (to) => [to, DEV_BALANCE]);
  let proxy: Sent | undefined;
  if (opts.regulatedToken && implementation) {
    const deployer = opts.deployer.address;
    const initialize = encodeFunctionData({
      abi: regulatedStablecoinAbi,
      functionName: "initialize",
      args: ["Regulated USD Coin", "rUSDC", "USD", 6, deployer, deployer, deployer, deployer],
    });
    proxy = await tx.deploy(
      "RegulatedStablecoin",
      regulatedStablecoinProxyAbi,
      regulatedStablecoinProxyBytecode,
      [implementation.address, opts.regulatedToken.proxyAdmin, initialize],
    );
    await tx.mined();
    await tx.call(proxy.address, regulatedStablecoinAbi, "configureMinter", [deployer, maxUint256]);
    await tx.mined();
    await tx.callEach(proxy.address, regulatedStablecoinAbi, "mint", fund, (to) => [to, DEV_BALANCE]);
  }
  const receipts = await tx.mined();

  const deployed = (sent: Sent): ContractDeployment => {
    const receipt = receipts.get(sent.hash)!;
    log("deploy", "deployed", { contract: sent.name, address: sent.address, block: receipt.blockNumber });
    return { address: sent.address, blockNumber: Number(receipt.blockNumber), txHash: sent.hash };
  };
  const deployment: Deployment = {
    chainId,
    genesisHash: genesis.hash,
    deployedAt: new Date().toISOString(),
    contracts: { PaymentEscrow: deployed(escrow) },
    roles: {
      owner: opts.owner,
      operator: opts.operator,
      arbiter: opts.arbiter,
      feeRecipient: opts.feeRecipient,
    },
  };
  if (token) deployment.contracts.TestStablecoin = deployed(token);
  if (proxy && implementation && opts.regulatedToken) {
    const issuer = opts.deployer.address;
    deployment.contracts.RegulatedStablecoin = {
      ...deployed(proxy),
      implementation: deployed(implementation).address,
      proxyAdmin: opts.regulatedToken.proxyAdmin,
      roles: { owner: issuer, masterMinter: issuer, pauser: issuer, blacklister: issuer },
    };
  }
  if (fund.length)
    log("deploy", "funded dev accounts", {
      accounts: fund.length,
      tUSDC: token ? "1000000" : "0",
      rUSDC: proxy ? "1000000" : "0",
    });
  await writeFile(opts.outFile ?? deploymentPath(chainId), `${JSON.stringify(deployment, null, 2)}\n`);
  return deployment;
}

interface Sent {
  name: string;
  hash: Hex;
  /** The created contract's address (deployments), else the called contract's. */
  address: Address;
}

/**
 * The deployer's transactions, sent back to back: nonces counted here, fees read once, each signed
 * locally and sent raw (one round trip each), and receipts awaited together by `mined()`. A local chain
 * mines each transaction on arrival and any chain mines one sender's transactions in nonce order, so
 * nothing waits on a receipt but the gas estimate of a call to a contract deployed in the same run.
 */
function createSender(publicClient: PublicClient, account: LocalAccount, chainId: number) {
  let nonce: number | undefined;
  let fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | undefined;
  let pending: Sent[] = [];
  const receipts = new Map<Hex, TransactionReceipt>();

  /** The next nonce, read from the node the first time (and after a failed send); fees read once. */
  async function nextNonce(): Promise<number> {
    if (nonce === undefined || fees === undefined) {
      const [count, estimated] = await Promise.all([
        publicClient.getTransactionCount({ address: account.address, blockTag: "pending" }),
        publicClient.estimateFeesPerGas(),
      ]);
      nonce = count;
      fees = { maxFeePerGas: estimated.maxFeePerGas, maxPriorityFeePerGas: estimated.maxPriorityFeePerGas };
    }
    return nonce;
  }

  async function send(name: string, to: Address | undefined, data: Hex, gas?: bigint): Promise<Hex> {
    const current = await nextNonce();
    const limit = gas ?? (await publicClient.estimateGas({ account: account.address, to, data }));
    const serializedTransaction = await account.signTransaction({
      type: "eip1559",
      chainId,
      nonce: current,
      gas: limit,
      to,
      data,
      ...fees,
    });
    nonce = current + 1;
    try {
      return await publicClient.sendRawTransaction({ serializedTransaction });
    } catch (error) {
      nonce = undefined; // re-read from the node before anything else is sent
      throw new Error(`${name} could not be sent`, { cause: error });
    }
  }

  return {
    async deploy(name: string, abi: Abi, bytecode: Hex, args: unknown[]): Promise<Sent> {
      const address = getContractAddress({ from: account.address, nonce: BigInt(await nextNonce()) });
      const hash = await send(name, undefined, encodeDeployData({ abi, bytecode, args } as never));
      const sent = { name, hash, address: getAddress(address) };
      pending.push(sent);
      return sent;
    },

    async call(
      address: Address,
      abi: Abi,
      functionName: string,
      args: unknown[],
      gas?: bigint,
    ): Promise<Sent> {
      const data = encodeFunctionData({ abi, functionName, args } as never);
      const sent = { name: functionName, hash: await send(functionName, address, data, gas), address };
      pending.push(sent);
      return sent;
    },

    /** The same call once per item; the gas of the first (with a margin) serves them all. */
    async callEach<T>(
      address: Address,
      abi: Abi,
      functionName: string,
      items: T[],
      args: (item: T) => unknown[],
    ) {
      let gas: bigint | undefined;
      for (const item of items) {
        const data = encodeFunctionData({ abi, functionName, args: args(item) } as never);
        gas ??=
          ((await publicClient.estimateGas({ account: account.address, to: address, data })) * 12n) / 10n;
        pending.push({ name: functionName, hash: await send(functionName, address, data, gas), address });
      }
    },

    /** Waits for every transaction sent so far; throws if any failed. Returns every receipt of the run. */
    async mined(): Promise<Map<Hex, TransactionReceipt>> {
      const batch = pending;
      pending = [];
      await Promise.all(
        batch.map(async (sent) => {
          const receipt = await publicClient.waitForTransactionReceipt({ hash: sent.hash });
          if (receipt.status !== "success") throw new Error(`${sent.name} failed (tx ${sent.hash})`);
          receipts.set(sent.hash, receipt);
        }),
      );
      return receipts;
    },
  };
}

/** The local chain: dev accounts in their roles, test tokens, balances for every dev account. */
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
    regulatedToken: { proxyAdmin: devAccount("proxyAdmin").address },
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
