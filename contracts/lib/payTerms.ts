/**
 * Paying operator-signed PaymentTerms (terms.ts) into the PaymentEscrow from an account, the three ways a
 * payer can (and, for DAI-like tokens, a fourth: `payByDaiPermit`, DAI's own permit then one
 * `payWithDaiPermit` transaction):
 *
 *   allowance      approve the escrow for the amount if its allowance falls short, then `pay`
 *   permit         sign an EIP-2612 permit for the amount, then one `payWithPermit` transaction
 *   authorization  sign an ERC-3009 ReceiveWithAuthorization to the escrow whose nonce is the terms'
 *                  EIP-712 digest (so it can pay no other order), then `payWithAuthorization`, sent by
 *                  the payer or by any relayer (gasless for the payer)
 *
 * The deadline rule: terms are payable strictly before `deadline` (the escrow takes a payment only while
 * block.timestamp < deadline), the rule ERC-3009 applies to `validBefore`. So an authorization is signed
 * with validAfter = 0 and validBefore = deadline, and a permit with its deadline = the terms' deadline
 * (EIP-2612 accepts a permit through its deadline second, so it never expires before the terms do). Both
 * are therefore good exactly as long as the terms are.
 *
 * Two layers: the typed data and the escrow call arguments (no client needed: the web checkout signs and
 * sends them with wagmi), and functions that sign and send with viem clients given by the caller (the
 * CLI, scripts, the test harness, benchmarks). Nothing is bound to a chain or kept between calls: the
 * clients, the escrow and the token come with every call.
 */
import {
  type Account,
  type Address,
  type Chain,
  type Client,
  erc20Abi,
  type Hex,
  isAddressEqual,
  type ParseEventLogsReturnType,
  parseEventLogs,
  type TransactionReceipt,
  type Transport,
} from "viem";
import {
  getChainId,
  readContract,
  signTypedData,
  waitForTransactionReceipt,
  writeContract,
} from "viem/actions";
import { paymentEscrowAbi } from "../generated/abis.ts";
import { type PaymentRecord, type PaymentTerms, paymentIdOf, termsDigest } from "./terms.ts";
import { daiPermitAbi, eip2612Abi } from "./tokenAbi.ts";
import { readTokenDomain } from "./tokenDomain.ts";
import {
  daiPermitTypedData,
  permitTypedData,
  receiveWithAuthorizationTypedData,
  splitSignature,
  type TokenDomain,
} from "./typedData.ts";

export type PayMethod = "allowance" | "permit" | "authorization";

// ------------------------------------------------------------------------------------------------------
// Typed data and escrow arguments
// ------------------------------------------------------------------------------------------------------

/** The permit a payer signs to pay `terms`: exactly the amount, to the escrow, until the terms' deadline. */
export function termsPermitTypedData({
  domain,
  owner,
  escrow,
  terms,
  nonce,
}: {
  domain: TokenDomain;
  owner: Address;
  escrow: Address;
  terms: PaymentTerms;
  /** The owner's current EIP-2612 nonce at the token. */
  nonce: bigint;
}) {
  return permitTypedData(domain, {
    owner,
    spender: escrow,
    value: terms.amount,
    nonce,
    deadline: terms.deadline,
  });
}

/**
 * The DAI permit a payer signs to pay `terms` in a DAI-like token (payWithDaiPermit): the escrow as
 * spender, `allowed`, valid through the terms' deadline. DAI's permit has no amount: it grants the escrow
 * an unlimited allowance, which only the payer's own payments can use (the escrow pulls from no one else).
 */
export function termsDaiPermitTypedData({
  domain,
  holder,
  escrow,
  terms,
  nonce,
}: {
  domain: TokenDomain;
  holder: Address;
  escrow: Address;
  terms: PaymentTerms;
  /** The holder's current DAI permit nonce at the token. */
  nonce: bigint;
}) {
  return daiPermitTypedData(domain, {
    holder,
    spender: escrow,
    nonce,
    expiry: terms.deadline,
    allowed: true,
  });
}

/**
 * The ERC-3009 authorization a payer signs to pay `terms`: exactly the amount, to the escrow, valid before
 * the terms' deadline, nonce = termsDigest (what payWithAuthorization requires).
 */
export function termsAuthorizationTypedData({
  domain,
  from,
  chainId,
  escrow,
  terms,
}: {
  domain: TokenDomain;
  from: Address;
  /** The escrow's chain (the terms' EIP-712 domain). */
  chainId: number;
  escrow: Address;
  terms: PaymentTerms;
}) {
  return receiveWithAuthorizationTypedData(domain, {
    from,
    to: escrow,
    value: terms.amount,
    validAfter: 0n,
    validBefore: terms.deadline,
    nonce: termsDigest(chainId, escrow, terms),
  });
}

