/**
 * Deploys PaymentEscrow and SpendPermissions beside it (and, on test chains, the TestStablecoin; on the local chain also the
 * RegulatedStablecoin model behind its proxy) and writes contracts/deployments/<chainId>.json, the one
 * place every other package reads addresses from.
 *
 *   Local chain (default):  tsx scripts/deploy.ts                      (dev accounts, test balances)
 *   Any other chain:        PIER_RPC_URL=... PIER_DEPLOYER_KEY=0x... PIER_ARBITER=0x... \
 *                           PIER_FEE_RECIPIENT=0x... tsx scripts/deploy.ts
 *
 * Keys for real chains come only from the environment; the dev accounts are public and local-only.
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  type Abi,
  type Address,
  concat,
  createPublicClient,
  encodeAbiParameters,
  encodeDeployData,
  encodeFunctionData,
  getAddress,
  getContractAddress,
  type Hex,
  http,
  isAddress,
  isAddressEqual,
  type LocalAccount,
  maxUint256,
  type PublicClient,
  parseUnits,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  daiLikeStablecoinAbi,
  regulatedStablecoinAbi,
  regulatedStablecoinProxyAbi,
  testStablecoinAbi,
  tetherLikeStablecoinAbi,
} from "../contracts/generated/abis.ts";
import {
  daiLikeStablecoinBytecode,
  regulatedStablecoinBytecode,
  regulatedStablecoinProxyBytecode,
  testStablecoinBytecode,
  tetherLikeStablecoinBytecode,
} from "../contracts/generated/bytecode.ts";
import { devAccount } from "../contracts/lib/accounts.ts";
import { isLocalChain } from "../contracts/lib/chains.ts";
import {
  type ContractDeployment,
  type Deployment,
  deploymentPath,
  type ProxiedTokenDeployment,
} from "../contracts/lib/deployments.ts";
import {
  DETERMINISTIC_DEPLOYER,
  DETERMINISTIC_DEPLOYER_RUNTIME,
  ESCROW_SALT,
  type EscrowConstructorArgs,
  escrowAddress,
  escrowInitCode,
  SPEND_PERMISSIONS_SALT,
  spendPermissionsAddress,
  spendPermissionsInitCode,
} from "../contracts/lib/deterministicDeployment.ts";
import { type NetworkKey, type NetworkPreset, networks } from "../contracts/lib/networks.ts";
import { type DeployPlan, formatPlan } from "./lib/deployPlan.ts";
import { log } from "./lib/log.ts";
import { writeVerifyInput } from "./lib/verifyInput.ts";

/** Test balance minted to each funded dev account on the local chain: 1,000,000 tUSDC (and rUSDC). */
export const DEV_BALANCE = parseUnits("1000000", 6);
/** The same 1,000,000 in the DAI model's 18 decimals (`tokenModels`). */
export const DEV_DAI_BALANCE = parseUnits("1000000", 18);
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
  /**
   * Also deploy one model of each stablecoin family Pier accepts, funded like the test token: UsdcLike
   * and EurcLike (the RegulatedStablecoin as "USD Coin"/USDC and "EURC"/EURC, each behind its own proxy,
   * sharing `regulatedToken`'s implementation and proxy admin), UsdtLike (TetherLikeStablecoin) and
   * DaiLike (DaiLikeStablecoin, 18 decimals). The deployer holds every issuer role (and is the DAI
   * model's ward). Needs `regulatedToken`; local chains only. Deployed after everything else, so the
   * other contracts keep their addresses.
   */
  tokenModels?: boolean;
  /** Accounts that receive DEV_BALANCE of each test token. */
  fund?: Address[];
  /** Where to write the deployment; defaults to contracts/deployments/<chainId>.json. */
  outFile?: string;
  /**
   * Install the deterministic deployment proxy with hardhat_setCode (anvil_setCode) when the chain lacks
   * it: dev nodes only. Default: on local chain ids. Elsewhere a missing factory is an error.
   */
  installFactory?: boolean;
  /** Also write PaymentEscrow's standard-JSON input (explorer verification) next to the deployment file. */
  verifyInput?: boolean;
}

