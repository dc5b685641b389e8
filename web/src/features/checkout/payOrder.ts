/**
 * Pays one order from the connected wallet, step by step, reporting each step to the UI:
 *
 *   authorization: sign ReceiveWithAuthorization (nonce = terms digest) -> send payWithAuthorization
 *   permit:        sign Permit                                         -> send payWithPermit
 *   allowance:     send approve (skipped when the allowance already covers it) -> send pay
 *   then:          confirm (receipt) -> escrow (the API reports the order escrowed; see usePayment)
 *
 * Never pays twice: the escrow's paymentState is read before every submission and the flow stops with
 * OrderAlreadyPaidError when the order is paid (from this wallet, another tab or another device); the
 * escrow itself also refuses a second payment (AlreadyPaid). Every call is simulated before the wallet
 * is asked to send it, so a revert shows as words before any prompt. Signatures are cached across
 * retries (the authorization stays valid until the deadline; a permit while its nonce is unchanged).
 */
import { paymentEscrowAbi, testStablecoinAbi } from "@pier/contracts/abis";
import { type PaymentTerms, paymentIdOf, termsDigest } from "@pier/contracts/terms";
import { formatToken } from "@pier/money/display";
import { type Address, type Hex, parseSignature, size, zeroHash } from "viem";
import {
  readContract,
  signTypedData,
  simulateContract,
  waitForTransactionReceipt,
  writeContract,
} from "wagmi/actions";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { termsOf } from "../../lib/paymentTerms.ts";
import type { PierConfig } from "../../wagmi.ts";
import type { PayMethod, TokenSupport } from "./tokenSupport.ts";

export type StepId = "approve" | "sign" | "send" | "confirm" | "escrow";
export type StepState = "todo" | "active" | "done" | "failed";

export interface StepUpdate {
  step: StepId;
  state: StepState;
  detail?: string;
  txHash?: Hex;
}

export interface PayCache {
  authorization?: { account: Address; signature: Hex };
  permit?: { account: Address; nonce: bigint; signature: Hex };
}

export class OrderAlreadyPaidError extends Error {
  override name = "OrderAlreadyPaidError";
  constructor() {
    super("This order is already paid. Nothing more was charged.");
  }
}

export class InsufficientBalanceError extends Error {
  override name = "InsufficientBalanceError";
  constructor(checkout: Checkout, balance: bigint) {
    super(
      `This order needs ${formatToken(checkout.amount, checkout.token)} but your wallet holds ${formatToken(balance, checkout.token)}.`,
    );
  }
}

/**
 * The wallet signed, but not with a plain 65-byte (or 64-byte compact) ECDSA signature: a smart-contract
 * account's ERC-1271 or ERC-6492 signature, which payWithPermit / payWithAuthorization (v, r, s) cannot
 * take. usePayment falls back to approve-then-pay and says why.
 */
export class UnusableSignatureError extends Error {
  override name = "UnusableSignatureError";
  constructor(readonly bytes: number) {
    super(`The wallet's signature is ${bytes} bytes, not a plain 65-byte signature.`);
  }
}

/** ECDSA in 65 bytes (r, s, v) or 64 (EIP-2098 compact): what the token's (v, r, s) functions take. */
function requirePlainSignature(signature: Hex): Hex {
  const bytes = size(signature);
  if (bytes !== 65 && bytes !== 64) throw new UnusableSignatureError(bytes);
  return signature;
}

/**
 * True for a smart-contract account (Safe, Coinbase Smart Wallet, other ERC-4337 accounts): it has code.
 * An EOA delegated through EIP-7702 also has code (0xef0100 + address) but still signs with its key.
 */
export function isContractAccount(code: Hex | undefined): boolean {
  if (!code || code === "0x") return false;
  return !code.toLowerCase().startsWith("0xef0100");
}

export class TransactionRevertedError extends Error {
  override name = "TransactionRevertedError";
  constructor(readonly hash: Hex) {
    super("The transaction was mined but reverted: nothing was paid.");
  }
}

export function stepsOf(method: PayMethod): StepId[] {
  return method === "allowance"
    ? ["approve", "send", "confirm", "escrow"]
    : ["sign", "send", "confirm", "escrow"];
}

export interface PayInput {
  config: PierConfig;
  checkout: Checkout;
  account: Address;
  method: PayMethod;
  support: TokenSupport;
  cache: PayCache;
  report: (update: StepUpdate) => void;
}

