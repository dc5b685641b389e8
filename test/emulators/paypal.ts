/**
 * A local PayPal REST emulator (127.0.0.1, random port) following PayPal's documented request and
 * response shapes, for testing the PayPal adapter on a machine that cannot reach PayPal.
 *
 *   POST /v1/oauth2/token                          client credentials (Basic auth, form body)
 *   POST /v2/checkout/orders                       intent CAPTURE, purchase_units[].amount, experience_context
 *   GET  /v2/checkout/orders/:id
 *   POST /v2/checkout/orders/:id/capture
 *   GET  /v2/payments/captures/:id
 *   POST /v2/payments/captures/:id/refund
 *   POST /v1/payments/payouts                      batch payouts; GET /v1/payments/payouts/:id
 *   POST /v1/notifications/verify-webhook-signature
 *   GET  /checkoutnow?token=:id, POST /checkoutnow/approve    the buyer's approval page
 *
 * Errors are PayPal's: OAuth `{ error, error_description }` (401 invalid_client / invalid_token),
 * `{ name, message, debug_id, details[{ field, location, issue, description }], links }` with
 * INVALID_REQUEST (400), AUTHENTICATION_FAILURE (401), RESOURCE_NOT_FOUND (404), UNPROCESSABLE_ENTITY
 * (422: ORDER_NOT_APPROVED, ORDER_ALREADY_CAPTURED, INSTRUMENT_DECLINED, REFUND_AMOUNT_EXCEEDED,
 * CAPTURE_FULLY_REFUNDED, CURRENCY_NOT_SUPPORTED, DECIMALS_NOT_SUPPORTED, DECIMAL_PRECISION,
 * CANNOT_BE_ZERO_OR_NEGATIVE), RATE_LIMIT_REACHED (429), INTERNAL_SERVER_ERROR (500). A POST with a
 * PayPal-Request-Id seen before replays the first successful response.
 *
 * Webhooks are signed the way PayPal signs them: SHA256withRSA over
 * `<transmission id>|<transmission time>|<webhook id>|<crc32 of the body>`, sent with the PAYPAL-*
 * headers; the verify endpoint checks exactly that. Control for tests: approve(), reverseCapture(),
 * completePayout(), expireTokens(), failNext(), signedDelivery().
 */
import { generateKeyPairSync, randomUUID, sign, verify } from "node:crypto";
import { crc32 } from "node:zlib";
import {
  type EmuReply,
  type EmuRequest,
  postWebhook,
  type RunningServer,
  route,
  serve,
  upperId,
} from "./http.ts";

/** Currencies PayPal accepts, and the ones it takes without decimals. */
const PAYPAL_CURRENCIES = new Set(
  "AUD BRL CAD CNY CZK DKK EUR HKD HUF ILS JPY MYR MXN TWD NZD NOK PHP PLN GBP SGD SEK CHF THB USD".split(
    " ",
  ),
);
const NO_DECIMALS = new Set(["HUF", "JPY", "TWD"]);

interface Amount {
  currency_code: string;
  value: string;
}

interface Order {
  id: string;
  intent: string;
  status: "CREATED" | "PAYER_ACTION_REQUIRED" | "APPROVED" | "COMPLETED" | "VOIDED";
  purchase_units: Array<{
    reference_id: string;
    amount: Amount;
    custom_id?: string;
    invoice_id?: string;
    description?: string;
    payments?: { captures: Capture[] };
  }>;
  payment_source?: { paypal: Record<string, unknown> };
  payer?: { payer_id: string; email_address: string; name: { given_name: string; surname: string } };
  create_time: string;
  update_time?: string;
  returnUrl?: string;
  cancelUrl?: string;
  declineInstrument?: boolean;
  usesExperienceContext: boolean;
}

interface Capture {
  id: string;
  status: "COMPLETED" | "PARTIALLY_REFUNDED" | "REFUNDED" | "DECLINED" | "PENDING";
  amount: Amount;
  final_capture: boolean;
  custom_id?: string;
  create_time: string;
  update_time: string;
  links: Link[];
  supplementary_data: { related_ids: { order_id: string } };
}