/** `pay(terms, operatorSignature)`: from the caller's allowance. */
export function payArgs(terms: PaymentTerms, operatorSignature: Hex) {
  return [terms, operatorSignature] as const;
}

/** `payWithPermit(...)` for a permit signed over termsPermitTypedData. Throws NotEcdsaSignatureError. */
export function payWithPermitArgs(terms: PaymentTerms, operatorSignature: Hex, permitSignature: Hex) {
  const { v, r, s } = splitSignature(permitSignature);
  return [terms, operatorSignature, terms.deadline, v, r, s] as const;
}

/** `payWithDaiPermit(...)` for a DAI permit signed over termsDaiPermitTypedData with `nonce`. */
export function payWithDaiPermitArgs(
  terms: PaymentTerms,
  operatorSignature: Hex,
  nonce: bigint,
  permitSignature: Hex,
) {
  const { v, r, s } = splitSignature(permitSignature);
  return [terms, operatorSignature, nonce, terms.deadline, v, r, s] as const;
}

/** `payWithAuthorization(...)` for an authorization signed over termsAuthorizationTypedData by `payer`. */
export function payWithAuthorizationArgs(
  terms: PaymentTerms,
  operatorSignature: Hex,
  payer: Address,
  authorizationSignature: Hex,
) {
  const { v, r, s } = splitSignature(authorizationSignature);
  return [terms, operatorSignature, payer, 0n, terms.deadline, v, r, s] as const;
}

/**
 * `payWithAuthorization(...)` with a `bytes` signature: a smart-contract wallet's (checked by the token with
 * ERC-1271), or one wrapped in ERC-6492 by a wallet not deployed yet (the escrow deploys it first).
 */
export function payWithAuthorizationBytesArgs(
  terms: PaymentTerms,
  operatorSignature: Hex,
  payer: Address,
  signature: Hex,
) {
  return [terms, operatorSignature, payer, 0n, terms.deadline, signature] as const;
}

/** `payWithPermit(...)` with a `bytes` permit signature, for a smart-contract wallet paying in its own call. */
export function payWithPermitBytesArgs(terms: PaymentTerms, operatorSignature: Hex, permitSignature: Hex) {
  return [terms, operatorSignature, terms.deadline, permitSignature] as const;
}

// ------------------------------------------------------------------------------------------------------
// Signing and sending with viem clients
// ------------------------------------------------------------------------------------------------------

/** A viem client with an account: a wallet client of a local account or of a JSON-RPC wallet. */
export type AccountClient = Client<Transport, Chain | undefined, Account>;

export interface PayTermsParameters {
  /** Reads (allowance, nonce, token domain, chain id) and waits for receipts, on the escrow's chain. */
  publicClient: Client;
  /** The payer's client: it signs, and sends the transactions unless a relayer does. */
  wallet: AccountClient;
  escrow: Address;
  terms: PaymentTerms;
  /** The operator's EIP-712 signature over `terms` (the API's checkout `signature`). */
  operatorSignature: Hex;
  /** The token's EIP-712 domain when the caller already knows it; read from the token otherwise. */
  tokenDomain?: TokenDomain;
}

/** A decoded PaymentEscrowed event. */
export type EscrowedEvent = ParseEventLogsReturnType<
  typeof paymentEscrowAbi,
  "PaymentEscrowed",
  true
>[number];

export interface TermsPaid {
  hash: Hex;
  receipt: TransactionReceipt;
  paymentId: Hex;
  /** The record every later escrow call takes (release, refund, dispute, setHold, resolve). */
  record: PaymentRecord;
  escrowed: EscrowedEvent;
}

/** A transaction was mined but reverted. */
export class TransactionRevertedError extends Error {
  override name = "TransactionRevertedError";
  constructor(
    readonly what: string,
    readonly hash: Hex,
  ) {
    super(`${what} reverted (tx ${hash})`);
  }
}

/** The token tells no EIP-712 domain (readTokenDomain): it has no usable permit or authorization. */
export class TokenDomainUnavailableError extends Error {
  override name = "TokenDomainUnavailableError";
  constructor(readonly token: Address) {
    super(`token ${token} reports no EIP-712 domain: pay it by allowance`);
  }
}

async function chainIdOf(client: Client): Promise<number> {
  return client.chain?.id ?? (await getChainId(client));
}

