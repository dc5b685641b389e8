/**
 * The API's public checkout read, GET /v1/checkout/:id (no secret key): the order's public fields, the
 * operator-signed payment terms and, once paid, the escrow's Payment record. The shapes are the API's,
 * generated from its OpenAPI document (@pier/client/types); token amounts are decimal strings.
 */
import type { Checkout as ApiCheckout, OrderStatus } from "@pier/client/types";
import { env } from "./env.ts";

/** The network an order is paid on, as the checkout object names it. */
export type CheckoutNetwork = ApiCheckout["network"];

/** The token an order is paid in: address, symbol, decimals, peg and the pay paths the checkout may use. */
export type CheckoutToken = ApiCheckout["token"];

/**
 * One network/token the order accepts (`options` of the checkout object), with what the customer pays in
 * it (`amount`, units of that token); `selected` marks the one the terms and signature are for.
 */
export type CheckoutOption = ApiCheckout["options"][number];

/** The checkout object, plus fields the page reads when present and the API may not send. */
export type Checkout = Omit<ApiCheckout, "options"> & {
  /** A public RPC URL for the chain (reads, "add network"). */
  rpc_url?: string;
  /** A block explorer base URL for transaction links. */
  block_explorer_url?: string;
  /** Every network/token the order accepts (POST /v1/checkout/:id/select picks one); absent from older APIs. */
  options?: CheckoutOption[];
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
  throw await apiError(res);
}

/** The API's error answer as a CheckoutApiError, in words a customer understands. */
async function apiError(res: Response): Promise<CheckoutApiError> {
  const body = (await res.json().catch(() => undefined)) as
    | { error?: { code?: string; message?: string } }
    | undefined;
  const code = body?.error?.code;
  if (res.status === 404) {
    return new CheckoutApiError("We could not find this order. The link may be mistyped.", 404, code);
  }
  if (code === "order_not_open") {
    return new CheckoutApiError(
      "This order can no longer be changed: it is already paid, canceled or expired.",
      res.status,
      code,
    );
  }
  return new CheckoutApiError(
    body?.error?.message ?? `The payment service answered ${res.status}. Try again in a moment.`,
    res.status,
    code,
  );
}

/**
 * POST /v1/checkout/:id/select: pay the order on another of its options (network + token). Answers the
 * whole checkout object, its terms and signature now for that option.
 */
export async function selectCheckoutOption(
  orderId: string,
  choice: { network: number; token: string },
): Promise<Checkout> {
  let res: Response;
  try {
    res = await fetch(`${env.apiUrl}/v1/checkout/${encodeURIComponent(orderId)}/select`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify(choice),
    });
  } catch {
    throw new CheckoutApiError(
      "We could not reach the payment service. Check your connection.",
      undefined,
      undefined,
    );
  }
  if (res.ok) return (await res.json()) as Checkout;
  throw await apiError(res);
}

/**
 * POST /v1/checkout/:id/relay: Pier's relayer sends the customer's signed authorization and pays the
 * network fee. Answers once the relay is queued; the order's status says when it is paid.
 */
export async function relayCheckoutPayment(
  orderId: string,
  relay: { payer: string; signature: string },
): Promise<{ id: string; status: string }> {
  let res: Response;
  try {
    res = await fetch(`${env.apiUrl}/v1/checkout/${encodeURIComponent(orderId)}/relay`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify(relay),
    });
  } catch {
    throw new CheckoutApiError(
      "We could not reach the payment service. Check your connection.",
      undefined,
      undefined,
    );
  }
  if (res.ok) return (await res.json()) as { id: string; status: string };
  throw await apiError(res);
}

/** What the checkout chose for this payment and why, for the order's timeline (POST /v1/checkout/:id/attempts). */
export interface CheckoutAttempt {
  method: string;
  reason: string;
  account: string;
  wallet: { type: "eoa" | "smart_account"; atomic: boolean; paymaster: boolean };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Records the attempt; the payment goes on whatever the answer (the timeline is the merchant's record). */
export async function recordCheckoutAttempt(orderId: string, attempt: CheckoutAttempt): Promise<void> {
  try {
    await fetch(`${env.apiUrl}/v1/checkout/${encodeURIComponent(orderId)}/attempts`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      // The API keeps 300 characters of the reason; a fallback's (which quotes a refusal) can be longer.
      body: JSON.stringify({ ...attempt, reason: clip(attempt.reason, 300) }),
    });
  } catch {
    // Unreachable service: the payment itself reports that, if it matters.
  }
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