interface Link {
  href: string;
  rel: string;
  method: string;
}

export interface PayPalWebhookEvent {
  id: string;
  event_version: string;
  create_time: string;
  resource_type: string;
  resource_version: string;
  event_type: string;
  summary: string;
  resource: Record<string, unknown>;
  links: Link[];
}

export interface PayPalEmulatorOptions {
  clientId: string;
  clientSecret: string;
  webhookId: string;
  webhookUrl?: string;
  tokenTtlSeconds?: number;
}

export interface PayPalEmulator extends RunningServer {
  /** The buyer approves the order (optionally with a funding instrument that will decline at capture). */
  approve(orderId: string, opts?: { declineInstrument?: boolean }): void;
  /** PayPal reverses a completed capture (chargeback): PAYMENT.CAPTURE.REVERSED. */
  reverseCapture(captureId: string): void;
  /** A payout batch finishes: PAYMENT.PAYOUTSBATCH.SUCCESS / DENIED. */
  completePayout(batchId: string, status?: "SUCCESS" | "DENIED"): void;
  /** Every issued token becomes expired (the next API call gets 401 invalid_token). */
  expireTokens(): void;
  /** The next `times` API calls (not the token call) answer this status. */
  failNext(status: 429 | 500 | 503, times?: number): void;
  /** Forget stored PayPal-Request-Ids (as PayPal does after its retention window). */
  forgetRequestIds(): void;
  signedDelivery(
    event: PayPalWebhookEvent,
    opts?: { transmissionTime?: Date; webhookId?: string },
  ): {
    rawBody: string;
    headers: Record<string, string>;
  };
  events: PayPalWebhookEvent[];
  deliveries: Array<{ eventId: string; status: number }>;
  tokenRequests: number;
  /** POSTs (other than the token call) that came without a PayPal-Request-Id. */
  postsWithoutRequestId: string[];
  idle(): Promise<void>;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

export async function startPayPalEmulator(opts: PayPalEmulatorOptions): Promise<PayPalEmulator> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const certId = `CERT-360caa42-fca2a594-${upperId(8).toLowerCase()}`;
  const tokens = new Map<string, number>(); // token -> expires at (ms)
  const orders = new Map<string, Order>();
  const captures = new Map<string, Capture & { refunded: bigint; reversed: boolean; orderId: string }>();
  const refunds = new Map<string, Record<string, unknown>>();
  const payouts = new Map<string, Record<string, unknown>>();
  const senderBatchIds = new Map<string, string>();
  const requestIds = new Map<string, { status: number; json: unknown }>();
  const inflight = new Set<Promise<unknown>>();
  let failures: { status: number; times: number } | undefined;
  let base = "";

  const state = {
    events: [] as PayPalWebhookEvent[],
    deliveries: [] as Array<{ eventId: string; status: number }>,
    tokenRequests: 0,
    postsWithoutRequestId: [] as string[],
  };

