/**
 * HTTP to PayPal's REST API: OAuth2 client-credentials token (POST /v1/oauth2/token) cached until
 * shortly before it expires and shared by concurrent callers; a PayPal-Request-Id on every POST
 * (PayPal's idempotency key); a token PayPal rejects is dropped and fetched again once; and PayPal's
 * error bodies (`{ name, message, debug_id, details[] }`, OAuth `{ error, error_description }`) mapped
 * to typed fiat errors.
 */
import {
  type FiatError,
  type FiatErrorInit,
  PaymentDeclinedError,
  ProviderAuthenticationError,
  ProviderIdempotencyError,
  ProviderNotFoundError,
  ProviderProtocolError,
  ProviderRateLimitError,
  ProviderStateError,
  ProviderUnavailableError,
  ProviderValidationError,
  RefundExceedsCaptureError,
  SessionNotApprovedError,
} from "../errors.ts";
import { httpJson } from "../httpJson.ts";
import type { PayPalConfig } from "./config.ts";

/** Refresh this long before PayPal's expiry, so a token never dies in flight. */
const EXPIRY_SKEW_MS = 60_000;

export interface PayPalErrorBody {
  name?: string;
  message?: string;
  debug_id?: string;
  details?: Array<{ field?: string; location?: string; issue: string; description?: string }>;
  links?: Array<{ href: string; rel: string; method?: string }>;
  error?: string;
  error_description?: string;
}

const DECLINED = new Set(["INSTRUMENT_DECLINED", "TRANSACTION_REFUSED", "PAYER_CANNOT_PAY", "CARD_EXPIRED"]);
const REFUND_TOO_LARGE = new Set([
  "REFUND_AMOUNT_EXCEEDED",
  "CAPTURE_FULLY_REFUNDED",
  "CAPTURED_AMOUNT_FULLY_REFUNDED",
]);
const WRONG_STATE = new Set([
  "ORDER_ALREADY_CAPTURED",
  "ORDER_ALREADY_AUTHORIZED",
  "ORDER_EXPIRED",
  "ORDER_CANNOT_BE_SAVED",
  "REFUND_NOT_PERMITTED_DUE_TO_CHARGEBACK",
  "CAPTURE_STATUS_NOT_VALID",
]);

export class PayPalTransport {
  private token?: { value: string; refreshAt: number };
  private pending?: Promise<string>;
  private readonly now: () => number;

  constructor(private readonly config: PayPalConfig & { fetch?: typeof fetch; now?: () => number }) {
    this.now = config.now ?? Date.now;
  }

  /** A valid access token, from the cache when it is still fresh. */
  accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return Promise.resolve(this.token.value);
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString("base64");
    const res = await httpJson("paypal", `${this.config.baseUrl}/v1/oauth2/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: "grant_type=client_credentials",
      timeoutMs: this.config.timeoutMs,
      fetch: this.config.fetch,
    });
    const body = res.body as { access_token?: string; expires_in?: number } & PayPalErrorBody;
    if (res.status !== 200) throw mapPayPalError(res.status, body);
    if (typeof body?.access_token !== "string" || typeof body.expires_in !== "number")
      throw new ProviderProtocolError({
        provider: "paypal",
        message: "token response without access_token/expires_in",
      });
    const lifetimeMs = body.expires_in * 1000;
    const skew = Math.min(EXPIRY_SKEW_MS, lifetimeMs / 10);
    this.token = { value: body.access_token, refreshAt: this.now() + lifetimeMs - skew };
    return body.access_token;
  }

  async request<T>(
    method: "GET" | "POST",
    path: string,
    opts: { body?: unknown; requestId?: string; representation?: boolean } = {},
  ): Promise<T> {
    if (method === "POST" && !opts.requestId)
      throw new Error(`PayPal POST ${path} needs a PayPal-Request-Id`);
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: "application/json",
      };
      if (method === "POST") {
        headers["content-type"] = "application/json";
        headers["paypal-request-id"] = opts.requestId!;
        if (opts.representation) headers.prefer = "return=representation";
      }
      const res = await httpJson("paypal", `${this.config.baseUrl}${path}`, {
        method,
        headers,
        body: method === "POST" ? JSON.stringify(opts.body ?? {}) : undefined,
        timeoutMs: this.config.timeoutMs,
        fetch: this.config.fetch,
      });
      if (res.status >= 200 && res.status < 300) {
        if (res.body === undefined)
          throw new ProviderProtocolError({ provider: "paypal", message: `empty body from ${path}` });
        return res.body as T;
      }
      const body = res.body as PayPalErrorBody | undefined;
      // A revoked or expired token: forget it and try once more with a new one (same PayPal-Request-Id).
      if (res.status === 401 && attempt === 0) {
        this.token = undefined;
        continue;
      }
      throw mapPayPalError(res.status, body, res.headers.get("paypal-debug-id") ?? undefined);
    }
  }
}

export function mapPayPalError(
  status: number,
  body: PayPalErrorBody | undefined,
  debugHeader?: string,
): FiatError {
  const detail = body?.details?.[0];
  const init: FiatErrorInit = {
    provider: "paypal",
    message: [
      body?.message ?? body?.error_description ?? `PayPal answered HTTP ${status}`,
      detail?.description,
    ]
      .filter(Boolean)
      .join(": "),
    providerCode: detail?.issue ?? body?.name ?? body?.error,
    providerStatus: status,
    debugId: body?.debug_id ?? debugHeader,
    details: body?.details?.map((d) => ({ field: d.field, issue: d.issue, description: d.description })),
    param: detail?.field,
    // The whole error body (HATEOAS links included), for callers that follow a link.
    cause: body,
  };
  const issue = detail?.issue ?? "";
  if (status === 401 || status === 403 || body?.error === "invalid_client")
    return new ProviderAuthenticationError(init);
  if (status === 404) return new ProviderNotFoundError(init);
  if (status === 409) return new ProviderIdempotencyError(init, true);
  if (status === 429) return new ProviderRateLimitError(init);
  if (status >= 500) return new ProviderUnavailableError(init);
  if (issue === "ORDER_NOT_APPROVED") return new SessionNotApprovedError(init);
  if (DECLINED.has(issue)) return new PaymentDeclinedError(init);
  if (REFUND_TOO_LARGE.has(issue)) return new RefundExceedsCaptureError(init);
  if (WRONG_STATE.has(issue)) return new ProviderStateError(init);
  if (status === 400 || status === 422) return new ProviderValidationError(init);
  return new ProviderProtocolError(init);
}