const receiveWithAuthorizationTypes = {
  ReceiveWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

function vrs(signature: Hex): { v: number; r: Hex; s: Hex } {
  const { v, yParity, r, s } = parseSignature(signature);
  return { v: Number(v ?? BigInt(27 + (yParity ?? 0))), r, s };
}

/** True when the escrow already holds (or held) a payment for this order. */
export async function isPaidOnChain(config: PierConfig, checkout: Checkout): Promise<boolean> {
  const state = await readContract(config, {
    address: checkout.escrow,
    abi: paymentEscrowAbi,
    functionName: "paymentState",
    args: [paymentIdOf(checkout.terms.operator, checkout.terms.order_id)],
    chainId: checkout.chain_id,
  });
  return state.recordHash !== zeroHash;
}

export async function payOrder(input: PayInput): Promise<Hex> {
  const { config, checkout, account, method, report } = input;
  const terms = termsOf(checkout.terms);
  const chainId = checkout.chain_id;
  const escrow = checkout.escrow;
  const ensureUnpaid = async () => {
    if (await isPaidOnChain(config, checkout)) throw new OrderAlreadyPaidError();
  };

  await ensureUnpaid();
  const balance = await readContract(config, {
    address: terms.token,
    abi: testStablecoinAbi,
    functionName: "balanceOf",
    args: [account],
    chainId,
  });
  if (balance < terms.amount) throw new InsufficientBalanceError(checkout, balance);
  let request: Parameters<typeof writeContract>[1];
  if (method === "allowance") {
    await approveIfNeeded(input, terms);
    report({ step: "send", state: "active", detail: "Confirm the payment in your wallet…" });
    await ensureUnpaid();
    request = (
      await simulateContract(config, {
        address: escrow,
        abi: paymentEscrowAbi,
        functionName: "pay",
        args: [terms, checkout.signature],
        account,
        chainId,
      })
    ).request;
  } else if (method === "authorization") {
    const signature = await signAuthorization(input, terms);
    report({ step: "send", state: "active", detail: "Confirm the payment in your wallet…" });
    await ensureUnpaid();
    const { v, r, s } = vrs(signature);
    request = (
      await simulateContract(config, {
        address: escrow,
        abi: paymentEscrowAbi,
        functionName: "payWithAuthorization",
        args: [terms, checkout.signature, account, 0n, terms.deadline, v, r, s],
        account,
        chainId,
      })
    ).request;
  } else {
    const signature = await signPermit(input, terms);
    report({ step: "send", state: "active", detail: "Confirm the payment in your wallet…" });
    await ensureUnpaid();
    const { v, r, s } = vrs(signature);
    request = (
      await simulateContract(config, {
        address: escrow,
        abi: paymentEscrowAbi,
        functionName: "payWithPermit",
        args: [terms, checkout.signature, terms.deadline, v, r, s],
        account,
        chainId,
      })
    ).request;
  }
  const hash = await writeContract(config, request);
  report({ step: "send", state: "done", txHash: hash, detail: "Payment submitted." });
  report({ step: "confirm", state: "active", detail: "Waiting for the network to confirm…" });
  const receipt = await waitForTransactionReceipt(config, { hash, chainId });
  if (receipt.status !== "success") throw new TransactionRevertedError(hash);
  report({ step: "confirm", state: "done", detail: `Confirmed in block ${receipt.blockNumber}.` });
  report({ step: "escrow", state: "active", detail: "Waiting for the payment service to see the payment…" });
  return hash;
}

async function approveIfNeeded({ config, checkout, account, report }: PayInput, terms: PaymentTerms) {
  const token = { address: terms.token, abi: testStablecoinAbi, chainId: checkout.chain_id } as const;
  report({ step: "approve", state: "active", detail: "Checking what the escrow may spend…" });
  const allowance = await readContract(config, {
    ...token,
    functionName: "allowance",
    args: [account, checkout.escrow],
  });
  if (allowance >= terms.amount) {
    report({ step: "approve", state: "done", detail: "Already approved." });
    return;
  }
  report({
    step: "approve",
    state: "active",
    detail: `Approve ${checkout.token.symbol} for the escrow in your wallet…`,
  });
  const { request } = await simulateContract(config, {
    ...token,
    functionName: "approve",
    args: [checkout.escrow, terms.amount],
    account,
  });
  const hash = await writeContract(config, request);
  report({
    step: "approve",
    state: "active",
    txHash: hash,
    detail: "Approval submitted, waiting for confirmation…",
  });
  const receipt = await waitForTransactionReceipt(config, { hash, chainId: checkout.chain_id });
  if (receipt.status !== "success") throw new TransactionRevertedError(hash);
  report({ step: "approve", state: "done", txHash: hash, detail: "Approved." });
}

async function signAuthorization(
  { config, checkout, account, support, cache, report }: PayInput,
  terms: PaymentTerms,
) {
  const cached = cache.authorization;
  if (cached && cached.account === account) {
    report({ step: "sign", state: "done", detail: "Signed." });
    return cached.signature;
  }
  if (!support.domain) throw new Error("The token has no EIP-712 domain.");
  report({ step: "sign", state: "active", detail: "Sign the payment authorization in your wallet…" });
  const signature = await signTypedData(config, {
    account,
    domain: support.domain,
    types: receiveWithAuthorizationTypes,
    primaryType: "ReceiveWithAuthorization",
    message: {
      from: account,
      to: checkout.escrow,
      value: terms.amount,
      validAfter: 0n,
      validBefore: terms.deadline,
      nonce: termsDigest(checkout.chain_id, checkout.escrow, terms),
    },
  });
  cache.authorization = { account, signature: requirePlainSignature(signature) };
  report({ step: "sign", state: "done", detail: "Signed." });
  return signature;
}

async function signPermit(
  { config, checkout, account, support, cache, report }: PayInput,
  terms: PaymentTerms,
) {
  const nonce = await readContract(config, {
    address: terms.token,
    abi: testStablecoinAbi,
    functionName: "nonces",
    args: [account],
    chainId: checkout.chain_id,
  });
  const cached = cache.permit;
  if (cached && cached.account === account && cached.nonce === nonce) {
    report({ step: "sign", state: "done", detail: "Signed." });
    return cached.signature;
  }
  if (!support.domain) throw new Error("The token has no EIP-712 domain.");
  report({ step: "sign", state: "active", detail: "Sign the spending permit in your wallet…" });
  const signature = await signTypedData(config, {
    account,
    domain: support.domain,
    types: permitTypes,
    primaryType: "Permit",
    message: {
      owner: account,
      spender: checkout.escrow,
      value: terms.amount,
      nonce,
      deadline: terms.deadline,
    },
  });
  cache.permit = { account, nonce, signature: requirePlainSignature(signature) };
  report({ step: "sign", state: "done", detail: "Signed." });
  return signature;
}
