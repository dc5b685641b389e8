/**
 * The local chain: JSON-RPC calls, chain time, time travel, and paying an order's signed terms from a
 * well-known dev account (allowance, EIP-2612 permit or ERC-3009), as the hosted checkout would.
 */
import type { Checkout } from "@pier/client";
import type { DevRole } from "@pier/contracts/accounts";
import type { Deployment } from "@pier/contracts/deployments";
import type { PaymentRecord, PaymentTerms } from "@pier/contracts/terms";
import type { Address, Hex } from "viem";
import { createPayments } from "../../test/harness/payments.ts";
import { CliError } from "./context.ts";
import type { PayMethod } from "./payOptions.ts";

export const LOCAL_CHAIN_ID = 31337;

export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new CliError(`the chain at ${url} does not answer (is ./scripts/dev running? PIER_RPC_URL?)`, 1);
  }
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new CliError(`${method}: ${body.error.message}`);
  return body.result as T;
}

export async function chainId(url: string): Promise<number> {
  return Number.parseInt(await rpc<string>(url, "eth_chainId"), 16);
}

export async function latestBlock(url: string): Promise<{ number: number; timestamp: number }> {
  const b = await rpc<{ number: string; timestamp: string }>(url, "eth_getBlockByNumber", ["latest", false]);
  return { number: Number.parseInt(b.number, 16), timestamp: Number.parseInt(b.timestamp, 16) };
}

export async function chainTime(url: string): Promise<number> {
  return (await latestBlock(url)).timestamp;
}

/** Moves chain time forward by `seconds` and mines a block carrying it. Local chains only. */
export async function timeTravel(
  url: string,
  seconds: number,
): Promise<{ number: number; timestamp: number }> {
  await requireLocalChain(url);
  await rpc(url, "evm_increaseTime", [seconds]);
  await rpc(url, "evm_mine");
  return latestBlock(url);
}

async function requireLocalChain(url: string): Promise<void> {
  const id = await chainId(url);
  if (id !== LOCAL_CHAIN_ID)
    throw new CliError(
      `chain ${id} at ${url} is not the local chain (${LOCAL_CHAIN_ID}): refusing to use dev accounts or time travel`,
    );
}

function termsOf(t: Checkout["terms"]): PaymentTerms {
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

/** Payment helpers bound to the order's escrow and token, on the local chain. */
export async function paymentsFor(url: string, checkout: Checkout) {
  await requireLocalChain(url);
  if (checkout.chain_id !== LOCAL_CHAIN_ID)
    throw new CliError(`order ${checkout.id} is on chain ${checkout.chain_id}, not the local chain`);
  const deployment = {
    chainId: checkout.chain_id,
    contracts: {
      PaymentEscrow: { address: checkout.escrow as Address },
      TestStablecoin: { address: checkout.token.address as Address },
    },
  } as unknown as Deployment;
  return createPayments(url, deployment);
}

export async function payCheckout(url: string, checkout: Checkout, method: PayMethod, payer: DevRole) {
  const pay = await paymentsFor(url, checkout);
  const terms = termsOf(checkout.terms);
  const balance = await pay.balanceOf(pay.wallet(payer).account.address, terms.token);
  if (balance < terms.amount)
    throw new CliError(`dev account ${payer} holds ${balance} token units, the order needs ${terms.amount}`);
  try {
    if (method === "permit") return await pay.payByPermit(terms, payer);
    if (method === "authorization") return await pay.payByAuthorization(terms, payer);
    return await pay.payByAllowance(terms, payer);
  } catch (error) {
    const short = (error as { shortMessage?: string }).shortMessage;
    throw new CliError(`paying ${checkout.id} failed: ${short ?? (error as Error).message}`);
  }
}

/** The escrow's Payment record of a paid order (for dispute). */
export function recordOf(checkout: Checkout): PaymentRecord {
  const r = checkout.payment_record;
  if (!r) throw new CliError(`order ${checkout.id} has no payment on chain yet`);
  return {
    terms: termsOf(r.terms),
    payer: r.payer as Address,
    refundTo: r.refund_to as Address,
    releaseAfter: BigInt(r.release_after),
  };
}