export async function deploy(opts: DeployOptions): Promise<Deployment> {
  const publicClient = createPublicClient({ transport: http(opts.rpcUrl), pollingInterval: 250 });
  const [chainId, genesis] = await Promise.all([
    publicClient.getChainId(),
    publicClient.getBlock({ blockNumber: 0n }),
  ]);
  const outFile = opts.outFile ?? deploymentPath(chainId);
  const tx = createSender(publicClient, opts.deployer, chainId);
  const fund = opts.fund ?? [];

  // The escrow first: on a fresh chain it is still the deployer's first transaction (nonce 0), so the
  // test tokens after it keep the addresses they had when the escrow was a plain CREATE.
  const escrowArgs = {
    owner: opts.owner,
    arbiter: opts.arbiter,
    feeRecipient: opts.feeRecipient,
    maxFeeBps: opts.maxFeeBps ?? DEFAULT_MAX_FEE_BPS,
  };
  const escrowAt = escrowAddress(escrowArgs);
  await ensureFactory(publicClient, chainId, opts.installFactory ?? isLocalChain(chainId));
  const reused = (await hasCode(publicClient, escrowAt))
    ? await findEscrowDeployment(publicClient, escrowAt, { outFile, chainId, genesisHash: genesis.hash })
    : undefined;
  if (reused) log("deploy", "reused PaymentEscrow already deployed at its address", { ...reused });
  const escrow = reused
    ? undefined
    : await tx.create2("PaymentEscrow", ESCROW_SALT, escrowInitCode(escrowArgs), escrowAt);
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
  const models =
    opts.tokenModels && implementation && opts.regulatedToken
      ? await deployTokenModels(tx, {
          deployer: opts.deployer.address,
          implementation: implementation.address,
          proxyAdmin: opts.regulatedToken.proxyAdmin,
          fund,
        })
      : undefined;
  if (opts.tokenModels && !models) throw new Error("tokenModels needs regulatedToken (its implementation)");
  // Last, so every contract above keeps its address; its constructor reads the escrow, mined by now.
  const spendPermissionsAt = spendPermissionsAddress(escrowAt);
  const spendPermissionsReused = await hasCode(publicClient, spendPermissionsAt);
  const spendPermissions = spendPermissionsReused
    ? undefined
    : await tx.create2(
        "SpendPermissions",
        SPEND_PERMISSIONS_SALT,
        spendPermissionsInitCode(escrowAt),
        spendPermissionsAt,
      );
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
    contracts: { PaymentEscrow: escrow ? deployed(escrow) : reused! },
    roles: {
      owner: opts.owner,
      operator: opts.operator,
      arbiter: opts.arbiter,
      feeRecipient: opts.feeRecipient,
    },
  };
  if (spendPermissions) deployment.contracts.SpendPermissions = deployed(spendPermissions);
  else if (spendPermissionsReused) {
    // Deployed by an earlier run: its recorded creation if the file has it, else the escrow's block, a
    // safe lower bound for the indexer (SpendPermissions cannot exist before its escrow).
    const previous = await readPrevious({ outFile, chainId, genesisHash: genesis.hash });
    const known = previous?.contracts.SpendPermissions;
    deployment.contracts.SpendPermissions =
      known && isAddressEqual(known.address, spendPermissionsAt)
        ? known
        : { address: spendPermissionsAt, blockNumber: deployment.contracts.PaymentEscrow.blockNumber };
  }
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
  if (models && implementation && opts.regulatedToken) {
    const issuer = opts.deployer.address;
    const proxied = (sent: Sent): ProxiedTokenDeployment => ({
      ...deployed(sent),
      implementation: implementation.address,
      proxyAdmin: opts.regulatedToken!.proxyAdmin,
      roles: { owner: issuer, masterMinter: issuer, pauser: issuer, blacklister: issuer },
    });
    deployment.contracts.UsdcLike = proxied(models.usdc);
    deployment.contracts.EurcLike = proxied(models.eurc);
    deployment.contracts.UsdtLike = deployed(models.usdt);
    deployment.contracts.DaiLike = deployed(models.dai);
  }
  if (fund.length)
    log("deploy", "funded dev accounts", {
      accounts: fund.length,
      tUSDC: token ? "1000000" : "0",
      rUSDC: proxy ? "1000000" : "0",
      ...(models ? { USDC: "1000000", EURC: "1000000", tUSDT: "1000000", DAI: "1000000" } : {}),
    });
  if (escrow && !(await hasCode(publicClient, escrowAt)))
    throw new Error(`PaymentEscrow: the factory's transaction succeeded but ${escrowAt} has no code`);
  if (spendPermissions && !(await hasCode(publicClient, spendPermissionsAt)))
    throw new Error(
      `SpendPermissions: the factory's transaction succeeded but ${spendPermissionsAt} has no code`,
    );
  await writeFile(outFile, `${JSON.stringify(deployment, null, 2)}\n`);
  if (opts.verifyInput) {
    const input = await writeVerifyInput(outFile, chainId);
    log("deploy", "wrote verification input", {
      ...input,
      constructorArgs: escrowConstructorArgs(escrowArgs),
    });
  }
  return deployment;
}

