/**
 * /v1/checkout: the public side of an order and of a payment link, as the hosted checkout reads it (no
 * key is sent): order data and signed terms, fiat wallets, quotes and sessions, links.
 */
import { call, seg } from "../call.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type {
  BodyOf,
  Checkout as CheckoutObject,
  PaymentAttempt,
  RecordPaymentAttemptParams,
  Relay,
  ResponseOf,
} from "../types.ts";

const PUBLIC = { apiKey: null } as const;

export class CheckoutResource {
  readonly fiat: {
    /** The fiat wallets offered for an order. */
    retrieve: (
      orderId: string,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/checkout/{id}/fiat", "get">>>;
    /** The order priced in the customer's currency. */
    createQuote: (
      orderId: string,
      params: BodyOf<"/v1/checkout/{id}/fiat/quotes", "post">,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/checkout/{id}/fiat/quotes", "post">>>;
    createSession: (
      orderId: string,
      params: BodyOf<"/v1/checkout/{id}/fiat/sessions", "post">,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/checkout/{id}/fiat/sessions", "post">>>;
    retrieveSession: (
      orderId: string,
      sessionId: string,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/checkout/{id}/fiat/sessions/{session}", "get">>>;
  };
  readonly links: {
    retrieve: (
      linkId: string,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/checkout_links/{id}", "get">>>;
    /** The payer's own order from a payment link. */
    createOrder: (
      linkId: string,
      params: BodyOf<"/v1/checkout_links/{id}/orders", "post">,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/checkout_links/{id}/orders", "post">>>;
  };
  /** A subscription's hosted page: the plan and options, the permission to sign, the authorization. */
  readonly subscriptions: {
    retrieve: (
      subscriptionId: string,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/checkout_subscriptions/{id}", "get">>>;
    /** The EIP-712 typed data the customer signs (the same for a retry within the hour). */
    requestPermission: (
      subscriptionId: string,
      params: BodyOf<"/v1/checkout_subscriptions/{id}/permission", "post">,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/checkout_subscriptions/{id}/permission", "post">>>;
    authorize: (
      subscriptionId: string,
      params: BodyOf<"/v1/checkout_subscriptions/{id}/authorize", "post">,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/checkout_subscriptions/{id}/authorize", "post">>>;
  };

  constructor(private readonly t: Transport) {
    this.subscriptions = {
      retrieve: (id, opts) =>
        call(t, { method: "GET", path: `/v1/checkout_subscriptions/${seg(id)}` }, { ...PUBLIC, ...opts }),
      requestPermission: (id, params, opts) =>
        call(
          t,
          { method: "POST", path: `/v1/checkout_subscriptions/${seg(id)}/permission`, body: params },
          { ...PUBLIC, ...opts },
        ),
      authorize: (id, params, opts) =>
        call(
          t,
          { method: "POST", path: `/v1/checkout_subscriptions/${seg(id)}/authorize`, body: params },
          { ...PUBLIC, ...opts },
        ),
    };
    this.fiat = {
      retrieve: (id, opts) =>
        call(t, { method: "GET", path: `/v1/checkout/${seg(id)}/fiat` }, { ...PUBLIC, ...opts }),
      createQuote: (id, params, opts) =>
        call(
          t,
          { method: "POST", path: `/v1/checkout/${seg(id)}/fiat/quotes`, body: params },
          { ...PUBLIC, ...opts },
        ),
      createSession: (id, params, opts) =>
        call(
          t,
          { method: "POST", path: `/v1/checkout/${seg(id)}/fiat/sessions`, body: params },
          { ...PUBLIC, ...opts },
        ),
      retrieveSession: (id, session, opts) =>
        call(
          t,
          { method: "GET", path: `/v1/checkout/${seg(id)}/fiat/sessions/${seg(session)}` },
          { ...PUBLIC, ...opts },
        ),
    };
    this.links = {
      retrieve: (id, opts) =>
        call(t, { method: "GET", path: `/v1/checkout_links/${seg(id)}` }, { ...PUBLIC, ...opts }),
      createOrder: (id, params, opts) =>
        call(
          t,
          { method: "POST", path: `/v1/checkout_links/${seg(id)}/orders`, body: params },
          { ...PUBLIC, ...opts },
        ),
    };
  }

  /**
   * The customer picks one of the checkout's `options` (network and token): the order's terms and
   * signature become that option's. 409 order_not_open once paid, canceled or expired.
   */
  select(orderId: string, params: BodyOf<"/v1/checkout/{id}/select", "post">, opts?: RequestOptions) {
    return call<CheckoutObject>(
      this.t,
      { method: "POST", path: `/v1/checkout/${seg(orderId)}/select`, body: params },
      { ...PUBLIC, ...opts },
    );
  }

  /**
   * Pier's relayer sends the customer's signed ERC-3009 authorization for the order and pays the network
   * fee (202 when queued; 200 with the relay already in flight for this payer). Refused before anything is
   * sent: 400 relay_refused (the escrow would revert), 503 relayer_unavailable, 429/409 at the shop's limits.
   */
  relay(orderId: string, params: BodyOf<"/v1/checkout/{id}/relay", "post">, opts?: RequestOptions) {
    return call<Relay>(
      this.t,
      { method: "POST", path: `/v1/checkout/${seg(orderId)}/relay`, body: params },
      { ...PUBLIC, ...opts },
    );
  }

  /**
   * Records how the checkout has the customer pay (`method`), what it told them (`reason`), the paying
   * `account` and what it learnt of the wallet: an `order.payment_method_chosen` event in the order's
   * timeline. Once per method and account (a repeat returns the attempt stored first). 409
   * order_not_payable unless the order is open; 429 too_many_attempts past 10 for the order.
   */
  recordAttempt(orderId: string, params: RecordPaymentAttemptParams, opts?: RequestOptions) {
    return call<PaymentAttempt>(
      this.t,
      { method: "POST", path: `/v1/checkout/${seg(orderId)}/attempts`, body: params },
      { ...PUBLIC, ...opts },
    );
  }

  /** Amount, token, escrow, signed terms and, once paid, the escrow's Payment record. */
  retrieve(orderId: string, opts?: RequestOptions) {
    return call<CheckoutObject>(
      this.t,
      { method: "GET", path: `/v1/checkout/${seg(orderId)}` },
      { ...PUBLIC, ...opts },
    );
  }
}
