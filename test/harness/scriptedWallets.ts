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
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type LocalAccount,
  type PrivateKeyAccount,
  parseSignature,
  type TransactionReceipt,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { paymentEscrowAbi, testStablecoinAbi } from "../../contracts/generated/abis.ts";
import type { Deployment } from "../../contracts/lib/deployments.ts";
import { type PaymentTerms, termsDigest } from "../../contracts/lib/terms.ts";
import { rpc } from "../../scripts/lib/chain.ts";
import { account } from "./payments.ts";

export interface ScriptedWallet {
  account: PrivateKeyAccount;
  rpcUrl: string;
  deployment: Deployment;
}

/** The part of GET /v1/checkout/:id a wallet needs. */
export interface CheckoutLike {
  terms: {
    order_id: string;
    merchant: string;
    token: string;
    amount: string;
    fee: string;
    deadline: string;
    escrow_period: string;
    operator: string;
  };
  signature: string;
}

function clients(rpcUrl: string, deployment: Deployment, acct?: LocalAccount) {
  const chain = defineChain({
    id: deployment.chainId,
    name: `chain ${deployment.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  // Hundreds of wallets at once queue up at a single-threaded dev node: wait and retry rather than fail.
  const transport = http(rpcUrl, { timeout: 120_000, retryCount: 5 });
  return {
    publicClient: createPublicClient({ chain, transport, pollingInterval: 20 }),
    walletClient: acct ? createWalletClient({ account: acct, chain, transport }) : undefined,
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

export function termsOf(c: CheckoutLike): PaymentTerms {
  const t = c.terms;
  return {
    orderId: t.order_id as Hex,
    merchant: t.merchant as Address,
    token: t.token as Address,
    amount: BigInt(t.amount),
    fee: BigInt(t.fee),
    deadline: BigInt(t.deadline),
    escrowPeriod: BigInt(t.escrow_period),
    operator: t.operator as Address,
  };
}

/** Pays one checkout from the wallet; resolves with the receipt (success required). */
export async function payCheckout(
  w: ScriptedWallet,
  checkout: CheckoutLike,
  method: "permit" | "authorization",
): Promise<TransactionReceipt> {
  const { publicClient, walletClient } = clients(w.rpcUrl, w.deployment, w.account);
  const escrow = w.deployment.contracts.PaymentEscrow.address;
  const terms = termsOf(checkout);
  const [, name, version, chainId, verifyingContract] = await publicClient.readContract({
    address: terms.token,
    abi: testStablecoinAbi,
    functionName: "eip712Domain",
  });
  const domain = { name, version, chainId: Number(chainId), verifyingContract } as const;
  let hash: Hex;
  if (method === "permit") {
    const nonce = await publicClient.readContract({
      address: terms.token,
      abi: testStablecoinAbi,
      functionName: "nonces",
      args: [w.account.address],
    });
    const sig = await w.account.signTypedData({
      domain,
      types: {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "Permit",
      message: {
        owner: w.account.address,
        spender: escrow,
        value: terms.amount,
        nonce,
        deadline: terms.deadline,
      },
    });
    const { v, r, s } = split(sig);
    hash = await walletClient!.writeContract({
      address: escrow,
      abi: paymentEscrowAbi,
      functionName: "payWithPermit",
      args: [terms, checkout.signature as Hex, terms.deadline, v, r, s],
    });
  } else {
    const sig = await w.account.signTypedData({
      domain,
      types: {
        ReceiveWithAuthorization: [
          { name: "from", type: "address" },
          { name: "to", type: "address" },
          { name: "value", type: "uint256" },
          { name: "validAfter", type: "uint256" },
          { name: "validBefore", type: "uint256" },
          { name: "nonce", type: "bytes32" },
        ],
      },
      primaryType: "ReceiveWithAuthorization",
      message: {
        from: w.account.address,
        to: escrow,
        value: terms.amount,
        validAfter: 0n,
        validBefore: terms.deadline,
        nonce: termsDigest(w.deployment.chainId, escrow, terms),
      },
    });
    const { v, r, s } = split(sig);
    hash = await walletClient!.writeContract({
      address: escrow,
      abi: paymentEscrowAbi,
      functionName: "payWithAuthorization",
      args: [terms, checkout.signature as Hex, w.account.address, 0n, terms.deadline, v, r, s],
    });
  }
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`payment ${hash} reverted`);
  return receipt;
}

function split(signature: Hex): { v: number; r: Hex; s: Hex } {
  const { v, yParity, r, s } = parseSignature(signature);
  return { v: Number(v ?? BigInt(27 + (yParity ?? 0))), r, s };
}

/** The checkout's `payment_record` once paid (GET /v1/checkout/:id), as the escrow's Payment struct. */
export interface PaymentRecordLike {
  terms: CheckoutLike["terms"];
  payer: string;
  refund_to: string;
  release_after: string;
}

/** The payer opens a dispute on its escrowed payment (freezes release until the arbiter resolves). */
export async function disputeAs(w: ScriptedWallet, record: PaymentRecordLike): Promise<TransactionReceipt> {
  const { publicClient, walletClient } = clients(w.rpcUrl, w.deployment, w.account);
  const hash = await walletClient!.writeContract({
    address: w.deployment.contracts.PaymentEscrow.address,
    abi: paymentEscrowAbi,
    functionName: "dispute",
    args: [
      {
        terms: termsOf({ terms: record.terms, signature: "0x" }),
        payer: record.payer as Address,
        refundTo: record.refund_to as Address,
        releaseAfter: BigInt(record.release_after),
      },
    ],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`dispute ${hash} reverted`);
  return receipt;
}