/**
 * The four stablecoin models (`tokenModels`), sent after everything else: two proxies over the deployed
 * RegulatedStablecoin implementation, the USDT and DAI models; then their minters, issue and balances.
 */
async function deployTokenModels(
  tx: ReturnType<typeof createSender>,
  at: { deployer: Address; implementation: Address; proxyAdmin: Address; fund: Address[] },
) {
  const proxyArgs = (name: string, symbol: string, currency: string) => [
    at.implementation,
    at.proxyAdmin,
    encodeFunctionData({
      abi: regulatedStablecoinAbi,
      functionName: "initialize",
      args: [name, symbol, currency, 6, at.deployer, at.deployer, at.deployer, at.deployer],
    }),
  ];
  const proxy = (label: string, name: string, symbol: string, currency: string) =>
    tx.deploy(
      label,
      regulatedStablecoinProxyAbi,
      regulatedStablecoinProxyBytecode,
      proxyArgs(name, symbol, currency),
    );
  const usdc = await proxy("UsdcLike", "USD Coin", "USDC", "USD");
  const eurc = await proxy("EurcLike", "EURC", "EURC", "EUR");
  const usdt = await tx.deploy("UsdtLike", tetherLikeStablecoinAbi, tetherLikeStablecoinBytecode, [
    at.deployer,
  ]);
  const dai = await tx.deploy("DaiLike", daiLikeStablecoinAbi, daiLikeStablecoinBytecode, []);
  await tx.mined();
  for (const regulated of [usdc, eurc])
    await tx.call(regulated.address, regulatedStablecoinAbi, "configureMinter", [at.deployer, maxUint256]);
  // The USDT model issues to its owner only; the owner then transfers to each account.
  await tx.call(usdt.address, tetherLikeStablecoinAbi, "issue", [DEV_BALANCE * BigInt(at.fund.length)]);
  await tx.mined();
  for (const regulated of [usdc, eurc])
    await tx.callEach(regulated.address, regulatedStablecoinAbi, "mint", at.fund, (to) => [to, DEV_BALANCE]);
  // The owner keeps its own share: a transfer to itself would be the cheapest, a bad gas estimate for the rest.
  const others = at.fund.filter((to) => !isAddressEqual(to, at.deployer));
  await tx.callEach(usdt.address, tetherLikeStablecoinAbi, "transfer", others, (to) => [to, DEV_BALANCE]);
  await tx.callEach(dai.address, daiLikeStablecoinAbi, "mint", at.fund, (to) => [to, DEV_DAI_BALANCE]);
  return { usdc, eurc, usdt, dai };
}

async function hasCode(client: PublicClient, address: Address, blockNumber?: bigint): Promise<boolean> {
  const code = await client.getCode(blockNumber === undefined ? { address } : { address, blockNumber });
  return code !== undefined && code !== "0x";
}

