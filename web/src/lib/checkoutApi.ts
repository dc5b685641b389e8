/**
 * The API's public checkout read, GET /v1/checkout/:id (no secret key): the order's public fields, the
 * operator-signed payment terms and, once paid, the escrow's Payment record. Shapes mirror
 * api/src/schemas/order.ts (`Checkout`); token amounts are decimal strings.
 */
import type { PaymentTermsJson } from "@pier/contracts/termsJson";
import type { Address, Hex } from "viem";
import { env } from "./env.ts";

export type OrderStatus =
  | "open"
  | "processing"
  | "escrowed"
  | "settled"
  | "expired"
  | "disputed"
  | "refunded"
  | "canceled";

/** The signed terms (@pier/contracts/termsJson), with the hex and address types the API's schema guarantees. */
export type CheckoutTerms = PaymentTermsJson & {
  order_id: Hex;
  merchant: Address;
  token: Address;
  operator: Address;
};

export interface CheckoutPayment {
  payer: Address;
  refund_to: Address;
  method: "allowance" | "permit" | "authorization" | "on_behalf";
  tx_hash: Hex;
  block_number: number;
  block_hash: Hex;
  paid_at: number;
  release_after: number;
  confirmations: number;
  held: boolean;
  released_at: number | null;
  released_tx_hash: Hex | null;
  released_early: boolean | null;
}

export interface Checkout {
  id: string;
  object: "checkout";
  livemode: boolean;
  status: OrderStatus;
  amount: string;
  amount_refunded: string;
  currency: string;
  token: { address: Address; symbol: string; decimals: number };
  fiat: { amount: string; currency: string; rate: string } | null;
  description: string | null;
  merchant_name: string;
  chain_id: number;
  escrow: Address;
  expires_at: number;
  success_url: string | null;
  cancel_url: string | null;
  terms: CheckoutTerms;
  signature: Hex;
  payment_record: { terms: CheckoutTerms; payer: Address; refund_to: Address; release_after: string } | null;
  payment: CheckoutPayment | null;
  /** Not in the API's payload yet: a public RPC URL for the chain (reads, "add network"). */
  rpc_url?: string;
  /** Not in the API's payload yet: a block explorer base URL for transaction links. */
  block_explorer_url?: string;
}

/** An error answer of the API, `{ error: { type, code, message } }`, or a network failure. */
export class CheckoutApiError extends Error {
  override name = "CheckoutApiError";
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export const ORDER_ID_PATTERN = /^ord_[0-9A-Za-z]{24}$/;

export async function fetchCheckout(orderId: string, signal?: AbortSignal): Promise<Checkout> {
  if (!ORDER_ID_PATTERN.test(orderId)) {
    throw new CheckoutApiError(
      "This payment link is not valid: check the address you were given.",
      400,
      "invalid_id",
    );
  }
  let res: Response;
  try {
    res = await fetch(`${env.apiUrl}/v1/checkout/${encodeURIComponent(orderId)}`, {
      signal,
      headers: { accept: "application/json" },
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new CheckoutApiError(
      "We could not reach the payment service. Check your connection.",
      undefined,
      undefined,
    );
  }
  if (res.ok) return (await res.json()) as Checkout;
  const body = (await res.json().catch(() => undefined)) as
    | { error?: { code?: string; message?: string } }
    | undefined;
  if (res.status === 404) {
    throw new CheckoutApiError(
      "We could not find this order. The link may be mistyped.",
      404,
      body?.error?.code,
    );
  }
  throw new CheckoutApiError(
    body?.error?.message ?? `The payment service answered ${res.status}. Try again in a moment.`,
    res.status,
    body?.error?.code,
  );
}

const prefetched = new Map<string, Promise<Checkout>>();

/** Starts loading an order as early as possible (from the entry chunk, before the checkout code loads). */
export function prefetchCheckout(orderId: string): void {
  const promise = fetchCheckout(orderId);
  promise.catch(() => {});
  prefetched.set(orderId, promise);
}

/** The prefetched answer, once: later loads go to the API. */
export function takePrefetchedCheckout(orderId: string): Promise<Checkout> | undefined {
  const promise = prefetched.get(orderId);
  prefetched.delete(orderId);
  return promise;
}

/** Statuses in which the order can still be paid. */
export function isPayable(status: OrderStatus): boolean {
  return status === "open";
}

/** Statuses after a payment reached the escrow. */
export function isPaid(status: OrderStatus): boolean {
  return (
    status === "processing" ||
    status === "escrowed" ||
    status === "settled" ||
    status === "disputed" ||
    status === "refunded"
  );
}
