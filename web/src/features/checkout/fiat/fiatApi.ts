/**
 * The checkout's fiat routes (public, like GET /v1/checkout/:id): wallets on offer, a quote of the
 * order in the customer's currency, a session at the wallet provider, and its status. Shapes mirror
 * api/src/routes/v1/fiat/schemas.ts; amounts are decimal strings.
 */
import { CheckoutApiError } from "../../../lib/checkoutApi.ts";
import { env } from "../../../lib/env.ts";

export type FiatWallet = "paypal" | "apple_pay" | "google_pay";

export interface FiatOptions {
  enabled: boolean;
  provider: string | null;
  wallets: FiatWallet[];
  reason: string | null;
}

export interface FiatQuote {
  id: string;
  source_currency: string;
  source_amount: string;
  target_amount: string;
  rate: string;
  fee_amount: string;
  expires_at: number;
}

export interface FiatSession {
  id: string;
  status:
    | "creating"
    | "created"
    | "requires_action"
    | "approved"
    | "captured"
    | "declined"
    | "reversed"
    | "refunded"
    | "failed";
  amount: string;
  currency: string;
  approval_url: string | null;
  /** Stripe wallets: confirmed in the browser (StripeWalletButton) instead of an approval page. */
  client_secret?: string | null;
  failure_message: string | null;
}

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
  options: (orderId: string) => call<FiatOptions>("GET", base(orderId)),
  quote: (orderId: string, currency: string) =>
    call<FiatQuote>("POST", `${base(orderId)}/quotes`, { currency }),
  startSession: (orderId: string, body: { fx_quote: string; wallet: FiatWallet; return_url: string }) =>
    call<FiatSession>("POST", `${base(orderId)}/sessions`, body),
  session: (orderId: string, id: string) =>
    call<FiatSession>("GET", `${base(orderId)}/sessions/${encodeURIComponent(id)}`),
};

/** The session started from this browser for an order survives the redirect to the wallet and back. */
export const pendingSession = {
  get: (orderId: string) => sessionStorage.getItem(`pier:fiat:${orderId}`),
  set: (orderId: string, id: string) => sessionStorage.setItem(`pier:fiat:${orderId}`, id),
  clear: (orderId: string) => sessionStorage.removeItem(`pier:fiat:${orderId}`),
};