  const err = (
    status: number,
    name: string,
    message: string,
    details?: Array<Record<string, string>>,
  ): EmuReply => {
    const debugId = upperId(13).toLowerCase();
    const issue = details?.[0]?.issue;
    return {
      status,
      headers: { "paypal-debug-id": debugId },
      json: {
        name,
        message,
        debug_id: debugId,
        ...(details ? { details } : {}),
        links: [
          {
            href: `https://developer.paypal.com/docs/api/orders/v2/#error-${issue ?? name}`,
            rel: "information_link",
            method: "GET",
          },
        ],
      },
    };
  };
  const invalid = (field: string, issue: string, description: string, location = "body") =>
    err(400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema.", [
      { field, location, issue, description },
    ]);
  const unprocessable = (issue: string, description: string, field?: string) =>
    err(
      422,
      "UNPROCESSABLE_ENTITY",
      "The requested action could not be performed, semantically incorrect, or failed business validation.",
      [{ ...(field ? { field, location: "body" } : {}), issue, description }],
    );
  const notFound = (what: string) =>
    err(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.", [
      {
        issue: "INVALID_RESOURCE_ID",
        description: `Specified resource ID does not exist. Please check the resource ID and try again. (${what})`,
      },
    ]);

  function json(req: EmuRequest): Record<string, unknown> | EmuReply {
    try {
      const parsed = req.rawBody ? JSON.parse(req.rawBody) : {};
      if (typeof parsed !== "object" || parsed === null) throw new Error("not an object");
      return parsed;
    } catch {
      return invalid("", "MALFORMED_REQUEST_JSON", "The request JSON is not well formed.");
    }
  }
  const isReply = (v: unknown): v is EmuReply => typeof v === "object" && v !== null && "status" in v;

  /** Validates an amount the way Orders v2 does; returns an error reply or the amount in minor units. */
  function checkAmount(
    a: unknown,
    field: string,
    codeKey: "currency_code" | "currency" = "currency_code",
  ): EmuReply | bigint {
    const amount = a as Record<string, unknown> | undefined;
    if (!amount)
      return invalid(field, "MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing.");
    const currency = amount[codeKey];
    if (typeof currency !== "string")
      return invalid(
        `${field}/${codeKey}`,
        "MISSING_REQUIRED_PARAMETER",
        "A required field / parameter is missing.",
      );
    if (typeof amount.value !== "string")
      return invalid(
        `${field}/value`,
        "MISSING_REQUIRED_PARAMETER",
        "A required field / parameter is missing.",
      );
    if (!PAYPAL_CURRENCIES.has(currency))
      return unprocessable(
        "CURRENCY_NOT_SUPPORTED",
        "Currency code is not currently supported.",
        `${field}/${codeKey}`,
      );
    const m = /^(-?)(\d*)(?:\.(\d+))?$/.exec(amount.value);
    if (!m || (m[2] === "" && m[3] === undefined))
      return invalid(
        `${field}/value`,
        "INVALID_PARAMETER_SYNTAX",
        "The value of a field does not conform to the expected format.",
      );
    const decimals = m[3] ?? "";
    if (NO_DECIMALS.has(currency) && decimals.replace(/0+$/, "") !== "")
      return unprocessable("DECIMALS_NOT_SUPPORTED", "Currency does not support decimals.", `${field}/value`);
    if (decimals.length > 2)
      return unprocessable(
        "DECIMAL_PRECISION",
        "If the currency supports decimals, only two decimal place precision is supported.",
        `${field}/value`,
      );
    const minor = BigInt((m[2] || "0") + decimals.padEnd(2, "0"));
    if (m[1] === "-" || minor === 0n)
      return unprocessable("CANNOT_BE_ZERO_OR_NEGATIVE", "Must be greater than zero.", `${field}/value`);
    return minor;
  }

  function bearer(req: EmuRequest): EmuReply | undefined {
    const header = req.headers.authorization;
    if (!header?.startsWith("Bearer "))
      return err(
        401,
        "AUTHENTICATION_FAILURE",
        "Authentication failed due to invalid authentication credentials or a missing Authorization header.",
      );
    const expires = tokens.get(header.slice(7));
    if (expires === undefined)
      return {
        status: 401,
        json: { error: "invalid_token", error_description: "Token signature verification failed" },
      };
    if (Date.now() >= expires)
      return {
        status: 401,
        json: { error: "invalid_token", error_description: "Access Token not found in cache" },
      };
    return undefined;
  }

  function orderView(o: Order, full: boolean) {
    const approveRel = o.usesExperienceContext ? "payer-action" : "approve";
    const links: Link[] = [
      { href: `${base}/v2/checkout/orders/${o.id}`, rel: "self", method: "GET" },
      ...(o.status === "CREATED" || o.status === "PAYER_ACTION_REQUIRED"
        ? [{ href: `${base}/checkoutnow?token=${o.id}`, rel: approveRel, method: "GET" }]
        : []),
      ...(o.status !== "COMPLETED"
        ? [{ href: `${base}/v2/checkout/orders/${o.id}/capture`, rel: "capture", method: "POST" }]
        : []),
    ];
    const { returnUrl: _r, cancelUrl: _c, declineInstrument: _d, usesExperienceContext: _u, ...wire } = o;
    return full
      ? { ...wire, links }
      : {
          id: o.id,
          status: o.status,
          ...(o.payment_source ? { payment_source: o.payment_source } : {}),
          links,
        };
  }

  function emit(
    event_type: string,
    resource_type: string,
    summary: string,
    resource: Record<string, unknown>,
  ) {
    const event: PayPalWebhookEvent = {
      id: `WH-${upperId(17)}-${upperId(17)}`,
      event_version: "1.0",
      create_time: now(),
      resource_type,
      resource_version: "2.0",
      event_type,
      summary,
      resource: structuredClone(resource),
      links: [{ href: `${base}/v1/notifications/webhooks-events/WH-x`, rel: "self", method: "GET" }],
    };
    state.events.push(event);
    if (opts.webhookUrl) {
      const { rawBody, headers } = emulator.signedDelivery(event);
      const p = postWebhook(opts.webhookUrl, rawBody, headers).then((status) =>
        state.deliveries.push({ eventId: event.id, status }),
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
  }

  function captureView(c: Capture) {
    return {
      id: c.id,
      status: c.status,
      amount: c.amount,
      final_capture: c.final_capture,
      ...(c.custom_id ? { custom_id: c.custom_id } : {}),
      seller_protection: {
        status: "ELIGIBLE",
        dispute_categories: ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"],
      },
      create_time: c.create_time,
      update_time: c.update_time,
      links: c.links,
      supplementary_data: c.supplementary_data,
    };
  }

  /** Runs a POST once per PayPal-Request-Id; a seen id replays the first successful response. */
  async function idempotent(req: EmuRequest, run: () => EmuReply | Promise<EmuReply>): Promise<EmuReply> {
    const requestId = req.headers["paypal-request-id"];
    if (typeof requestId !== "string") {
      state.postsWithoutRequestId.push(req.path);
      return run();
    }
    const key = `${req.path}|${requestId}`;
    const seen = requestIds.get(key);
    if (seen) return { status: 200, json: seen.json };
    const reply = await run();
    if (reply !== "hang" && "json" in reply && reply.status < 300)
      requestIds.set(key, { status: reply.status, json: reply.json });
    return reply;
  }

  const routes = [
    route("POST", "/v1/oauth2/token", (req) => {
      state.tokenRequests++;
      const auth = req.headers.authorization ?? "";
      const expected = `Basic ${Buffer.from(`${opts.clientId}:${opts.clientSecret}`).toString("base64")}`;
      if (auth !== expected)
        return {
          status: 401,
          json: { error: "invalid_client", error_description: "Client Authentication failed" },
        };
      const grant = new URLSearchParams(req.rawBody).get("grant_type");
      if (!grant)
        return {
          status: 400,
          json: { error: "unsupported_grant_type", error_description: "Grant Type is NULL" },
        };
      if (grant !== "client_credentials")
        return {
          status: 400,
          json: { error: "unsupported_grant_type", error_description: `Unsupported grant type: ${grant}` },
        };
      const token = `A21AA${upperId(40)}`;
      const ttl = opts.tokenTtlSeconds ?? 32_400;
      tokens.set(token, Date.now() + ttl * 1000);
      return {
        status: 200,
        json: {
          scope:
            "https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund https://uri.paypal.com/payments/payouts https://uri.paypal.com/services/applications/webhooks",
          access_token: token,
          token_type: "Bearer",
          app_id: "APP-80W284485P519543T",
          expires_in: ttl,
          nonce: `${now()}${upperId(20)}`,
        },
      };
    }),

    route("POST", "/v2/checkout/orders", (req) =>
      idempotent(req, () => {
        const body = json(req);
        if (isReply(body)) return body;
        if (body.intent === undefined)
          return invalid("/intent", "MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing.");
        if (body.intent !== "CAPTURE" && body.intent !== "AUTHORIZE")
          return invalid("/intent", "INVALID_PARAMETER_VALUE", "The value of a field is invalid.");
        const units = body.purchase_units as Order["purchase_units"] | undefined;
        if (!Array.isArray(units) || units.length === 0)
          return invalid(
            "/purchase_units",
            "MISSING_REQUIRED_PARAMETER",
            "A required field / parameter is missing.",
          );
        for (const [i, pu] of units.entries()) {
          const checked = checkAmount(pu?.amount, `/purchase_units/${i}/amount`);
          if (isReply(checked)) return checked;
        }
        const experience = (
          body.payment_source as { paypal?: { experience_context?: Record<string, string> } } | undefined
        )?.paypal?.experience_context;
        const legacy = body.application_context as Record<string, string> | undefined;
        const context = experience ?? legacy;
        const order: Order = {
          id: upperId(17),
          intent: body.intent,
          status: experience ? "PAYER_ACTION_REQUIRED" : "CREATED",
          purchase_units: units.map((pu, i) => ({
            ...pu,
            reference_id: pu.reference_id ?? (i === 0 ? "default" : String(i)),
          })),
          ...(experience ? { payment_source: { paypal: {} } } : {}),
          create_time: now(),
          returnUrl: context?.return_url,
          cancelUrl: context?.cancel_url,
          usesExperienceContext: experience !== undefined,
        };
        orders.set(order.id, order);
        const full = String(req.headers.prefer ?? "").includes("return=representation");
        return { status: 201, json: orderView(order, full) };
      }),
    ),

    route("GET", "/v2/checkout/orders/:id", (req) => {
      const order = orders.get(req.params.id!);
      return order ? { status: 200, json: orderView(order, true) } : notFound(req.params.id!);
    }),

    route("POST", "/v2/checkout/orders/:id/capture", (req) =>
      idempotent(req, () => {
        const order = orders.get(req.params.id!);
        if (!order) return notFound(req.params.id!);
        if (order.status === "COMPLETED")
          return unprocessable(
            "ORDER_ALREADY_CAPTURED",
            "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
          );
        if (order.status !== "APPROVED")
          return unprocessable(
            "ORDER_NOT_APPROVED",
            "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
          );
        if (order.declineInstrument)
          return unprocessable(
            "INSTRUMENT_DECLINED",
            "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
          );
        const pu = order.purchase_units[0]!;
        const id = upperId(17);
        const t = now();
        const capture: Capture = {
          id,
          status: "COMPLETED",
          amount: pu.amount,
          final_capture: true,
          ...(pu.custom_id ? { custom_id: pu.custom_id } : {}),
          create_time: t,
          update_time: t,
          links: [
            { href: `${base}/v2/payments/captures/${id}`, rel: "self", method: "GET" },
            { href: `${base}/v2/payments/captures/${id}/refund`, rel: "refund", method: "POST" },
            { href: `${base}/v2/checkout/orders/${order.id}`, rel: "up", method: "GET" },
          ],
          supplementary_data: { related_ids: { order_id: order.id } },
        };
        captures.set(id, { ...capture, refunded: 0n, reversed: false, orderId: order.id });
        pu.payments = { captures: [captureView(capture) as Capture] };
        order.status = "COMPLETED";
        order.update_time = t;
        emit(
          "PAYMENT.CAPTURE.COMPLETED",
          "capture",
          `Payment completed for ${pu.amount.value} ${pu.amount.currency_code}`,
          captureView(capture),
        );
        return { status: 201, json: orderView(order, true) };
      }),
    ),

    route("GET", "/v2/payments/captures/:id", (req) => {
      const capture = captures.get(req.params.id!);
      return capture ? { status: 200, json: captureView(capture) } : notFound(req.params.id!);
    }),

    route("POST", "/v2/payments/captures/:id/refund", (req) =>
      idempotent(req, () => {
        const capture = captures.get(req.params.id!);
        if (!capture) return notFound(req.params.id!);
        const body = json(req);
        if (isReply(body)) return body;
        const total = checkAmount(capture.amount, "/amount") as bigint;
        const left = total - capture.refunded;
        if (capture.reversed)
          return unprocessable(
            "REFUND_NOT_PERMITTED_DUE_TO_CHARGEBACK",
            "Refunds not allowed on this capture due to a chargeback on the card or bank. Please contact the payee to resolve the chargeback.",
          );
        if (left === 0n)
          return unprocessable("CAPTURE_FULLY_REFUNDED", "The capture has already been fully refunded");
        let asked = left;
        if (body.amount !== undefined) {
          const checked = checkAmount(body.amount, "/amount");
          if (isReply(checked)) return checked;
          if ((body.amount as Amount).currency_code !== capture.amount.currency_code)
            return unprocessable(
              "CURRENCY_MISMATCH",
              "Refund must be in the same currency as the capture.",
              "/amount/currency_code",
            );
          asked = checked;
        }
        if (asked > left)
          return unprocessable(
            "REFUND_AMOUNT_EXCEEDED",
            "The refund amount must be less than or equal to the capture amount that has not yet been refunded.",
          );
        capture.refunded += asked;
        capture.status = capture.refunded === total ? "REFUNDED" : "PARTIALLY_REFUNDED";
        capture.update_time = now();
        const id = upperId(17);
        const decimals = NO_DECIMALS.has(capture.amount.currency_code) ? 0 : 2;
        const value =
          decimals === 0 ? asked.toString() : `${asked / 100n}.${(asked % 100n).toString().padStart(2, "0")}`;
        const refund = {
          id,
          status: "COMPLETED",
          amount: { currency_code: capture.amount.currency_code, value },
          ...(body.note_to_payer ? { note_to_payer: body.note_to_payer } : {}),
          create_time: now(),
          update_time: now(),
          links: [
            { href: `${base}/v2/payments/refunds/${id}`, rel: "self", method: "GET" },
            { href: `${base}/v2/payments/captures/${capture.id}`, rel: "up", method: "GET" },
          ],
        };
        refunds.set(id, refund);
        emit(
          "PAYMENT.CAPTURE.REFUNDED",
          "refund",
          `A ${value} ${capture.amount.currency_code} capture payment was refunded`,
          refund,
        );
        return { status: 201, json: refund };
      }),
    ),

    route("POST", "/v1/payments/payouts", (req) =>
      idempotent(req, () => {
        const body = json(req);
        if (isReply(body)) return body;
        const validation = (field: string, issue: string) =>
          err(400, "VALIDATION_ERROR", "Invalid request - see details", [{ field, location: "body", issue }]);
        const header = body.sender_batch_header as Record<string, string> | undefined;
        if (!header) return validation("sender_batch_header", "Required field is missing.");
        const items = body.items as Array<Record<string, unknown>> | undefined;
        if (!Array.isArray(items) || items.length === 0)
          return validation("items", "Required field is missing.");
        for (const [i, item] of items.entries()) {
          const type = (item.recipient_type as string | undefined) ?? header.recipient_type;
          if (!type || !["EMAIL", "PHONE", "PAYPAL_ID"].includes(type))
            return validation(`items[${i}].recipient_type`, "Recipient type is invalid.");
          const receiver = item.receiver;
          if (
            typeof receiver !== "string" ||
            (type === "EMAIL" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(receiver))
          )
            return validation(`items[${i}].receiver`, "Receiver is invalid or does not match with type");
          const checked = checkAmount(item.amount, `items[${i}].amount`, "currency");
          if (isReply(checked)) return checked;
        }
        const senderBatchId = header.sender_batch_id;
        if (senderBatchId && senderBatchIds.has(senderBatchId)) {
          const existing = senderBatchIds.get(senderBatchId)!;
          return {
            status: 400,
            json: {
              name: "USER_BUSINESS_ERROR",
              message: "User business error.",
              debug_id: upperId(13).toLowerCase(),
              information_link: "https://developer.paypal.com/docs/api/payments.payouts-batch/#errors",
              details: [
                {
                  field: "SENDER_BATCH_ID",
                  location: "body",
                  issue: `Batch with given sender_batch_id already exists`,
                },
              ],
              links: [
                {
                  href: `${base}/v1/payments/payouts/${existing}`,
                  rel: "self",
                  method: "GET",
                  encType: "application/json",
                },
              ],
            },
          };
        }
        const batchId = upperId(13);
        if (senderBatchId) senderBatchIds.set(senderBatchId, batchId);
        const batch = {
          batch_header: {
            payout_batch_id: batchId,
            batch_status: "PENDING",
            time_created: now(),
            sender_batch_header: header,
            amount: items[0]!.amount,
          },
          items: items.map((item) => ({
            payout_item_id: upperId(13),
            transaction_status: "PENDING",
            payout_batch_id: batchId,
            payout_item: item,
          })),
          links: [
            {
              href: `${base}/v1/payments/payouts/${batchId}`,
              rel: "self",
              method: "GET",
              encType: "application/json",
            },
          ],
        };
        payouts.set(batchId, batch);
        return {
          status: 201,
          json: {
            batch_header: { payout_batch_id: batchId, batch_status: "PENDING", sender_batch_header: header },
            links: batch.links,
          },
        };
      }),
    ),

    route("GET", "/v1/payments/payouts/:id", (req) => {
      const batch = payouts.get(req.params.id!);
      return batch ? { status: 200, json: batch } : notFound(req.params.id!);
    }),

    route("POST", "/v1/notifications/verify-webhook-signature", (req) => {
      const body = json(req);
      if (isReply(body)) return body;
      for (const field of [
        "auth_algo",
        "cert_url",
        "transmission_id",
        "transmission_sig",
        "transmission_time",
        "webhook_id",
        "webhook_event",
      ])
        if (body[field] === undefined || body[field] === "")
          return err(400, "VALIDATION_ERROR", "Invalid request - see details", [
            {
              field,
              location: "body",
              issue: "MISSING_REQUIRED_PARAMETER",
              description: "A required field is missing.",
            },
          ]);
      const ok =
        body.auth_algo === "SHA256withRSA" &&
        body.cert_url === `${base}/v1/notifications/certs/${certId}` &&
        body.webhook_id === opts.webhookId &&
        (() => {
          const crc = crc32(Buffer.from(JSON.stringify(body.webhook_event)));
          const message = `${body.transmission_id}|${body.transmission_time}|${body.webhook_id}|${crc}`;
          try {
            return verify(
              "sha256",
              Buffer.from(message),
              publicKey,
              Buffer.from(String(body.transmission_sig), "base64"),
            );
          } catch {
            return false;
          }
        })();
      return { status: 200, json: { verification_status: ok ? "SUCCESS" : "FAILURE" } };
    }),

    route("GET", "/v1/notifications/certs/:id", (req) =>
      req.params.id === certId
        ? {
            status: 200,
            text: publicKey.export({ type: "spki", format: "pem" }).toString(),
            contentType: "application/x-pem-file",
          }
        : notFound(req.params.id!),
    ),

    route("GET", "/checkoutnow", (req) => {
      const order = orders.get(req.query.get("token") ?? "");
      if (!order) return { status: 404, text: "Unknown checkout session" };
      const pu = order.purchase_units[0]!;
      return {
        status: 200,
        contentType: "text/html; charset=utf-8",
        text: `<!doctype html><title>PayPal Checkout (emulator)</title><h1>PayPal</h1><p>Pay ${pu.amount.value} ${pu.amount.currency_code}</p>
          <form method="post" action="/checkoutnow/approve"><input type="hidden" name="token" value="${order.id}"><button data-testid="paypal-approve">Complete Purchase</button></form>
          <form method="post" action="/checkoutnow/cancel"><input type="hidden" name="token" value="${order.id}"><button>Cancel and return</button></form>`,
      };
    }),

    route("POST", "/checkoutnow/:action", (req) => {
      const token = new URLSearchParams(req.rawBody).get("token") ?? "";
      const order = orders.get(token);
      if (!order) return { status: 404, text: "Unknown checkout session" };
      if (req.params.action === "approve") {
        emulator.approve(order.id);
        return {
          status: 302,
          redirect: `${order.returnUrl ?? `${base}/`}?token=${order.id}&PayerID=${order.payer!.payer_id}`,
        };
      }
      return { status: 302, redirect: `${order.cancelUrl ?? `${base}/`}?token=${order.id}` };
    }),
  ];

  const server = await serve({
    routes,
    before: (req) => {
      const open =
        req.path === "/v1/oauth2/token" ||
        req.path.startsWith("/checkoutnow") ||
        req.path.startsWith("/v1/notifications/certs");
      if (open) return undefined;
      if (failures && failures.times > 0) {
        failures.times--;
        if (failures.status === 429)
          return err(429, "RATE_LIMIT_REACHED", "Too many requests. Blocked due to rate limiting.");
        return err(failures.status, "INTERNAL_SERVER_ERROR", "An internal server error has occurred.");
      }
      return bearer(req);
    },
    notFound: () => err(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist."),
  });
  base = server.url;

  const emulator: PayPalEmulator = {
    ...server,
    approve(orderId, o = {}) {
      const order = orders.get(orderId);
      if (!order) throw new Error(`no order ${orderId}`);
      if (order.status !== "CREATED" && order.status !== "PAYER_ACTION_REQUIRED")
        throw new Error(`order ${orderId} is ${order.status}`);
      order.status = "APPROVED";
      order.declineInstrument = o.declineInstrument ?? false;
      order.payer = {
        payer_id: upperId(13),
        email_address: "buyer@example.com",
        name: { given_name: "Test", surname: "Buyer" },
      };
      order.update_time = now();
      emit(
        "CHECKOUT.ORDER.APPROVED",
        "checkout-order",
        "An order has been approved by buyer",
        orderView(order, true),
      );
    },
    reverseCapture(captureId) {
      const capture = captures.get(captureId);
      if (!capture) throw new Error(`no capture ${captureId}`);
      capture.reversed = true;
      emit(
        "PAYMENT.CAPTURE.REVERSED",
        "refund",
        `A ${capture.amount.value} ${capture.amount.currency_code} capture payment was reversed`,
        {
          id: upperId(17),
          status: "COMPLETED",
          amount: capture.amount,
          note_to_payer: "Payment reversed",
          create_time: now(),
          update_time: now(),
          links: [{ href: `${base}/v2/payments/captures/${capture.id}`, rel: "up", method: "GET" }],
        },
      );
    },
    completePayout(batchId, status = "SUCCESS") {
      const batch = payouts.get(batchId) as
        | { batch_header: Record<string, unknown>; items: Array<Record<string, unknown>> }
        | undefined;
      if (!batch) throw new Error(`no payout ${batchId}`);
      batch.batch_header.batch_status = status;
      batch.batch_header.time_completed = now();
      for (const item of batch.items) item.transaction_status = status === "SUCCESS" ? "SUCCESS" : "DENIED";
      emit(`PAYMENT.PAYOUTSBATCH.${status}`, "payouts", `Payouts batch ${status.toLowerCase()}`, {
        batch_header: batch.batch_header,
        links: [],
      });
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, 0);
    },
    failNext(status, times = 1) {
      failures = { status, times };
    },
    forgetRequestIds() {
      requestIds.clear();
    },
    signedDelivery(event, o = {}) {
      const rawBody = JSON.stringify(event);
      const transmissionId = randomUUID();
      const transmissionTime = (o.transmissionTime ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
      const message = `${transmissionId}|${transmissionTime}|${o.webhookId ?? opts.webhookId}|${crc32(Buffer.from(rawBody))}`;
      return {
        rawBody,
        headers: {
          "content-type": "application/json",
          "paypal-auth-algo": "SHA256withRSA",
          "paypal-cert-url": `${base}/v1/notifications/certs/${certId}`,
          "paypal-transmission-id": transmissionId,
          "paypal-transmission-sig": sign("sha256", Buffer.from(message), privateKey).toString("base64"),
          "paypal-transmission-time": transmissionTime,
        },
      };
    },
    get events() {
      return state.events;
    },
    get deliveries() {
      return state.deliveries;
    },
    get tokenRequests() {
      return state.tokenRequests;
    },
    get postsWithoutRequestId() {
      return state.postsWithoutRequestId;
    },
    async idle() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
  return emulator;
}
