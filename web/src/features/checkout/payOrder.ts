/**
 * Pays one order from the connected wallet, step by step, reporting each step to the UI:
 *
 *   authorization: sign ReceiveWithAuthorization (nonce = terms digest) -> send payWithAuthorization
 *   permit:        sign Permit                                         -> send payWithPermit
 *   dai_permit:    sign DAI's Permit (holder's nonce, expiry = deadline) -> send payWithDaiPermit
 *   allowance:     send approve (skipped when the allowance already covers it) -> send pay
 *   relayed:       sign ReceiveWithAuthorization (any signature: a smart account's too) -> Pier's relayer
 *                  sends it and pays the fee (POST /v1/checkout/:id/relay); no transaction of the customer's
 *   batch:         wallet_sendCalls [approve (unless the allowance covers it), pay] as one atomic EIP-5792
 *                  batch, with the operator's ERC-7677 paymaster when chosen -> wait for the calls' status
 *   then:          confirm (receipt) -> escrow (the API reports the order escrowed; see usePayment)
 *
 * Never pays twice: the escrow's paymentState is read before every submission and the flow stops with
 * OrderAlreadyPaidError when the order is paid (from this wallet, another tab or another device); the
 * escrow itself also refuses a second payment (AlreadyPaid). Every call is simulated before the wallet
 * is asked to send it, so a revert shows as words before any prompt. Signatures are cached across
 * retries (the authorization stays valid until the deadline; a permit, EIP-2612 or DAI's, while its nonce
 * is unchanged).
 * The typed data, its deadlines and the escrow's arguments come from @pier/contracts/payTerms, as for
 * every other payer; this file only adds wagmi, the steps and the checks a customer needs.
 */
import { paymentEscrowAbi } from "@pier/contracts/abis";
import {
  payArgs,
  payWithAuthorizationArgs,
  payWithDaiPermitArgs,
  payWithPermitArgs,
  termsAuthorizationTypedData,
  termsDaiPermitTypedData,
  termsPermitTypedData,
} from "@pier/contracts/payTerms";
import { type PaymentTerms, paymentIdOf } from "@pier/contracts/terms";
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { daiPermitAbi, paymentTokenAbi } from "@pier/contracts/tokenAbi";
import { splitSignature, type TokenDomain } from "@pier/contracts/typedData";
import { formatToken } from "@pier/money/display";
import { type Address, encodeFunctionData, type Hex, type TypedDataDefinition, zeroHash } from "viem";
import {
  readContract,
  sendCalls,
  signTypedData,
  simulateContract,
  waitForCallsStatus,
  waitForTransactionReceipt,
  writeContract,
} from "wagmi/actions";
import { type Checkout, CheckoutApiError, relayCheckoutPayment } from "../../lib/checkoutApi.ts";
import type en from "../../locales/en.json";
import type { PierConfig } from "../../wagmi.ts";
import type { CheckoutPayMethod, TokenSupport } from "./tokenSupport.ts";

export type StepId = "approve" | "sign" | "send" | "confirm" | "escrow";
export type StepState = "todo" | "active" | "done" | "failed";

/** A step's detail line: a message of the checkout's catalogues (`progress.*` in src/locales) and its values. */
export interface StepDetail {
  key: keyof (typeof en)["progress"];
  values?: Record<string, string>;
}

export interface StepUpdate {
  step: StepId;
  state: StepState;
  detail?: StepDetail;
  txHash?: Hex;
}

