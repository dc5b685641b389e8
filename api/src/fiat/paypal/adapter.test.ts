/** The PayPal adapter against the local PayPal emulator (test/emulators/paypal.ts), over real HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { waitFor } from "../../../../scripts/lib/ports.ts";
import { type PayPalEmulator, startPayPalEmulator } from "../../../../test/emulators/paypal.ts";
import { memoryWebhookEventLog } from "../../../../test/harness/memoryWebhookEventLog.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../../../test/harness/webhookReceiver.ts";
import {
  PaymentDeclinedError,
  ProviderAuthenticationError,
  ProviderNotFoundError,
  ProviderRateLimitError,
  ProviderUnavailableError,
  ProviderValidationError,
  RefundExceedsCaptureError,
  SessionNotApprovedError,
} from "../errors.ts";
import type { CreateSessionInput, FiatProvider } from "../provider.ts";
import { receiveWebhook } from "../receiveWebhook.ts";
import { paypalAdapter } from "./adapter.ts";
import type { PayPalConfig } from "./config.ts";
import { type PayPalOrder, toSession } from "./mapping.ts";
import { PayPalTransport } from "./transport.ts";

const creds = {
  clientId: "AXpier-client-id",
  clientSecret: "EFpier-client-secret",
  webhookId: "4JH86294D6297924G",
};
let paypal: PayPalEmulator;
let hooks: WebhookReceiver;
let config: PayPalConfig;
let adapter: FiatProvider;
let n = 0;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  paypal = await startPayPalEmulator({ ...creds, webhookUrl: hooks.url });
  config = { ...creds, baseUrl: paypal.url, timeoutMs: 5_000 };
  adapter = paypalAdapter(config);
});
afterAll(async () => {
  await paypal?.close();
  await hooks?.close();
});
beforeEach(async () => {
  await paypal.idle(); // deliveries of the previous test land before the slate is wiped
  hooks.received.length = 0;
});

function input(p: Partial<CreateSessionInput> = {}): CreateSessionInput {
  n++;
  return {
    order: { id: `ord_pp${n}`, description: "Tea set" },
    amount: { value: "42.50", currency: "EUR" },
    returnUrl: "https://shop.example/paypal/return",
    cancelUrl: "https://shop.example/paypal/cancel",
    idempotencyKey: `pp-${n}-${Math.random()}`,
    ...p,
  };
}

async function approvedSession(p: Partial<CreateSessionInput> = {}) {
  const session = await adapter.createSession(input(p));
  paypal.approve(session.providerRef);
  return session;
}

describe("paypal adapter", () => {
  test("default: create -> buyer approves -> capture -> refunds, every POST with PayPal-Request-Id", async () => {
    const session = await adapter.createSession(input());
    expect(session).toMatchObject({
      provider: "paypal",
      status: "requires_action",
      providerStatus: "PAYER_ACTION_REQUIRED",
    });
    expect(session.providerRef).toMatch(/^[0-9A-Z]{17}$/);
    expect(session.approvalUrl).toBe(`${paypal.url}/checkoutnow?token=${session.providerRef}`);

    expect(await (await fetch(session.approvalUrl!)).text()).toContain("Pay 42.50 EUR");
    const back = await fetch(`${paypal.url}/checkoutnow/approve`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `token=${session.providerRef}`,
      redirect: "manual",
    });
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toMatch(
      new RegExp(`^https://shop.example/paypal/return\\?token=${session.providerRef}&PayerID=[0-9A-Z]{13}$`),
    );

    const capture = await adapter.capture(session.providerRef);
    expect(capture).toMatchObject({
      providerRef: session.providerRef,
      status: "captured",
      providerStatus: "COMPLETED",
    });
    expect(capture.amount).toEqual({ value: "42.50", currency: "EUR" });

    const part = await adapter.refund({
      captureRef: capture.captureRef,
      amount: { value: "2.5", currency: "EUR" },
      idempotencyKey: `${capture.captureRef}-1`,
    });
    expect(part).toMatchObject({ status: "succeeded", amount: { value: "2.50", currency: "EUR" } });
    await adapter.refund({
      captureRef: capture.captureRef,
      amount: { value: "40.00", currency: "EUR" },
      idempotencyKey: `${capture.captureRef}-2`,
    });
    expect(paypal.postsWithoutRequestId).toEqual([]);

    await waitFor("4 webhooks", async () => hooks.received.length >= 4);
    const events = [];
    for (const r of hooks.received) events.push(await adapter.verifyWebhook(r.rawBody, r.headers));
    expect(events.map((e) => [e.providerType, e.kind, "status" in e ? e.status : ""])).toEqual([
      ["CHECKOUT.ORDER.APPROVED", "payment", "approved"],
      ["PAYMENT.CAPTURE.COMPLETED", "payment", "captured"],
      ["PAYMENT.CAPTURE.REFUNDED", "refund", "succeeded"],
      ["PAYMENT.CAPTURE.REFUNDED", "refund", "succeeded"],
    ]);
    expect(events[1]).toMatchObject({ providerRef: session.providerRef, captureRef: capture.captureRef });
    expect(events[2]).toMatchObject({
      captureRef: capture.captureRef,
      amount: { value: "2.50", currency: "EUR" },
    });
  });

  test("behavior: an order created the legacy way (application_context) links `approve`", async () => {
    const order = await new PayPalTransport(config).request<PayPalOrder>("POST", "/v2/checkout/orders", {
      requestId: `legacy-${n}`,
      body: {
        intent: "CAPTURE",
        purchase_units: [{ amount: { currency_code: "USD", value: "5.00" } }],
        application_context: { return_url: "https://shop.example/r", cancel_url: "https://shop.example/c" },
      },
    });
    expect(toSession(order, { value: "5.00", currency: "USD" })).toMatchObject({
      status: "created",
      providerStatus: "CREATED",
      approvalUrl: `${paypal.url}/checkoutnow?token=${order.id}`,
    });
  });

  test("behavior: JPY and HUF go without decimals on the wire, ISO minor units in ours", async () => {
    const jpy = await approvedSession({ amount: { value: "5000", currency: "JPY" } });
    expect((await adapter.capture(jpy.providerRef)).amount).toEqual({ value: "5000", currency: "JPY" });
    const huf = await approvedSession({ amount: { value: "1500.00", currency: "HUF" } });
    expect((await adapter.capture(huf.providerRef)).amount).toEqual({ value: "1500.00", currency: "HUF" });
    await expect(
      adapter.createSession(input({ amount: { value: "1500.50", currency: "HUF" } })),
    ).rejects.toMatchObject({
      constructor: ProviderValidationError,
      providerCode: "DECIMALS_NOT_SUPPORTED",
    });
  });

  test("behavior: retries are idempotent (create by PayPal-Request-Id, capture by order)", async () => {
    const i = input();
    const a = await adapter.createSession(i);
    expect((await adapter.createSession(i)).providerRef).toBe(a.providerRef);
    paypal.approve(a.providerRef);
    const first = await adapter.capture(a.providerRef);
    expect((await adapter.capture(a.providerRef)).captureRef).toBe(first.captureRef); // replayed by request id
    expect((await adapter.capture(a.providerRef, { idempotencyKey: "other" })).captureRef).toBe(
      first.captureRef,
    );
  });

  test("behavior: payout for a merchant withdrawal, its webhook, and a replay after PayPal forgot the request id", async () => {
    const payout = await adapter.payout({
      recipient: "merchant@example.com",
      amount: { value: "120.00", currency: "USD" },
      idempotencyKey: `wd-${Math.random()}`,
      note: "Pier withdrawal",
    });
    expect(payout).toMatchObject({ status: "pending", providerStatus: "PENDING" });
    paypal.completePayout(payout.payoutRef);
    await waitFor("payout webhook", async () => hooks.received.length >= 1);
    const event = await adapter.verifyWebhook(hooks.received[0]!.rawBody, hooks.received[0]!.headers);
    expect(event).toMatchObject({ kind: "payout", payoutRef: payout.payoutRef, status: "paid" });

    const key = `wd-${Math.random()}`;
    const req = {
      recipient: "merchant@example.com",
      amount: { value: "5.00", currency: "USD" },
      idempotencyKey: key,
    };
    const first = await adapter.payout(req);
    expect((await adapter.payout(req)).payoutRef).toBe(first.payoutRef);
    paypal.forgetRequestIds();
    expect((await adapter.payout(req)).payoutRef).toBe(first.payoutRef); // duplicate sender_batch_id -> same batch
  });

  test("behavior: reversal webhook resolves the order through the capture", async () => {
    const session = await approvedSession();
    const capture = await adapter.capture(session.providerRef);
    await paypal.idle();
    hooks.received.length = 0;
    paypal.reverseCapture(capture.captureRef);
    await waitFor("reversal webhook", async () => hooks.received.length >= 1);
    const event = await adapter.verifyWebhook(hooks.received[0]!.rawBody, hooks.received[0]!.headers);
    expect(event).toMatchObject({
      kind: "payment",
      status: "reversed",
      providerRef: session.providerRef,
      captureRef: capture.captureRef,
    });
  });

  test("error: each PayPal error response maps to a typed error", async () => {
    const session = await adapter.createSession(input());
    const notApproved = await adapter.capture(session.providerRef).catch((e) => e);
    expect(notApproved).toBeInstanceOf(SessionNotApprovedError);
    expect(notApproved).toMatchObject({
      providerCode: "ORDER_NOT_APPROVED",
      providerStatus: 422,
      statusCode: 409,
    });
    expect(notApproved.debugId).toMatch(/^[0-9a-z]{13}$/);

    const declined = await adapter.createSession(input());
    paypal.approve(declined.providerRef, { declineInstrument: true });
    await expect(adapter.capture(declined.providerRef)).rejects.toMatchObject({
      constructor: PaymentDeclinedError,
      providerCode: "INSTRUMENT_DECLINED",
    });

    const ok = await approvedSession({ amount: { value: "10.00", currency: "USD" } });
    const capture = await adapter.capture(ok.providerRef);
    const refund = (value: string, key: string) =>
      adapter.refund({
        captureRef: capture.captureRef,
        amount: { value, currency: "USD" },
        idempotencyKey: key,
      });
    await expect(refund("10.01", "r-over")).rejects.toMatchObject({
      constructor: RefundExceedsCaptureError,
      providerCode: "REFUND_AMOUNT_EXCEEDED",
    });
    await refund("10.00", "r-all");
    await expect(refund("0.01", "r-more")).rejects.toMatchObject({
      constructor: RefundExceedsCaptureError,
      providerCode: "CAPTURE_FULLY_REFUNDED",
    });

    await expect(adapter.capture("0NOSUCHORDER00000")).rejects.toMatchObject({
      constructor: ProviderNotFoundError,
      providerCode: "INVALID_RESOURCE_ID",
    });
    await expect(
      adapter.createSession(input({ amount: { value: "1.000", currency: "KWD" } })),
    ).rejects.toMatchObject({
      constructor: ProviderValidationError,
      providerCode: "CURRENCY_NOT_SUPPORTED",
      providerStatus: 422,
    });
    const schema = await new PayPalTransport(config)
      .request("POST", "/v2/checkout/orders", { requestId: "bad-body", body: { purchase_units: [] } })
      .catch((e: ProviderValidationError) => e);
    expect(schema).toMatchObject({
      constructor: ProviderValidationError,
      providerStatus: 400,
      param: "/intent",
    });
    expect((schema as ProviderValidationError).details[0]).toMatchObject({
      issue: "MISSING_REQUIRED_PARAMETER",
    });

    const badSecret = paypalAdapter({ ...config, clientSecret: "wrong" });
    await expect(badSecret.createSession(input())).rejects.toMatchObject({
      constructor: ProviderAuthenticationError,
      providerCode: "invalid_client",
      statusCode: 502,
    });

    paypal.failNext(500);
    await expect(adapter.createSession(input())).rejects.toMatchObject({
      constructor: ProviderUnavailableError,
      retryable: true,
    });
    paypal.failNext(429);
    await expect(adapter.createSession(input())).rejects.toBeInstanceOf(ProviderRateLimitError);
  });
});

describe("paypal transport", () => {
  test("default: one token for many calls, cached until near expiry", async () => {
    const transport = new PayPalTransport(config);
    const before = paypal.tokenRequests;
    await Promise.all([1, 2, 3].map(() => transport.accessToken()));
    await transport.request(
      "GET",
      `/v2/checkout/orders/${(await adapter.createSession(input())).providerRef}`,
    );
    expect(paypal.tokenRequests - before).toBe(1);
  });

  test("behavior: refetches when the cached token nears expiry", async () => {
    let t = 1_000_000;
    const transport = new PayPalTransport({ ...config, now: () => t });
    const before = paypal.tokenRequests;
    const first = await transport.accessToken();
    t += 32_400_000 - 60_001; // within a minute of the 9 h expiry
    expect(await transport.accessToken()).toBe(first);
    t += 2;
    expect(await transport.accessToken()).not.toBe(first);
    expect(paypal.tokenRequests - before).toBe(2);
  });

  test("behavior: a token PayPal rejects (401 invalid_token) is replaced once and the call succeeds", async () => {
    const transport = new PayPalTransport(config);
    const order = await adapter.createSession(input());
    await transport.accessToken();
    paypal.expireTokens();
    const before = paypal.tokenRequests;
    await expect(transport.request("GET", `/v2/checkout/orders/${order.providerRef}`)).resolves.toMatchObject(
      {
        id: order.providerRef,
      },
    );
    expect(paypal.tokenRequests - before).toBe(1);
  });
});

describe("paypal transport: tokens PayPal keeps refusing", () => {
  test("error: 401 invalid_token after a fresh token too is ProviderAuthenticationError", async () => {
    const instant = await startPayPalEmulator({ ...creds, tokenTtlSeconds: 0 });
    try {
      const transport = new PayPalTransport({ ...config, baseUrl: instant.url });
      const error = await transport.request("GET", "/v2/checkout/orders/ANY").catch((e) => e);
      expect(error).toMatchObject({
        constructor: ProviderAuthenticationError,
        providerCode: "invalid_token",
        providerStatus: 401,
      });
      expect(instant.tokenRequests).toBe(2);
    } finally {
      await instant.close();
    }
  });
});

describe("paypal webhooks", () => {
  async function approvalEvent() {
    const session = await adapter.createSession(input());
    paypal.approve(session.providerRef);
    return paypal.events.findLast((e) => e.event_type === "CHECKOUT.ORDER.APPROVED")!;
  }

  test("default: verified through PayPal's verify endpoint", async () => {
    const { rawBody, headers } = paypal.signedDelivery(await approvalEvent());
    await expect(adapter.verifyWebhook(rawBody, headers)).resolves.toMatchObject({
      kind: "payment",
      status: "approved",
    });
  });

  test("error: forged signature, tampered body, another webhook's signature", async () => {
    const event = await approvalEvent();
    const { rawBody, headers } = paypal.signedDelivery(event);
    const forged = { ...headers, "paypal-transmission-sig": Buffer.from("x".repeat(256)).toString("base64") };
    await expect(adapter.verifyWebhook(rawBody, forged)).rejects.toMatchObject({
      reason: "verification_failed",
    });
    const tampered = rawBody.replace('"42.50"', '"0.01"');
    expect(tampered).not.toBe(rawBody);
    await expect(adapter.verifyWebhook(tampered, headers)).rejects.toMatchObject({
      reason: "verification_failed",
    });
    const other = paypal.signedDelivery(event, { webhookId: "9OTHERWEBHOOK00" });
    await expect(adapter.verifyWebhook(other.rawBody, other.headers)).rejects.toMatchObject({
      reason: "verification_failed",
    });
    const { "paypal-transmission-sig": _, ...missing } = headers;
    await expect(adapter.verifyWebhook(rawBody, missing)).rejects.toMatchObject({
      reason: "missing_signature",
    });
  });

  test("error: replayed with an old transmission time, or a duplicate event id", async () => {
    const event = await approvalEvent();
    const old = paypal.signedDelivery(event, { transmissionTime: new Date(Date.now() - 301_000) });
    await expect(adapter.verifyWebhook(old.rawBody, old.headers)).rejects.toMatchObject({
      reason: "timestamp_outside_tolerance",
    });
    const log = memoryWebhookEventLog();
    const a = paypal.signedDelivery(event);
    const b = paypal.signedDelivery(event);
    expect((await receiveWebhook(adapter, log, a.rawBody, a.headers)).duplicate).toBe(false);
    expect((await receiveWebhook(adapter, log, b.rawBody, b.headers)).duplicate).toBe(true);
  });
});