async function domainOf(p: PayTermsParameters, chainId: number): Promise<TokenDomain> {
  const domain = p.tokenDomain ?? (await readTokenDomain(p.publicClient, { token: p.terms.token, chainId }));
  if (!domain) throw new TokenDomainUnavailableError(p.terms.token);
  return domain;
}

async function confirmed(publicClient: Client, what: string, hash: Hex): Promise<TransactionReceipt> {
  const receipt = await waitForTransactionReceipt(publicClient, { hash });
  if (receipt.status !== "success") throw new TransactionRevertedError(what, hash);
  return receipt;
}

/**
 * The record of an escrowed payment, from its signed terms and its PaymentEscrowed event (from a receipt
 * or from getContractEvents). The event carries everything but the terms' `deadline` and `escrowPeriod`.
 */
export function recordFromEscrowed(
  terms: PaymentTerms,
  escrowed: { args: { paymentId?: Hex; payer?: Address; refundTo?: Address; releaseAfter?: bigint } },
): PaymentRecord {
  const { paymentId, payer, refundTo, releaseAfter } = escrowed.args;
  if (paymentId !== paymentIdOf(terms.operator, terms.orderId))
    throw new Error(`PaymentEscrowed ${paymentId} does not belong to order ${terms.orderId}`);
  if (!payer || !refundTo || releaseAfter === undefined)
    throw new Error(`PaymentEscrowed ${paymentId} is incomplete`);
  return { terms, payer, refundTo, releaseAfter };
}

/** The payment a successful receipt of any of the escrow's pay functions holds (its PaymentEscrowed event). */
export function paidFromReceipt(
  escrow: Address,
  terms: PaymentTerms,
  hash: Hex,
  receipt: TransactionReceipt,
): TermsPaid {
  const logs = receipt.logs.filter((log) => isAddressEqual(log.address, escrow));
  const escrowed = parseEventLogs({ abi: paymentEscrowAbi, eventName: "PaymentEscrowed", logs })[0];
  if (!escrowed) throw new Error(`tx ${hash} emitted no PaymentEscrowed`);
  return {
    hash,
    receipt,
    paymentId: escrowed.args.paymentId,
    escrowed,
    record: recordFromEscrowed(terms, escrowed),
  };
}

/**
 * Approves `spender` for exactly `amount` of `token` from the wallet's account, unless its allowance
 * already covers it; returns the approve transaction's hash, or undefined when none was needed.
 */
export async function approveIfNeeded({
  publicClient,
  wallet,
  token,
  spender,
  amount,
}: {
  publicClient: Client;
  wallet: AccountClient;
  token: Address;
  spender: Address;
  amount: bigint;
}): Promise<Hex | undefined> {
  const allowance = await readContract(publicClient, {
    address: token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [wallet.account.address, spender],
  });
  if (allowance >= amount) return undefined;
  const hash = await writeContract(wallet, {
    address: token,
    abi: erc20Abi,
    functionName: "approve",
    args: [spender, amount],
    account: wallet.account,
    chain: wallet.chain,
  });
  await confirmed(publicClient, "approve", hash);
  return hash;
}

/** Allowance: approve the escrow if needed, then `pay` from the wallet's account. */
export async function payByAllowance(p: PayTermsParameters): Promise<TermsPaid> {
  await approveIfNeeded({ ...p, token: p.terms.token, spender: p.escrow, amount: p.terms.amount });
  const hash = await writeContract(p.wallet, {
    address: p.escrow,
    abi: paymentEscrowAbi,
    functionName: "pay",
    args: payArgs(p.terms, p.operatorSignature),
    account: p.wallet.account,
    chain: p.wallet.chain,
  });
  return paidFromReceipt(p.escrow, p.terms, hash, await confirmed(p.publicClient, "pay", hash));
}

/**
 * The wallet's permit for `terms` (its nonce read from the token), checked to be plain ECDSA: throws
 * NotEcdsaSignatureError for a smart-contract account's signature.
 */
export async function signTermsPermit(p: PayTermsParameters): Promise<Hex> {
  const chainId = await chainIdOf(p.publicClient);
  const owner = p.wallet.account.address;
  // The domain first: a token without one has no permit, and says so better than a failed nonces() call.
  const domain = await domainOf(p, chainId);
  const nonce = await readContract(p.publicClient, {
    address: p.terms.token,
    abi: eip2612Abi,
    functionName: "nonces",
    args: [owner],
  });
  const typedData = termsPermitTypedData({ domain, owner, escrow: p.escrow, terms: p.terms, nonce });
  const signature = await signTypedData(p.wallet, { account: p.wallet.account, ...typedData });
  splitSignature(signature);
  return signature;
}

