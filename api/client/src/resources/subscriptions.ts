/** /v1/subscriptions: customers' subscriptions to plans, authorized on the hosted page (`url`). */
import { call, seg } from "../call.ts";
import { type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type {
  CancelSubscriptionParams,
  CreateSubscriptionParams,
  Invoice,
  ListSubscriptionsParams,
  Subscription,
  SubscriptionMetrics,
  SubscriptionMetricsParams,
} from "../types.ts";

export class Subscriptions {
  constructor(private readonly t: Transport) {}

  /** Status `incomplete` until the customer signs the spend permission at `url`. */
  create(params: CreateSubscriptionParams, opts?: RequestOptions) {
    return call<Subscription>(this.t, { method: "POST", path: "/v1/subscriptions", body: params }, opts);
  }

  retrieve(id: string, opts?: RequestOptions) {
    return call<Subscription>(this.t, { method: "GET", path: `/v1/subscriptions/${seg(id)}` }, opts);
  }

  list(
    params: ListSubscriptionsParams = {},
    opts?: RequestOptions,
  ): PagePromise<Subscription, ListSubscriptionsParams> {
    return new PagePromise(
      (query) => call<Page<Subscription>>(this.t, { method: "GET", path: "/v1/subscriptions", query }, opts),
      params,
    );
  }

  /** Now, or with `at_period_end: true` when the current period ends. */
  cancel(id: string, params: CancelSubscriptionParams = {}, opts?: RequestOptions) {
    return call<Subscription>(
      this.t,
      { method: "POST", path: `/v1/subscriptions/${seg(id)}/cancel`, body: params },
      opts,
    );
  }

  /** Its invoices, newest cycle first: one per charged cycle, each paying an ordinary order. */
  invoices(id: string, opts?: RequestOptions) {
    return call<Page<Invoice>>(
      this.t,
      { method: "GET", path: `/v1/subscriptions/${seg(id)}/invoices` },
      opts,
    );
  }

  /** MRR and churn per calendar month, oldest first. */
  metrics(params: SubscriptionMetricsParams = {}, opts?: RequestOptions) {
    return call<SubscriptionMetrics>(
      this.t,
      { method: "GET", path: "/v1/subscriptions/metrics", query: params },
      opts,
    );
  }
}