/** The factory must be on the chain; a dev node gets it installed (no transaction, no nonce used). */
async function ensureFactory(client: PublicClient, chainId: number, install: boolean): Promise<void> {
  if (await hasCode(client, DETERMINISTIC_DEPLOYER)) return;
  if (!install)
    throw new Error(
      `chain ${chainId} has no deterministic deployment proxy at ${DETERMINISTIC_DEPLOYER}: deploy it first (docs/deploying.md)`,
    );
  const params = [DETERMINISTIC_DEPLOYER, DETERMINISTIC_DEPLOYER_RUNTIME];
  try {
    await client.request({ method: "hardhat_setCode", params } as never);
  } catch {
    await client.request({ method: "anvil_setCode", params } as never);
  }
  if (!(await hasCode(client, DETERMINISTIC_DEPLOYER)))
    throw new Error(`could not install the deterministic deployment proxy on chain ${chainId}`);
  log("deploy", "installed the deterministic deployment proxy", { address: DETERMINISTIC_DEPLOYER, chainId });
}

/** The deployment file previously written for this very chain (same id and genesis), if any. */
async function readPrevious(at: { outFile: string; chainId: number; genesisHash: Hex }) {
  const previous = await readFile(at.outFile, "utf8").then(
    (text) => JSON.parse(text) as Deployment,
    () => undefined,
  );
  return previous?.chainId === at.chainId && previous.genesisHash === at.genesisHash ? previous : undefined;
}

/**
 * Where and when an escrow already at its address was deployed: from the previous deployment file of
 * this chain when it says so, else the first block with code there (a binary search over historical
 * state) and the factory transaction in it. A node without historical state: the head, with a warning
 * (the indexer then starts there and misses older events).
 */
async function findEscrowDeployment(
  client: PublicClient,
  address: Address,
  at: { outFile: string; chainId: number; genesisHash: Hex },
): Promise<ContractDeployment> {
  const known = (await readPrevious(at))?.contracts.PaymentEscrow;
  if (known && isAddressEqual(known.address, address)) return known;
  const head = await client.getBlockNumber();
  let low = 0n;
  let high = head;
  try {
    while (low < high) {
      const mid = (low + high) / 2n;
      if (await hasCode(client, address, mid)) high = mid;
      else low = mid + 1n;
    }
  } catch (error) {
    log("deploy", "warning: no historical state; the escrow's start block is the head", {
      error: String(error),
    });
    return { address, blockNumber: Number(head) };
  }
  const block = await client.getBlock({ blockNumber: low, includeTransactions: true });
  const creation = block.transactions.find(
    (t) =>
      t.to != null &&
      isAddressEqual(t.to, DETERMINISTIC_DEPLOYER) &&
      t.input.slice(0, 66).toLowerCase() === ESCROW_SALT.toLowerCase(),
  );
  return { address, blockNumber: Number(low), ...(creation ? { txHash: creation.hash } : {}) };
}

/** The ABI-encoded constructor arguments, as explorers ask for them. */
export function escrowConstructorArgs(args: EscrowConstructorArgs): Hex {
  return encodeAbiParameters(
    [{ type: "address" }, { type: "address" }, { type: "address" }, { type: "uint16" }],
    [args.owner, args.arbiter, args.feeRecipient, args.maxFeeBps],
  );
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

    /** A contract created by the deterministic deployment proxy: salt ++ init code, sent to the factory. */
    async create2(name: string, salt: Hex, initCode: Hex, address: Address): Promise<Sent> {
      const hash = await send(name, DETERMINISTIC_DEPLOYER, concat([salt, initCode]));
      const sent = { name, hash, address };
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

/** The local chain's roles: dev accounts. */
export function localRoles() {
  return {
    deployer: devAccount("deployer"),
    owner: devAccount("deployer").address,
    arbiter: devAccount("arbiter").address,
    feeRecipient: devAccount("feeRecipient").address,
    operator: devAccount("operator").address,
  };
}

/**
 * The local chain: dev accounts in their roles, test tokens, balances for every dev account. With
 * `{ tokenModels: true }` also the USDC-, EURC-, USDT- and DAI-like models (DeployOptions.tokenModels).
 */
export function deployLocal(
  rpcUrl: string,
  outFile?: string,
  extra: Pick<DeployOptions, "verifyInput" | "tokenModels"> = {},
): Promise<Deployment> {
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
    ...localRoles(),
    testToken: true,
    regulatedToken: { proxyAdmin: devAccount("proxyAdmin").address },
    outFile,
    // Any Hardhat or anvil node, whatever its chain id (the tests start some with other ids).
    installFactory: true,
    ...extra,
    fund: [
      ...roles.map((r) => devAccount(r).address),
      devAccount("customer2").address,
      devAccount("bridge").address,
    ],
  });
}

