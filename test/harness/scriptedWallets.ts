/**
 * Many fresh payer wallets for load and chaos runs: random keys, funded from the deployer (ETH through
 * hardhat_setBalance, tUSDC by transfers sent back to back with explicit nonces), each paying a checkout
 * the way the hosted page does, from the public checkout object (terms + operator signature): an EIP-2612
 * permit in the payment transaction, or an ERC-3009 authorization the payer submits itself.
 *
 *   const wallets = await fundWallets(rpcUrl, deployment, 200, 50_000_000n);
 *   await Promise.all(wallets.map((w, i) => payCheckout(w, checkouts[i], i % 2 ? "permit" : "authorization")));
 */
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type LocalAccount,
  type PrivateKeyAccount,
  type TransactionReceipt,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { paymentEscrowAbi, testStablecoinAbi } from "../../contracts/generated/abis.ts";
import type { Deployment } from "../../contracts/lib/deployments.ts";
import { payTerms } from "../../contracts/lib/payTerms.ts";
import {
  type PaymentRecordJson,
  type PaymentTermsJson,
  paymentRecordFromJson,
  paymentTermsFromJson,
} from "../../contracts/lib/termsJson.ts";
import { rpc } from "../../scripts/lib/chain.ts";
import { account } from "./payments.ts";

export interface ScriptedWallet {
  account: PrivateKeyAccount;
  rpcUrl: string;
  deployment: Deployment;
}

/** The part of GET /v1/checkout/:id a wallet needs. */
export interface CheckoutLike {
  terms: PaymentTermsJson;
  signature: string;
}

/**
 * One public client per chain for all the wallets: viem shares a client's block-number watch among its
 * receipt waits, so 500 wallets waiting poll the node once per 20 ms, not 500 times. (One client each
 * sent the dev node ~25,000 eth_blockNumber calls a second during the load bench, and the node and this
 * process then ate the CPU the stack under test should have had.)
 */
const publicClients = new Map<string, ReturnType<typeof newPublicClient>>();

function chainOf(rpcUrl: string, deployment: Deployment) {
  return defineChain({
    id: deployment.chainId,
    name: `chain ${deployment.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

// Hundreds of wallets at once queue up at a single-threaded dev node: wait and retry rather than fail.
const transportOf = (rpcUrl: string) => http(rpcUrl, { timeout: 120_000, retryCount: 5 });

function newPublicClient(rpcUrl: string, deployment: Deployment) {
  return createPublicClient({
    chain: chainOf(rpcUrl, deployment),
    transport: transportOf(rpcUrl),
    pollingInterval: 20,
  });
}

function clients(rpcUrl: string, deployment: Deployment, acct?: LocalAccount) {
  const key = `${deployment.chainId}@${rpcUrl}`;
  let publicClient = publicClients.get(key);
  if (!publicClient) {
    publicClient = newPublicClient(rpcUrl, deployment);
    publicClients.set(key, publicClient);
  }
  const chain = chainOf(rpcUrl, deployment);
  return {
    publicClient,
    walletClient: acct
      ? createWalletClient({ account: acct, chain, transport: transportOf(rpcUrl) })
      : undefined,
  };
}

/** n new accounts, each with 10 ETH and `tokens` tUSDC from the deployer. */
export async function fundWallets(
  rpcUrl: string,
  deployment: Deployment,
  n: number,
  tokens: bigint,
): Promise<ScriptedWallet[]> {
  const token = deployment.contracts.TestStablecoin!.address;
  const deployer = account("deployer");
  const { publicClient, walletClient } = clients(rpcUrl, deployment, deployer);
  const wallets = Array.from({ length: n }, () => ({
    account: privateKeyToAccount(generatePrivateKey()),
    rpcUrl,
    deployment,
  }));
  await Promise.all(
    wallets.map((w) => rpc(rpcUrl, "hardhat_setBalance", [w.account.address, "0x8ac7230489e80000"])),
  );
  let nonce = await publicClient.getTransactionCount({ address: deployer.address, blockTag: "pending" });
  const hashes: Hex[] = [];
  for (const w of wallets) {
    hashes.push(
      await walletClient!.writeContract({
        address: token,
        abi: testStablecoinAbi,
        functionName: "transfer",
        args: [w.account.address, tokens],
        nonce: nonce++,
        gas: 100_000n,
      }),
    );
  }
  for (const hash of hashes) {
    const r = await publicClient.waitForTransactionReceipt({ hash });
    if (r.status !== "success") throw new Error(`funding transfer ${hash} reverted`);
  }
  return wallets;
}

/**
 * Pays one checkout from the wallet (contracts/lib/payTerms.ts; an authorization is submitted by the payer
 * itself); resolves with the receipt (success required).
 */
export async function payCheckout(
  w: ScriptedWallet,
  checkout: CheckoutLike,
  method: "permit" | "authorization",
): Promise<TransactionReceipt> {
  const { publicClient, walletClient } = clients(w.rpcUrl, w.deployment, w.account);
  const paid = await payTerms(method, {
    publicClient,
    wallet: walletClient!,
    escrow: w.deployment.contracts.PaymentEscrow.address,
    terms: paymentTermsFromJson(checkout.terms),
    operatorSignature: checkout.signature as Hex,
  });
  return paid.receipt;
}

/**
 * The payer opens a dispute on its escrowed payment (freezes release until the arbiter resolves), from the
 * checkout's `payment_record` (GET /v1/checkout/:id once paid).
 */
export async function disputeAs(w: ScriptedWallet, record: PaymentRecordJson): Promise<TransactionReceipt> {
  const { publicClient, walletClient } = clients(w.rpcUrl, w.deployment, w.account);
  const hash = await walletClient!.writeContract({
    address: w.deployment.contracts.PaymentEscrow.address,
    abi: paymentEscrowAbi,
    functionName: "dispute",
    args: [paymentRecordFromJson(record)],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`dispute ${hash} reverted`);
  return receipt;
}
