/**
 * The checkout's fiat routes (public, like GET /v1/checkout/:id): wallets on offer, a quote of the
 * order in the customer's currency, a session at the wallet provider, and its status. The shapes are
 * the API's (@pier/client/types); amounts are decimal strings.
 */
import type {
  CheckoutFiatOptions,
  CheckoutFiatQuote,
  CheckoutFiatSession,
  StartCheckoutFiatSessionParams,
} from "@pier/client/types";
import { CheckoutApiError } from "../../../lib/checkoutApi.ts";
import { env } from "../../../lib/env.ts";

export type FiatWallet = CheckoutFiatOptions["wallets"][number];

async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${env.apiUrl}${path}`, {
      method,
      headers: body === undefined ? { accept: "application/json" } : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new CheckoutApiError(
      "We could not reach the payment service. Check your connection.",
      undefined,
      undefined,
    );
  }
  const json = (await res.json().catch(() => undefined)) as
    | (T & { error?: { code?: string; message?: string } })
    | undefined;
  if (res.ok && json) return json;
  throw new CheckoutApiError(
    json?.error?.message ?? `The payment service answered ${res.status}. Try again in a moment.`,
    res.status,
    json?.error?.code,
  );
}

const base = (orderId: string) => `/v1/checkout/${encodeURIComponent(orderId)}/fiat`;

export const fiatApi = {
  options: (orderId: string) => call<CheckoutFiatOptions>("GET", base(orderId)),
  quote: (orderId: string, currency: string) =>
    call<CheckoutFiatQuote>("POST", `${base(orderId)}/quotes`, { currency }),
  startSession: (orderId: string, body: StartCheckoutFiatSessionParams) =>
    call<CheckoutFiatSession>("POST", `${base(orderId)}/sessions`, body),
  session: (orderId: string, id: string) =>
    call<CheckoutFiatSession>("GET", `${base(orderId)}/sessions/${encodeURIComponent(id)}`),
};

/** The session started from this browser for an order survives the redirect to the wallet and back. */
export const pendingSession = {
  get: (orderId: string) => sessionStorage.getItem(`pier:fiat:${orderId}`),
  set: (orderId: string, id: string) => sessionStorage.setItem(`pier:fiat:${orderId}`, id),
  clear: (orderId: string) => sessionStorage.removeItem(`pier:fiat:${orderId}`),
};