/** Permit: one `payWithPermit` transaction from the wallet's account carrying its permit. */
export async function payByPermit(p: PayTermsParameters): Promise<TermsPaid> {
  const permit = await signTermsPermit(p);
  const hash = await writeContract(p.wallet, {
    address: p.escrow,
    abi: paymentEscrowAbi,
    functionName: "payWithPermit",
    args: payWithPermitArgs(p.terms, p.operatorSignature, permit),
    account: p.wallet.account,
    chain: p.wallet.chain,
  });
  return paidFromReceipt(p.escrow, p.terms, hash, await confirmed(p.publicClient, "payWithPermit", hash));
}

/**
 * The wallet's DAI permit for `terms` (its nonce read from the token) and that nonce, checked to be plain
 * ECDSA (DAI's permit uses bare ecrecover): throws NotEcdsaSignatureError otherwise.
 */
export async function signTermsDaiPermit(p: PayTermsParameters): Promise<{ signature: Hex; nonce: bigint }> {
  const chainId = await chainIdOf(p.publicClient);
  const holder = p.wallet.account.address;
  const domain = await domainOf(p, chainId);
  const nonce = await readContract(p.publicClient, {
    address: p.terms.token,
    abi: daiPermitAbi,
    functionName: "nonces",
    args: [holder],
  });
  const typedData = termsDaiPermitTypedData({ domain, holder, escrow: p.escrow, terms: p.terms, nonce });
  const signature = await signTypedData(p.wallet, { account: p.wallet.account, ...typedData });
  splitSignature(signature);
  return { signature, nonce };
}

/** DAI permit: one `payWithDaiPermit` transaction from the wallet's account carrying its DAI permit. */
export async function payByDaiPermit(p: PayTermsParameters): Promise<TermsPaid> {
  const { signature, nonce } = await signTermsDaiPermit(p);
  const hash = await writeContract(p.wallet, {
    address: p.escrow,
    abi: paymentEscrowAbi,
    functionName: "payWithDaiPermit",
    args: payWithDaiPermitArgs(p.terms, p.operatorSignature, nonce, signature),
    account: p.wallet.account,
    chain: p.wallet.chain,
  });
  return paidFromReceipt(p.escrow, p.terms, hash, await confirmed(p.publicClient, "payWithDaiPermit", hash));
}

/**
 * The wallet's ERC-3009 authorization for `terms`, checked to be plain ECDSA: throws
 * NotEcdsaSignatureError for a smart-contract account's signature. Anyone may submit it
 * (payWithAuthorizationArgs) until the terms' deadline.
 */
export async function signTermsAuthorization(p: PayTermsParameters): Promise<Hex> {
  const chainId = await chainIdOf(p.publicClient);
  const typedData = termsAuthorizationTypedData({
    domain: await domainOf(p, chainId),
    from: p.wallet.account.address,
    chainId,
    escrow: p.escrow,
    terms: p.terms,
  });
  const signature = await signTypedData(p.wallet, { account: p.wallet.account, ...typedData });
  splitSignature(signature);
  return signature;
}

/**
 * Authorization: the wallet's account signs, `relayer` (the payer itself when not given) sends
 * `payWithAuthorization` and pays its gas. The payer and refund address is the signer either way.
 */
export async function payByAuthorization(
  p: PayTermsParameters & { relayer?: AccountClient },
): Promise<TermsPaid> {
  const authorization = await signTermsAuthorization(p);
  const relayer = p.relayer ?? p.wallet;
  const hash = await writeContract(relayer, {
    address: p.escrow,
    abi: paymentEscrowAbi,
    functionName: "payWithAuthorization",
    args: payWithAuthorizationArgs(p.terms, p.operatorSignature, p.wallet.account.address, authorization),
    account: relayer.account,
    chain: relayer.chain,
  });
  return paidFromReceipt(
    p.escrow,
    p.terms,
    hash,
    await confirmed(p.publicClient, "payWithAuthorization", hash),
  );
}

/** Pays `terms` with `method`; `relayer` only matters to authorization. */
export function payTerms(
  method: PayMethod,
  p: PayTermsParameters & { relayer?: AccountClient },
): Promise<TermsPaid> {
  if (method === "permit") return payByPermit(p);
  if (method === "authorization") return payByAuthorization(p);
  return payByAllowance(p);
}