const LOCAL_RPC_URL = "http://127.0.0.1:8545";

const USAGE = `Usage: tsx scripts/deploy.ts [--network <preset>] [--dry-run [--offline]] [--mainnet] [--verify-input]
                           [--token-models]

  (no flags)          the local chain at PIER_RPC_URL (default ${LOCAL_RPC_URL}) with the dev accounts;
                      with PIER_DEPLOYER_KEY set, the chain at PIER_RPC_URL with roles from the environment
  --network <preset>  ${Object.keys(networks).join(", ")}
                      (RPC: PIER_RPC_URL, else the preset's public one; roles from the environment)
  --dry-run           print the plan (escrow address included) and send nothing; needs no RPC
  --offline           with --dry-run: do not ask the RPC whether the escrow is already deployed
  --mainnet           required to send anything to a mainnet
  --verify-input      also write the standard-JSON input on the local chain (always written elsewhere)
  --token-models      local chain only: also deploy and fund the USDC-, EURC-, USDT- and DAI-like models
`;

function networkPreset(name: string): NetworkPreset {
  if (!Object.hasOwn(networks, name))
    throw new Error(`unknown network "${name}"; presets: ${Object.keys(networks).join(", ")}`);
  return networks[name as NetworkKey];
}

function envAddress(name: string, required: string): Address {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required ${required}`);
  if (!isAddress(value, { strict: false })) throw new Error(`${name} is not an address: ${value}`);
  return getAddress(value);
}

/** Roles off the local chain: from the environment only. The operator is only needed to deploy. */
function envRoles(dryRun: boolean) {
  const key = process.env.PIER_DEPLOYER_KEY;
  if (key !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(key))
    throw new Error("PIER_DEPLOYER_KEY must be 0x followed by 64 hex digits");
  const deployer = key ? privateKeyToAccount(key as Hex) : undefined;
  if (!deployer && !dryRun) throw new Error("PIER_DEPLOYER_KEY is required to deploy to a network");
  const why = "to deploy to a chain other than the local one";
  const maxFee = process.env.PIER_MAX_FEE_BPS ?? String(DEFAULT_MAX_FEE_BPS);
  if (!/^\d+$/.test(maxFee) || Number(maxFee) > 10_000)
    throw new Error(`PIER_MAX_FEE_BPS must be an integer from 0 to 10000, not ${maxFee}`);
  return {
    deployer,
    owner: process.env.PIER_OWNER
      ? envAddress("PIER_OWNER", why)
      : (deployer?.address ?? envAddress("PIER_OWNER", `${why} when PIER_DEPLOYER_KEY is unset`)),
    arbiter: envAddress("PIER_ARBITER", why),
    feeRecipient: envAddress("PIER_FEE_RECIPIENT", why),
    operator: dryRun && !process.env.PIER_OPERATOR ? undefined : envAddress("PIER_OPERATOR", why),
    maxFeeBps: Number(maxFee),
  };
}

/** Asks the RPC what is already there; undefined when it does not answer (a dry run goes on without). */
async function probe(rpcUrl: string, escrow: Address) {
  const client = createPublicClient({ transport: http(rpcUrl, { timeout: 5_000, retryCount: 0 }) });
  try {
    const [chainId, factory, deployed] = await Promise.all([
      client.getChainId(),
      hasCode(client, DETERMINISTIC_DEPLOYER),
      hasCode(client, escrow),
    ]);
    return { chainId, factory, escrow: deployed };
  } catch {
    return undefined;
  }
}

function refuseMainnet(chainId: number, allowed: boolean) {
  const preset = Object.values(networks).find((n) => n.chainId === chainId);
  if (preset && !preset.testnet && !allowed)
    throw new Error(
      `${preset.name} (chain ${chainId}) is a mainnet: add --mainnet to deploy to it (see the plan first with --dry-run); nothing was sent`,
    );
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      network: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      offline: { type: "boolean", default: false },
      mainnet: { type: "boolean", default: false },
      "verify-input": { type: "boolean", default: false },
      "token-models": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const dryRun = values["dry-run"];
  const preset = values.network === undefined ? undefined : networkPreset(values.network);
  if (preset && !dryRun) refuseMainnet(preset.chainId, values.mainnet);
  const local = !preset && !process.env.PIER_DEPLOYER_KEY;
  const rpcUrl = process.env.PIER_RPC_URL ?? (preset ? preset.rpcUrl : LOCAL_RPC_URL);

  if (local && !dryRun) {
    const d = await deployLocal(rpcUrl ?? LOCAL_RPC_URL, undefined, {
      verifyInput: values["verify-input"],
      tokenModels: values["token-models"],
    });
    log("deploy", "wrote deployment", { chainId: d.chainId, path: deploymentPath(d.chainId) });
    return;
  }

  if (values["token-models"] && !local)
    throw new Error(
      "--token-models deploys test models: the local chain only (no --network, no PIER_DEPLOYER_KEY)",
    );
  const roles = local ? { ...localRoles(), maxFeeBps: DEFAULT_MAX_FEE_BPS } : envRoles(dryRun);
  const escrowArgs = {
    owner: roles.owner,
    arbiter: roles.arbiter,
    feeRecipient: roles.feeRecipient,
    maxFeeBps: roles.maxFeeBps,
  };
  const testToken = local || process.env.PIER_DEPLOY_TEST_TOKEN === "1";
  const onChain =
    dryRun && (values.offline || !rpcUrl)
      ? undefined
      : rpcUrl
        ? await probe(rpcUrl, escrowAddress(escrowArgs))
        : undefined;
  if (!dryRun) {
    if (!rpcUrl) throw new Error(`${preset?.name} has no well-known public RPC: set PIER_RPC_URL`);
    if (!onChain) throw new Error(`the RPC at ${rpcUrl} does not answer`);
    if (preset && onChain.chainId !== preset.chainId)
      throw new Error(
        `PIER_RPC_URL serves chain ${onChain.chainId}, not ${preset.name} (${preset.chainId}); nothing was sent`,
      );
    refuseMainnet(onChain.chainId, values.mainnet);
  }
  const chainId = preset?.chainId ?? onChain?.chainId;
  const plan: DeployPlan = {
    network: preset
      ? `${values.network} (${preset.name}${preset.testnet ? ", testnet" : ", MAINNET"})`
      : local
        ? "local"
        : "custom (PIER_RPC_URL)",
    chainId,
    rpcUrl,
    deployer: roles.deployer?.address,
    factory: DETERMINISTIC_DEPLOYER,
    salt: ESCROW_SALT,
    constructorArgs: escrowArgs,
    encodedConstructorArgs: escrowConstructorArgs(escrowArgs),
    escrow: escrowAddress(escrowArgs),
    onChain: onChain && { factory: onChain.factory, escrow: onChain.escrow },
    installFactory: local || (chainId !== undefined && isLocalChain(chainId)),
    more: [
      ...(testToken ? ["deployer: CREATE TestStablecoin (test networks only)"] : []),
      ...(local
        ? ["deployer: RegulatedStablecoin model behind its proxy, and dev balances (local chain)"]
        : []),
      `deployer -> ${DETERMINISTIC_DEPLOYER}: CREATE2 SpendPermissions at ${spendPermissionsAddress(escrowAddress(escrowArgs))} (salt ${SPEND_PERMISSIONS_SALT}, constructor arg: the escrow), unless already deployed`,
      `write ${chainId === undefined ? "contracts/deployments/<chainId>.json" : `contracts/deployments/${chainId}.json`}${local && !values["verify-input"] ? "" : " and its .PaymentEscrow.standard-input.json"}`,
    ],
  };
  process.stdout.write(formatPlan(plan));
  if (dryRun) {
    process.stdout.write("dry run: nothing sent\n");
    return;
  }
  const { deployer, operator } = roles;
  if (!deployer || !operator) throw new Error("PIER_DEPLOYER_KEY and PIER_OPERATOR are required to deploy");
  const d = await deploy({
    rpcUrl: rpcUrl!,
    deployer,
    ...escrowArgs,
    operator,
    testToken,
    verifyInput: true,
  });
  log("deploy", "wrote deployment", { chainId: d.chainId, path: deploymentPath(d.chainId) });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`deploy: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
