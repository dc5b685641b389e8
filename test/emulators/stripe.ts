/**
 * A local Stripe API emulator (127.0.0.1, random port) faithful enough that the official stripe-node
 * SDK, pointed at it with { host, port, protocol: "http" }, cannot tell the difference for what Pier
 * uses (API version 2026-10-28.endive, the SDK's pin, where PaymentIntent create takes
 * allowed_payment_method_types; older Stripe-Version headers get payment_method_types): form-encoded bodies, `object` fields, prefixed ids (pi_, ch_, re_, tr_, evt_, pm_, dp_), list
 * envelopes, `Request-Id` on every response, any well-formed `Stripe-Version` accepted and echoed,
 * Idempotency-Key replays (`Idempotent-Replayed: true`) and conflicts (idempotency_error), and Stripe's
 * error body `{ error: { type, code, decline_code, message, param, doc_url } }` with its statuses.
 *
 *   POST /v1/payment_intents            GET /v1/payment_intents[/:id]
 *   POST /v1/payment_intents/:id/confirm | /capture | /cancel
 *   POST /v1/refunds                    GET /v1/refunds/:id      GET /v1/charges/:id
 *   POST /v1/transfers                  GET /v1/events[/:id]
 *
 * Test payment methods are Stripe's: pm_card_visa, pm_card_mastercard (succeed),
 * pm_card_chargeDeclined, pm_card_visa_chargeDeclined, pm_card_chargeDeclinedInsufficientFunds
 * (402 card_declined), pm_card_authenticationRequired (requires_action). Apple Pay / Google Pay are
 * card wallets: confirmWithWallet() confirms as the browser's Payment Request would, leaving a card
 * payment method whose `card.wallet.type` is apple_pay / google_pay.
 *
 * Webhooks are Stripe events signed as Stripe signs them: `Stripe-Signature: t=<unix>,v1=<hex
 * HMAC-SHA256(whsec, t + "." + body)>`, POSTed to `webhookUrl` when set, always recorded in `events`.
 */
import { createHmac } from "node:crypto";
import {
  base62Id,
  type EmuReply,
  type EmuRequest,
  postWebhook,
  type RunningServer,
  route,
  serve,
} from "./http.ts";
import { type FormValue, parseStripeForm } from "./stripeForm.ts";
import { stripeJsStandIn } from "./stripeJs.ts";

type Obj = Record<string, unknown>;
const THREE_DECIMAL = new Set("bhd jod kwd omr tnd".split(" "));
const SUPPORTED = new Set(
  "usd eur gbp jpy chf cad aud nzd sek nok dkk pln czk huf sgd hkd mxn brl inr krw twd isk kwd bhd jod omr tnd clp ugx mga xof zar aed sar try thb".split(
    " ",
  ),
);
const MIN_AMOUNT: Record<string, number> = { usd: 50, eur: 50, gbp: 30, chf: 50, cad: 50, aud: 50, jpy: 50 };

const TEST_CARDS: Record<
  string,
  { brand: string; last4: string; outcome: "succeeded" | "declined" | "action"; decline?: string }
