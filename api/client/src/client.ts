/**
 * @pier/client: the typed client for the Pier API.
 *
 *   import { Pier } from "@pier/client";
 *   const pier = new Pier(process.env.PIER_API_KEY!, { baseUrl: "http://127.0.0.1:4000" });
 *   const order = await pier.orders.create({ amount: "25000000", description: "Mug" });
 *   for await (const o of pier.orders.list({ status: "escrowed" })) console.log(o.id);
 *
 * Every POST carries an Idempotency-Key (yours, or a generated one), so safe requests are retried on
 * network errors, 429 and 5xx with backoff. Failures throw PierError subclasses (./errors.ts); webhook
 * signatures are checked with ./webhooks.ts.
 */
import { call, type WithResponse } from "./call.ts";
import { Admin } from "./resources/admin.ts";
import { CheckoutResource } from "./resources/checkout.ts";
import { Events } from "./resources/events.ts";
import { FiatSessions } from "./resources/fiatSessions.ts";
import { FxQuotes } from "./resources/fx.ts";
import { Health } from "./resources/health.ts";
import { Invoices } from "./resources/invoices.ts";
import { Keys } from "./resources/keys.ts";
import { PaymentLinks } from "./resources/links.ts";
import { MerchantResource } from "./resources/merchant.ts";
import { Networks } from "./resources/networks.ts";
import { Orders } from "./resources/orders.ts";
import { Payouts } from "./resources/payouts.ts";
import { Plans } from "./resources/plans.ts";
import { Reconciliation } from "./resources/reconciliation.ts";
import { Refunds } from "./resources/refunds.ts";
import { Reports } from "./resources/reports.ts";
import { Risk } from "./resources/risk.ts";
import { Subscriptions } from "./resources/subscriptions.ts";
import { WebhookEndpoints } from "./resources/webhookEndpoints.ts";
import {
  type ClientOptions,
  createTransport,
  type Request,
  type RequestOptions,
  type Transport,
} from "./transport.ts";

export * from "./errors.ts";
export { API_KEY_SCOPES, EVENT_TYPES } from "./generated/enums.ts";
export type { ListParams, Page } from "./pagination.ts";
export { PagePromise } from "./pagination.ts";
export type { ClientOptions, RequestOptions, ResponseInfo } from "./transport.ts";
export { DEFAULT_BASE_URL, VERSION } from "./transport.ts";
export type * from "./types.ts";
export type { WithResponse };

export class Pier {
  readonly orders: Orders;
  readonly refunds: Refunds;
  readonly keys: Keys;
  readonly webhookEndpoints: WebhookEndpoints;
  readonly events: Events;
  readonly merchant: MerchantResource;
  readonly checkout: CheckoutResource;
  readonly admin: Admin;
  readonly health: Health;
  readonly networks: Networks;
  readonly paymentLinks: PaymentLinks;
  readonly fxQuotes: FxQuotes;
  readonly fiatSessions: FiatSessions;
  readonly payouts: Payouts;
  readonly plans: Plans;
  readonly invoices: Invoices;
  readonly subscriptions: Subscriptions;
  readonly reports: Reports;
  readonly risk: Risk;
  readonly reconciliation: Reconciliation;
  readonly #transport: Transport;

  /**
   * `apiKey`: a secret or restricted key (sk_test_... / sk_live_...), or the admin key for `admin.*`.
   * Undefined is allowed for public calls only (checkout, health).
   */
  constructor(apiKey: string | undefined, options: ClientOptions = {}) {
    if (apiKey !== undefined && (typeof apiKey !== "string" || apiKey.trim() === ""))
      throw new TypeError("Pier: apiKey must be a non-empty string (e.g. process.env.PIER_API_KEY)");
    const t = createTransport(apiKey, options);
    this.#transport = t;
    this.orders = new Orders(t);
    this.refunds = new Refunds(t);
    this.keys = new Keys(t);
    this.webhookEndpoints = new WebhookEndpoints(t);
    this.events = new Events(t);
    this.merchant = new MerchantResource(t);
    this.checkout = new CheckoutResource(t);
    this.admin = new Admin(t);
    this.health = new Health(t);
    this.networks = new Networks(t);
    this.paymentLinks = new PaymentLinks(t);
    this.fxQuotes = new FxQuotes(t);
    this.fiatSessions = new FiatSessions(t);
    this.payouts = new Payouts(t);
    this.plans = new Plans(t);
    this.invoices = new Invoices(t);
    this.subscriptions = new Subscriptions(t);
    this.reports = new Reports(t);
    this.risk = new Risk(t);
    this.reconciliation = new Reconciliation(t);
  }

  get baseUrl(): string {
    return this.#transport.baseUrl;
  }

  /** Any route, with the same key, retries, idempotency and errors (for routes newer than this client). */
  request<T = unknown>(req: Request, opts?: RequestOptions): Promise<WithResponse<T>> {
    return call<T>(this.#transport, req, opts);
  }
}