export interface PayCache {
  authorization?: { account: Address; signature: Hex };
  permit?: { account: Address; nonce: bigint; signature: Hex };
  daiPermit?: { account: Address; nonce: bigint; signature: Hex };
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

export function stepsOf(method: CheckoutPayMethod): StepId[] {
  if (method === "relayed") return ["sign", "send", "escrow"];
  if (method === "batch") return ["send", "confirm", "escrow"];
  return method === "allowance"
    ? ["approve", "send", "confirm", "escrow"]
    : ["sign", "send", "confirm", "escrow"];
}

/** The API's answers that mean "pay it yourself": the checkout then falls back to approve and pay. */
const RELAY_REFUSALS = new Set([
  "relay_refused",
  "relay_unavailable",
  "relayer_unavailable",
  "relay_method_unsupported",
  "relay_rate_limited",
  "relay_budget_exhausted",
]);

/** Pier would not relay this payment (the token cannot check a smart account's signature, a limit...). */
export class RelayRefusedError extends Error {
  override name = "RelayRefusedError";
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface PayInput {
  config: PierConfig;
  checkout: Checkout;
  account: Address;
  method: CheckoutPayMethod;
  /** For `batch`: the ERC-7677 paymaster service the wallet is asked to use. */
  paymasterUrl?: string;
  support: TokenSupport;
  cache: PayCache;
  report: (update: StepUpdate) => void;
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

/** Returns the payment transaction's hash, or undefined when Pier's relayer sends it. */
export async function payOrder(input: PayInput): Promise<Hex | undefined> {
  const { config, checkout, account, method, report } = input;
  const terms = paymentTermsFromJson(checkout.terms);
  const chainId = checkout.chain_id;
  const escrow = checkout.escrow;
  const ensureUnpaid = async () => {
    if (await isPaidOnChain(config, checkout)) throw new OrderAlreadyPaidError();
  };

  await ensureUnpaid();
  const balance = await readContract(config, {
    address: terms.token,
    abi: paymentTokenAbi,
    functionName: "balanceOf",
    args: [account],
    chainId,
  });
  if (balance < terms.amount) throw new InsufficientBalanceError(checkout, balance);
  // Approve or sign first (steps of their own), then the escrow call that pays, simulated before sending.
  const escrowCall = { address: escrow, abi: paymentEscrowAbi, account, chainId } as const;
  const readyToSend = async () => {
    report({ step: "send", state: "active", detail: { key: "confirmPayment" } });
    await ensureUnpaid();
  };
  let request: Parameters<typeof writeContract>[1];
  if (method === "relayed") {
    const signature = await signAuthorization(input, terms, { anyLength: true });
    report({ step: "send", state: "active", detail: { key: "pierSending" } });
    await ensureUnpaid();
    try {
      await relayCheckoutPayment(checkout.id, { payer: account, signature });
    } catch (error) {
      if (error instanceof CheckoutApiError && RELAY_REFUSALS.has(error.code ?? ""))
        throw new RelayRefusedError(error.message, error.code);
      throw error;
    }
    report({ step: "send", state: "done", detail: { key: "sentByPier" } });
    report({ step: "escrow", state: "active", detail: { key: "waitingNetworkPayment" } });
    return undefined;
  }
  if (method === "batch") return payInBatch(input, terms, ensureUnpaid);
  if (method === "allowance") {
    await approveIfNeeded(input, terms);
    await readyToSend();
    const args = payArgs(terms, checkout.signature);
    request = (await simulateContract(config, { ...escrowCall, functionName: "pay", args })).request;
  } else if (method === "authorization") {
    const signature = await signAuthorization(input, terms);
    await readyToSend();
    const args = payWithAuthorizationArgs(terms, checkout.signature, account, signature);
    request = (await simulateContract(config, { ...escrowCall, functionName: "payWithAuthorization", args }))
      .request;
  } else if (method === "dai_permit") {
    const { signature, nonce } = await signDaiPermit(input, terms);
    await readyToSend();
    const args = payWithDaiPermitArgs(terms, checkout.signature, nonce, signature);
    request = (await simulateContract(config, { ...escrowCall, functionName: "payWithDaiPermit", args }))
      .request;
  } else {
    const signature = await signPermit(input, terms);
    await readyToSend();
    const args = payWithPermitArgs(terms, checkout.signature, signature);
    request = (await simulateContract(config, { ...escrowCall, functionName: "payWithPermit", args }))
      .request;
  }
  const hash = await writeContract(config, request);
  report({ step: "send", state: "done", txHash: hash, detail: { key: "submitted" } });
  report({ step: "confirm", state: "active", detail: { key: "waitingNetwork" } });
  const receipt = await waitForTransactionReceipt(config, { hash, chainId });
  if (receipt.status !== "success") throw new TransactionRevertedError(hash);
  report({
    step: "confirm",
    state: "done",
    detail: { key: "confirmedInBlock", values: { block: String(receipt.blockNumber) } },
  });
  report({ step: "escrow", state: "active", detail: { key: "waitingService" } });
  return hash;
}

/** The wallet did not run the batch: nothing was paid. */
export class BatchFailedError extends Error {
  override name = "BatchFailedError";
  constructor(readonly hash: Hex | undefined) {
    super("Your wallet could not complete the payment: nothing was paid.");
  }
}

/**
 * approve + pay as one atomic wallet_sendCalls batch (approve left out when the allowance covers the amount).
 * The pay call is simulated first only when no approval precedes it; otherwise the wallet's all-or-nothing
 * batch is the guard.
 */
async function payInBatch(input: PayInput, terms: PaymentTerms, ensureUnpaid: () => Promise<void>) {
  const { config, checkout, account, report, paymasterUrl } = input;
  const chainId = checkout.chain_id;
  const allowance = await readContract(config, {
    address: terms.token,
    abi: paymentTokenAbi,
    functionName: "allowance",
    args: [account, checkout.escrow],
    chainId,
  });
  const pay = {
    to: checkout.escrow,
    data: encodeFunctionData({
      abi: paymentEscrowAbi,
      functionName: "pay",
      args: payArgs(terms, checkout.signature),
    }),
  };
  const calls =
    allowance >= terms.amount
      ? [pay]
      : [
          {
            to: terms.token,
            data: encodeFunctionData({
              abi: paymentTokenAbi,
              functionName: "approve",
              args: [checkout.escrow, terms.amount],
            }),
          },
          pay,
        ];
  report({
    step: "send",
    state: "active",
    detail: paymasterUrl ? { key: "confirmBatchSponsored" } : { key: "confirmBatch" },
  });
  await ensureUnpaid();
  const { id } = await sendCalls(config, {
    account,
    chainId,
    calls,
    forceAtomic: true,
    capabilities: paymasterUrl ? { paymasterService: { url: paymasterUrl } } : undefined,
  });
  report({ step: "send", state: "done", detail: { key: "sentBatch" } });
  report({ step: "confirm", state: "active", detail: { key: "waitingNetwork" } });
  const status = await waitForCallsStatus(config, { id });
  const receipts = status.receipts ?? [];
  const last = receipts[receipts.length - 1];
  if (status.status !== "success" || !last || receipts.some((r) => r.status !== "success"))
    throw new BatchFailedError(last?.transactionHash);
  report({
    step: "confirm",
    state: "done",
    txHash: last.transactionHash,
    detail: { key: "confirmedInBlock", values: { block: String(last.blockNumber) } },
  });
  report({ step: "escrow", state: "active", detail: { key: "waitingService" } });
  return last.transactionHash;
}

async function approveIfNeeded({ config, checkout, account, report }: PayInput, terms: PaymentTerms) {
  const token = { address: terms.token, abi: paymentTokenAbi, chainId: checkout.chain_id } as const;
  report({ step: "approve", state: "active", detail: { key: "checkingAllowance" } });
  const allowance = await readContract(config, {
    ...token,
    functionName: "allowance",
    args: [account, checkout.escrow],
  });
  if (allowance >= terms.amount) {
    report({ step: "approve", state: "done", detail: { key: "alreadyApproved" } });
    return;
  }
  report({
    step: "approve",
    state: "active",
    detail: { key: "approveInWallet", values: { symbol: checkout.token.symbol } },
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
    detail: { key: "approvalSubmitted" },
  });
  const receipt = await waitForTransactionReceipt(config, { hash, chainId: checkout.chain_id });
  if (receipt.status !== "success") throw new TransactionRevertedError(hash);
  report({ step: "approve", state: "done", txHash: hash, detail: { key: "approved" } });
}

/**
 * The sign step: the wallet signs the typed data `build` makes from the token's domain, unless `cached`
 * already holds that signature (`onSigned` caches a new one). A smart-contract account's signature cannot be
 * split into v, r, s: it throws NotEcdsaSignatureError here, at the sign step, so usePayment treats the
 * account as a smart account (relayed with the same signature, a batch, or approve-then-pay).
 */
async function signStep(
  { config, account, support, report }: PayInput,
  cached: Hex | undefined,
  prompt: StepDetail,
  build: (domain: TokenDomain) => TypedDataDefinition,
  onSigned: (signature: Hex) => void,
  { anyLength = false }: { anyLength?: boolean } = {},
): Promise<Hex> {
  let signature = cached;
  if (!signature) {
    if (!support.domain) throw new Error("The token has no EIP-712 domain.");
    report({ step: "sign", state: "active", detail: prompt });
    signature = await signTypedData(config, { account, ...build(support.domain) });
    // Kept even when it is not 65 bytes: Pier's relayer can still send it, with no second prompt.
    onSigned(signature);
  }
  // The escrow's (v, r, s) functions need 65 bytes; a relayed one takes any (ERC-1271, ERC-6492).
  if (!anyLength) splitSignature(signature);
  report({ step: "sign", state: "done", detail: { key: "signed" } });
  return signature;
}

/** The ERC-3009 authorization for the terms; it stays valid until their deadline, so a retry reuses it. */
async function signAuthorization(input: PayInput, terms: PaymentTerms, opts: { anyLength?: boolean } = {}) {
  const { checkout, account, cache } = input;
  const cached = cache.authorization?.account === account ? cache.authorization.signature : undefined;
  return signStep(
    input,
    cached,
    { key: "signAuthorization" },
    (domain) =>
      termsAuthorizationTypedData({
        domain,
        from: account,
        chainId: checkout.chain_id,
        escrow: checkout.escrow,
        terms,
      }),
    (signature) => {
      cache.authorization = { account, signature };
    },
    opts,
  );
}

/** The EIP-2612 permit for the terms; a retry reuses it while the account's permit nonce is unchanged. */
async function signPermit(input: PayInput, terms: PaymentTerms) {
  const { config, checkout, account, cache } = input;
  const nonce = await readContract(config, {
    address: terms.token,
    abi: paymentTokenAbi,
    functionName: "nonces",
    args: [account],
    chainId: checkout.chain_id,
  });
  const permit = cache.permit;
  const cached = permit?.account === account && permit.nonce === nonce ? permit.signature : undefined;
  return signStep(
    input,
    cached,
    { key: "signPermit" },
    (domain) => termsPermitTypedData({ domain, owner: account, escrow: checkout.escrow, terms, nonce }),
    (signature) => {
      cache.permit = { account, nonce, signature };
    },
  );
}

/**
 * DAI's permit for the terms: the escrow as spender, valid through the terms' deadline (DAI's permit has
 * no amount: an unlimited allowance only the payer's own payments can use). A retry reuses it while the
 * holder's DAI nonce is unchanged.
 */
async function signDaiPermit(
  input: PayInput,
  terms: PaymentTerms,
): Promise<{ signature: Hex; nonce: bigint }> {
  const { config, checkout, account, cache } = input;
  const nonce = await readContract(config, {
    address: terms.token,
    abi: daiPermitAbi,
    functionName: "nonces",
    args: [account],
    chainId: checkout.chain_id,
  });
  const permit = cache.daiPermit;
  const cached = permit?.account === account && permit.nonce === nonce ? permit.signature : undefined;
  const signature = await signStep(
    input,
    cached,
    { key: "signDaiPermit", values: { symbol: checkout.token.symbol } },
    (domain) => termsDaiPermitTypedData({ domain, holder: account, escrow: checkout.escrow, terms, nonce }),
    (signed) => {
      cache.daiPermit = { account, nonce, signature: signed };
    },
  );
  return { signature, nonce };
}