> = {
  pm_card_visa: { brand: "visa", last4: "4242", outcome: "succeeded" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", outcome: "succeeded" },
  pm_card_chargeDeclined: { brand: "visa", last4: "0002", outcome: "declined", decline: "generic_decline" },
  pm_card_visa_chargeDeclined: {
    brand: "visa",
    last4: "0002",
    outcome: "declined",
    decline: "generic_decline",
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: "visa",
    last4: "9995",
    outcome: "declined",
    decline: "insufficient_funds",
  },
  pm_card_authenticationRequired: { brand: "visa", last4: "3184", outcome: "action" },
};

class StripeFail {
  constructor(
    readonly status: number,
    readonly error: Obj,
  ) {}
}

export interface StripeEmulatorOptions {
  secretKey: string;
  webhookSecret: string;
  webhookUrl?: string;
  /** The browser's key (Stripe.js stand-in at /js/v3): it may only confirm an intent with its client secret. */
  publishableKey?: string;
  /** Connected accounts transfers may go to. */
  accounts?: string[];
}

export interface StripeEmulator extends RunningServer {
  host: string;
  protocol: "http";
  /** The customer pays with Apple Pay / Google Pay in the browser (Payment Request -> confirm). */
  confirmWithWallet(
    paymentIntentId: string,
    wallet: "apple_pay" | "google_pay",
    outcome?: "succeeded" | "declined" | "action",
  ): Obj;
  /** The cardholder disputes a charge: charge.dispute.created. */
  dispute(chargeId: string): Obj;
  /** The next `times` API calls answer this status. */
  failNext(status: 429 | 500 | 503, times?: number): void;
  /** A Stripe-Signature header for `payload` at `timestamp`, signed with `secret` (default ours). */
  sign(payload: string, timestamp?: number, secret?: string): string;
  signedDelivery(
    event: Obj,
    opts?: { timestamp?: number },
  ): { rawBody: string; headers: Record<string, string> };
  events: Obj[];
  deliveries: Array<{ eventId: string; status: number }>;
  requests: Array<{
    method: string;
    path: string;
    idempotencyKey?: string;
    stripeVersion?: string;
    contentType?: string;
  }>;
  idle(): Promise<void>;
}

export async function startStripeEmulator(opts: StripeEmulatorOptions): Promise<StripeEmulator> {
  const intents = new Map<string, Obj>();
  const charges = new Map<string, Obj>();
  const refunds = new Map<string, Obj>();
  const transfers = new Map<string, Obj>();
  const methods = new Map<string, Obj>();
  const idem = new Map<string, { fingerprint: string; status: number; json: unknown }>();
  const accounts = new Set(opts.accounts ?? ["acct_1PierMerchant0000001"]);
  const inflight = new Set<Promise<unknown>>();
  const events: Obj[] = [];
  const deliveries: Array<{ eventId: string; status: number }> = [];
  const requests: StripeEmulator["requests"] = [];
  let failures: { status: number; times: number } | undefined;
  let currentRequest: { id: string; idempotencyKey?: string; version: string } | undefined;
  const nowSec = () => Math.floor(Date.now() / 1000);
  const newApi = () => (currentRequest?.version ?? "9999") >= "2026-10-28";

  const fail = (status: number, type: string, message: string, extra: Obj = {}): never => {
    throw new StripeFail(status, {
      type,
      message,
      ...extra,
      ...(extra.code
        ? { doc_url: `https://stripe.com/docs/error-codes/${String(extra.code).replace(/_/g, "-")}` }
        : {}),
    });
  };
  const invalid = (message: string, extra: Obj = {}) => fail(400, "invalid_request_error", message, extra);
  const missing = (kind: string, id: string, param: string) =>
    fail(404, "invalid_request_error", `No such ${kind}: '${id}'`, { code: "resource_missing", param });

  function emit(type: string, object: Obj, previous?: Obj) {
    const event: Obj = {
      id: base62Id("evt"),
      object: "event",
      api_version: currentRequest?.version ?? "2026-10-28.endive",
      created: nowSec(),
      data: { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) },
      livemode: false,
      pending_webhooks: opts.webhookUrl ? 1 : 0,
      request: { id: currentRequest?.id ?? null, idempotency_key: currentRequest?.idempotencyKey ?? null },
      type,
    };
    events.push(event);
    if (opts.webhookUrl) {
      const { rawBody, headers } = emulator.signedDelivery(event);
      const p = postWebhook(opts.webhookUrl, rawBody, headers).then((status) =>
        deliveries.push({ eventId: String(event.id), status }),
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
  }

  /** Checks params against what the endpoint knows, like Stripe's "Received unknown parameter". */
  function known(params: Record<string, FormValue>, allowed: string[]) {
    for (const key of Object.keys(params))
      if (!allowed.includes(key) && key !== "expand")
        invalid(`Received unknown parameter: ${key}`, { code: "parameter_unknown", param: key });
  }

  function integer(params: Record<string, FormValue>, key: string, required: boolean): number | undefined {
    const v = params[key];
    if (v === undefined) {
      if (required) invalid(`Missing required param: ${key}.`, { code: "parameter_missing", param: key });
      return undefined;
    }
    if (typeof v !== "string" || !/^\d+$/.test(v))
      invalid(`Invalid integer: ${String(v)}`, { code: "parameter_invalid_integer", param: key });
    return Number(v);
  }

  function validAmount(amount: number, currency: string, param = "amount") {
    if (amount < 1)
      invalid("This value must be greater than or equal to 1.", { code: "parameter_invalid_integer", param });
    if (MIN_AMOUNT[currency] !== undefined && amount < MIN_AMOUNT[currency]!)
      invalid(`Amount must be at least ${MIN_AMOUNT[currency]} ${currency}`, {
        code: "amount_too_small",
        param,
      });
    if (THREE_DECIMAL.has(currency) && amount % 10 !== 0)
      invalid(`Amounts in ${currency.toUpperCase()} must be divisible by 10 (the last digit must be 0).`, {
        code: "invalid_amount",
        param,
      });
    if (currency === "isk" && amount % 100 !== 0)
      invalid("Amounts in ISK must be divisible by 100.", { code: "invalid_amount", param });
  }

  function currencyOf(params: Record<string, FormValue>): string {
    const c = params.currency;
    if (c === undefined)
      invalid("Missing required param: currency.", { code: "parameter_missing", param: "currency" });
    if (typeof c !== "string" || !SUPPORTED.has(c))
      invalid(
        `Invalid currency: ${String(c)}. Stripe currently supports these currencies: ${[...SUPPORTED].join(", ")}`,
        {
          code: "parameter_invalid_string",
          param: "currency",
        },
      );
    return c as string;
  }

  const metadataOf = (params: Record<string, FormValue>) => (params.metadata ?? {}) as Record<string, string>;

  function intentOr404(id: string): Obj {
    return intents.get(id) ?? missing("payment_intent", id, "intent");
  }

  function unexpectedState(pi: Obj, action: string, allowed: string[]): never {
    return invalid(
      `This PaymentIntent could not be ${action} because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be ${action}: ${allowed.join(", ")}.`,
      { code: "payment_intent_unexpected_state", payment_intent: pi },
    );
  }

  function walletMethod(card: { brand: string; last4: string }, wallet?: string): Obj {
    const pm: Obj = {
      id: base62Id("pm"),
      object: "payment_method",
      type: "card",
      card: {
        brand: card.brand,
        last4: card.last4,
        exp_month: 12,
        exp_year: 2034,
        funding: "credit",
        wallet: wallet ? { type: wallet, [wallet]: {}, dynamic_last4: card.last4 } : null,
      },
      created: nowSec(),
      livemode: false,
    };
    methods.set(String(pm.id), pm);
    return pm;
  }

  /** Confirms `pi` with a payment method; the outcome comes from the test card. */
  function confirm(
    pi: Obj,
    pm: Obj,
    outcome: "succeeded" | "declined" | "action",
    decline = "generic_decline",
  ) {
    if (!["requires_payment_method", "requires_confirmation", "requires_action"].includes(String(pi.status)))
      unexpectedState(pi, "confirmed", [
        "requires_payment_method",
        "requires_confirmation",
        "requires_action",
      ]);
    pi.payment_method = pm.id;
    if (outcome === "declined") {
      const error = {
        type: "card_error",
        code: "card_declined",
        decline_code: decline,
        message:
          decline === "insufficient_funds" ? "Your card has insufficient funds." : "Your card was declined.",
        payment_method: pm,
      };
      pi.status = "requires_payment_method";
      pi.last_payment_error = error;
      pi.payment_method = null;
      emit("payment_intent.payment_failed", pi);
      fail(402, "card_error", error.message, { ...error, payment_intent: structuredClone(pi) });
    }
    if (outcome === "action") {
      pi.status = "requires_action";
      pi.next_action = { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect" } };
      emit("payment_intent.requires_action", pi);
      return pi;
    }
    const manual = pi.capture_method === "manual";
    const charge: Obj = {
      id: base62Id("ch"),
      object: "charge",
      amount: pi.amount,
      amount_captured: manual ? 0 : pi.amount,
      amount_refunded: 0,
      captured: !manual,
      currency: pi.currency,
      disputed: false,
      metadata: pi.metadata,
      paid: true,
      payment_intent: pi.id,
      payment_method: pm.id,
      payment_method_details: { type: "card", card: pm.card },
      refunded: false,
      status: "succeeded",
      created: nowSec(),
      livemode: false,
    };
    charges.set(String(charge.id), charge);
    pi.latest_charge = charge.id;
    pi.last_payment_error = null;
    pi.next_action = null;
    if (manual) {
      pi.status = "requires_capture";
      pi.amount_capturable = pi.amount;
      emit("payment_intent.amount_capturable_updated", pi);
    } else {
      pi.status = "succeeded";
      pi.amount_received = pi.amount;
      emit("charge.succeeded", charge);
      emit("payment_intent.succeeded", pi);
    }
    return pi;
  }

  const handlers = {
    createIntent(params: Record<string, FormValue>): Obj {
      known(params, [
        "amount",
        "currency",
        "capture_method",
        // API versions from 2026-10-28 (the "endive" major) renamed payment_method_types on create.
        newApi() ? "allowed_payment_method_types" : "payment_method_types",
        "automatic_payment_methods",
        "metadata",
        "description",
        "confirm",
        "payment_method",
        "return_url",
        "statement_descriptor_suffix",
      ]);
      const amount = integer(params, "amount", true)!;
      const currency = currencyOf(params);
      validAmount(amount, currency);
      const typesParam = newApi() ? "allowed_payment_method_types" : "payment_method_types";
      const allowed = params[typesParam] as string[] | undefined;
      if (allowed !== undefined && params.automatic_payment_methods !== undefined)
        invalid(`You may only specify one of these parameters: automatic_payment_methods, ${typesParam}.`, {
          code: "parameters_exclusive",
          param: "automatic_payment_methods",
        });
      const captureMethod = (params.capture_method as string | undefined) ?? "automatic_async";
      if (!["automatic", "automatic_async", "manual"].includes(captureMethod))
        invalid(`Invalid capture_method: must be one of automatic, automatic_async, or manual`, {
          param: "capture_method",
        });
      const types = allowed ?? ["card"];
      const id = base62Id("pi");
      const pi: Obj = {
        id,
        object: "payment_intent",
        amount,
        amount_capturable: 0,
        amount_received: 0,
        allowed_payment_method_types: allowed ?? null,
        automatic_payment_methods: allowed ? null : { allow_redirects: "always", enabled: true },
        canceled_at: null,
        cancellation_reason: null,
        capture_method: captureMethod,
        client_secret: `${id}_secret_${base62Id("x").slice(2)}`,
        confirmation_method: "automatic",
        created: nowSec(),
        currency,
        customer: null,
        description: (params.description as string | undefined) ?? null,
        last_payment_error: null,
        latest_charge: null,
        livemode: false,
        metadata: metadataOf(params),
        next_action: null,
        payment_method: null,
        payment_method_types: types,
        status: "requires_payment_method",
      };
      intents.set(id, pi);
      emit("payment_intent.created", pi);
      if (params.confirm === "true" && typeof params.payment_method === "string")
        return handlers.confirmIntent(id, params);
      return pi;
    },

    confirmIntent(id: string, params: Record<string, FormValue>): Obj {
      const pi = intentOr404(id);
      const pmId = params.payment_method as string | undefined;
      if (!pmId)
        invalid("You must provide a payment_method.", { code: "parameter_missing", param: "payment_method" });
      const card = TEST_CARDS[pmId!];
      const existing = methods.get(pmId!);
      if (!card && !existing) missing("PaymentMethod", pmId!, "payment_method");
      const pm = existing ?? walletMethod(card!);
      return confirm(pi, pm, card?.outcome ?? "succeeded", card?.decline);
    },

    captureIntent(id: string, params: Record<string, FormValue>): Obj {
      known(params, ["amount_to_capture", "metadata"]);
      const pi = intentOr404(id);
      if (pi.status !== "requires_capture") unexpectedState(pi, "captured", ["requires_capture"]);
      const amount = integer(params, "amount_to_capture", false) ?? Number(pi.amount);
      if (amount > Number(pi.amount_capturable))
        invalid("The amount to capture must be less than or equal to the capturable amount.", {
          code: "amount_too_large",
          param: "amount_to_capture",
        });
      const charge = charges.get(String(pi.latest_charge))!;
      charge.captured = true;
      charge.amount_captured = amount;
      pi.status = "succeeded";
      pi.amount_received = amount;
      pi.amount_capturable = 0;
      emit("charge.captured", charge);
      emit("payment_intent.succeeded", pi);
      return pi;
    },

    cancelIntent(id: string, params: Record<string, FormValue>): Obj {
      known(params, ["cancellation_reason"]);
      const pi = intentOr404(id);
      const allowed = [
        "requires_payment_method",
        "requires_capture",
        "requires_confirmation",
        "requires_action",
      ];
      if (!allowed.includes(String(pi.status))) unexpectedState(pi, "canceled", allowed);
      pi.status = "canceled";
      pi.canceled_at = nowSec();
      pi.cancellation_reason = (params.cancellation_reason as string | undefined) ?? null;
      emit("payment_intent.canceled", pi);
      return pi;
    },

    createRefund(params: Record<string, FormValue>): Obj {
      known(params, ["charge", "payment_intent", "amount", "reason", "metadata"]);
      let charge: Obj | undefined;
      if (typeof params.charge === "string")
        charge = charges.get(params.charge) ?? missing("charge", params.charge, "charge");
      else if (typeof params.payment_intent === "string") {
        const pi =
          intents.get(params.payment_intent) ??
          missing("payment_intent", params.payment_intent, "payment_intent");
        charge = pi.latest_charge ? charges.get(String(pi.latest_charge)) : undefined;
        if (!charge)
          invalid(`PaymentIntent ${pi.id} does not have a successful charge to refund.`, {
            param: "payment_intent",
          });
      } else
        invalid(
          "One of the following params should be provided for this request: payment_intent or charge.",
          { code: "parameter_missing" },
        );
      const c = charge!;
      if (c.disputed)
        invalid(`Charge ${c.id} has been charged back; cannot issue a refund.`, {
          code: "charge_disputed",
          param: "charge",
        });
      const captured = Number(c.captured ? c.amount_captured : c.amount);
      const left = captured - Number(c.amount_refunded);
      if (left === 0)
        invalid(`Charge ${c.id} has already been refunded.`, {
          code: "charge_already_refunded",
          param: "charge",
        });
      const amount = integer(params, "amount", false) ?? left;
      if (amount > left)
        invalid(
          `Refund amount (${amount} ${c.currency}) is greater than unrefunded amount on charge (${left} ${c.currency})`,
          {
            code: "amount_too_large",
            param: "amount",
          },
        );
      const reason = params.reason as string | undefined;
      if (reason && !["duplicate", "fraudulent", "requested_by_customer"].includes(reason))
        invalid("Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer", {
          param: "reason",
        });
      c.amount_refunded = Number(c.amount_refunded) + amount;
      c.refunded = c.amount_refunded === captured;
      const refund: Obj = {
        id: base62Id("re"),
        object: "refund",
        amount,
        charge: c.id,
        created: nowSec(),
        currency: c.currency,
        metadata: metadataOf(params),
        payment_intent: c.payment_intent,
        reason: reason ?? null,
        status: "succeeded",
      };
      refunds.set(String(refund.id), refund);
      emit("refund.created", refund);
      emit("charge.refunded", c);
      return refund;
    },

    createTransfer(params: Record<string, FormValue>): Obj {
      known(params, ["amount", "currency", "destination", "description", "metadata", "transfer_group"]);
      const amount = integer(params, "amount", true)!;
      const currency = currencyOf(params);
      validAmount(amount, currency);
      const destination = params.destination;
      if (typeof destination !== "string")
        invalid("Missing required param: destination.", { code: "parameter_missing", param: "destination" });
      if (!accounts.has(destination as string)) missing("destination", destination as string, "destination");
      const transfer: Obj = {
        id: base62Id("tr"),
        object: "transfer",
        amount,
        amount_reversed: 0,
        created: nowSec(),
        currency,
        description: (params.description as string | undefined) ?? null,
        destination,
        livemode: false,
        metadata: metadataOf(params),
        reversed: false,
        transfer_group: (params.transfer_group as string | undefined) ?? null,
      };
      transfers.set(String(transfer.id), transfer);
      emit("transfer.created", transfer);
      return transfer;
    },
  };

  function list(items: Obj[], url: string, query: URLSearchParams): Obj {
    const limit = Math.min(Number(query.get("limit") ?? 10), 100);
    const sorted = [...items].reverse();
    let start = 0;
    const after = query.get("starting_after");
    if (after) start = sorted.findIndex((o) => o.id === after) + 1;
    const data = sorted.slice(start, start + limit);
    return { object: "list", data, has_more: start + limit < sorted.length, url };
  }

  /** Stripe-style POST: form body, idempotency (2xx and 402 results are stored), errors to bodies. */
  function post(req: EmuRequest, run: (params: Record<string, FormValue>) => Obj): EmuReply {
    const key = req.headers["idempotency-key"] as string | undefined;
    const fingerprint = `${req.path}|${req.rawBody}`;
    if (key) {
      const seen = idem.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint)
          return {
            status: 400,
            json: {
              error: {
                type: "idempotency_error",
                message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
              },
            },
          };
        return { status: seen.status, json: seen.json, headers: { "idempotent-replayed": "true" } };
      }
    }
    let status = 200;
    let json: unknown;
    try {
      json = run(parseStripeForm(req.rawBody));
    } catch (error) {
      if (!(error instanceof StripeFail)) throw error;
      status = error.status;
      json = {
        error: {
          ...error.error,
          request_log_url: `https://dashboard.stripe.com/test/logs/${currentRequest?.id}`,
        },
      };
    }
    if (key && (status === 200 || status === 402)) idem.set(key, { fingerprint, status, json });
    return { status, json };
  }

  function get(run: () => Obj): EmuReply {
    try {
      return { status: 200, json: run() };
    } catch (error) {
      if (!(error instanceof StripeFail)) throw error;
      return { status: error.status, json: { error: error.error } };
    }
  }

  const routes = [
    route("POST", "/v1/payment_intents", (req) => post(req, (p) => handlers.createIntent(p))),
    route("GET", "/v1/payment_intents", (req) =>
      get(() => list([...intents.values()], "/v1/payment_intents", req.query)),
    ),
    route("GET", "/v1/payment_intents/:id", (req) => get(() => intentOr404(req.params.id!))),
    route("POST", "/v1/payment_intents/:id/confirm", (req) =>
      post(req, (p) => handlers.confirmIntent(req.params.id!, p)),
    ),
    route("POST", "/v1/payment_intents/:id/capture", (req) =>
      post(req, (p) => handlers.captureIntent(req.params.id!, p)),
    ),
    route("POST", "/v1/payment_intents/:id/cancel", (req) =>
      post(req, (p) => handlers.cancelIntent(req.params.id!, p)),
    ),
    route("POST", "/v1/refunds", (req) => post(req, (p) => handlers.createRefund(p))),
    route("GET", "/v1/refunds/:id", (req) =>
      get(() => refunds.get(req.params.id!) ?? missing("refund", req.params.id!, "id")),
    ),
    route("GET", "/v1/charges/:id", (req) =>
      get(() => charges.get(req.params.id!) ?? missing("charge", req.params.id!, "charge")),
    ),
    route("POST", "/v1/transfers", (req) => post(req, (p) => handlers.createTransfer(p))),
    route("GET", "/v1/events", (req) => get(() => list(events, "/v1/events", req.query))),
    route("GET", "/v1/events/:id", (req) =>
      get(() => events.find((e) => e.id === req.params.id) ?? missing("event", req.params.id!, "id")),
    ),
    route("GET", "/js/v3", () => ({
      status: 200,
      text: stripeJsStandIn(server.url),
      contentType: "text/javascript; charset=utf-8",
    })),
    route("POST", "/_emulator/payment_intents/:id/confirm_wallet", (req) => {
      const body = new URLSearchParams(req.rawBody);
      const wallet = body.get("wallet") === "google_pay" ? "google_pay" : "apple_pay";
      const outcome = (body.get("outcome") ?? "succeeded") as "succeeded" | "declined" | "action";
      return post(req, () => emulator.confirmWithWallet(req.params.id!, wallet, outcome));
    }),
  ];

  const server = await serve({
    routes,
    before: (req) => {
      const version = (req.headers["stripe-version"] as string | undefined) ?? "2026-10-28.endive";
      currentRequest = {
        id: base62Id("req", 14),
        idempotencyKey: req.headers["idempotency-key"] as string | undefined,
        version,
      };
      requests.push({
        method: req.method,
        path: req.path,
        idempotencyKey: currentRequest.idempotencyKey,
        stripeVersion: req.headers["stripe-version"] as string | undefined,
        contentType: req.headers["content-type"],
      });
      if (req.path.startsWith("/_emulator/") || (req.method === "GET" && req.path === "/js/v3"))
        return undefined;
      const browserKey = req.headers.authorization ? null : new URLSearchParams(req.rawBody).get("key");
      if (browserKey?.startsWith("pk_")) return publishableKeyCheck(req, browserKey);
      if (!/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(version))
        return {
          status: 400,
          json: {
            error: { type: "invalid_request_error", message: `Invalid Stripe API version: ${version}` },
          },
        };
      const auth = req.headers.authorization ?? "";
      const key = auth.startsWith("Bearer ")
        ? auth.slice(7)
        : auth.startsWith("Basic ")
          ? Buffer.from(auth.slice(6), "base64").toString().split(":")[0]
          : "";
      if (!key)
        return {
          status: 401,
          json: {
            error: {
              type: "invalid_request_error",
              message:
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
            },
          },
        };
      if (key !== opts.secretKey)
        return {
          status: 401,
          json: {
            error: {
              type: "invalid_request_error",
              code: "api_key_invalid",
              message: `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`,
            },
          },
        };
      if (failures && failures.times > 0) {
        failures.times--;
        return failures.status === 429
          ? {
              status: 429,
              json: {
                error: {
                  type: "invalid_request_error",
                  code: "rate_limit",
                  message: "Too many requests hit the API too quickly.",
                },
              },
            }
          : {
              status: failures.status,
              json: { error: { type: "api_error", message: "An unknown error occurred" } },
            };
      }
      if (
        req.method === "POST" &&
        !String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
      )
        return {
          status: 400,
          json: {
            error: {
              type: "invalid_request_error",
              message: "Invalid request: expected a form-encoded body.",
            },
          },
        };
      return undefined;
    },
    notFound: (req) => ({
      status: 404,
      json: {
        error: {
          type: "invalid_request_error",
          message: `Unrecognized request URL (${req.method}: ${req.path}).`,
        },
      },
    }),
    decorate: (req) => ({
      // Stripe's API answers browsers (Stripe.js) from any origin.
      "access-control-allow-origin": "*",
      "request-id": currentRequest?.id ?? base62Id("req", 14),
      "stripe-version": currentRequest?.version ?? "2026-10-28.endive",
      ...(req.headers["idempotency-key"]
        ? { "idempotency-key": String(req.headers["idempotency-key"]) }
        : {}),
    }),
  });

  /** Stripe.js calls with the publishable key in the form: it may confirm an intent whose client secret it holds. */
  function publishableKeyCheck(req: { method: string; path: string; rawBody: string }, key: string) {
    const fail = (status: number, error: Obj) => ({ status, json: { error } });
    if (key !== opts.publishableKey)
      return fail(401, {
        type: "invalid_request_error",
        code: "api_key_invalid",
        message: `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`,
      });
    const confirmPath = /^\/v1\/payment_intents\/([^/]+)\/confirm$/.exec(req.path);
    if (req.method !== "POST" || !confirmPath)
      return fail(401, {
        type: "invalid_request_error",
        message:
          "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.",
      });
    const secret = new URLSearchParams(req.rawBody).get("client_secret");
    if (!secret || intents.get(decodeURIComponent(confirmPath[1]!))?.client_secret !== secret)
      return fail(400, {
        type: "invalid_request_error",
        code: "payment_intent_invalid_parameter",
        param: "client_secret",
        message:
          "The client_secret provided does not match the client_secret associated with the PaymentIntent.",
      });
    return undefined;
  }

  const sign = (payload: string, timestamp = nowSec(), secret = opts.webhookSecret) =>
    `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex")}`;

  const emulator: StripeEmulator = {
    ...server,
    host: "127.0.0.1",
    protocol: "http",
    confirmWithWallet(id, wallet, outcome = "succeeded") {
      const pi = intentOr404(id);
      const pm = walletMethod({ brand: "visa", last4: outcome === "declined" ? "0002" : "4242" }, wallet);
      return confirm(pi, pm, outcome);
    },
    dispute(chargeId) {
      const charge = charges.get(chargeId);
      if (!charge) throw new Error(`no charge ${chargeId}`);
      charge.disputed = true;
      const dispute: Obj = {
        id: base62Id("dp"),
        object: "dispute",
        amount: charge.amount_captured,
        charge: charge.id,
        currency: charge.currency,
        payment_intent: charge.payment_intent,
        reason: "fraudulent",
        status: "needs_response",
        created: nowSec(),
        livemode: false,
      };
      emit("charge.dispute.created", dispute);
      return dispute;
    },
    failNext(status, times = 1) {
      failures = { status, times };
    },
    sign,
    signedDelivery(event, o = {}) {
      const rawBody = JSON.stringify(event, null, 2);
      return {
        rawBody,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": sign(rawBody, o.timestamp),
        },
      };
    },
    events,
    deliveries,
    requests,
    async idle() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
  return emulator;
}
