/**
 * The API's public checkout read, GET /v1/checkout/:id (no secret key): the order's public fields, the
 * operator-signed payment terms and, once paid, the escrow's Payment record. The shapes are the API's,
 * generated from its OpenAPI document (@pier/client/types); token amounts are decimal strings.
 */
import type { Checkout as ApiCheckout, OrderStatus } from "@pier/client/types";
import { env } from "./env.ts";

/** The checkout object, plus two fields the page reads when present and the API does not send yet. */
export type Checkout = ApiCheckout & {
  /** A public RPC URL for the chain (reads, "add network"). */
  rpc_url?: string;
  /** A block explorer base URL for transaction links. */
  block_explorer_url?: string;
};

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
