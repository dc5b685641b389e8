/** The Stripe adapter (official SDK inside) against the local Stripe emulator, over real HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { waitFor } from "../../../../scripts/lib/ports.ts";
import { type StripeEmulator, startStripeEmulator } from "../../../../test/emulators/stripe.ts";
import { memoryWebhookEventLog } from "../../../../test/harness/memoryWebhookEventLog.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../../../test/harness/webhookReceiver.ts";
import {
  PaymentDeclinedError,
  ProviderAuthenticationError,
  ProviderIdempotencyError,
  ProviderNotFoundError,
  ProviderRateLimitError,
  ProviderUnavailableError,
  ProviderValidationError,
  RefundExceedsCaptureError,
  SessionNotApprovedError,
} from "../errors.ts";
import type { CreateSessionInput, FiatProvider } from "../provider.ts";
import { receiveWebhook } from "../receiveWebhook.ts";
import { stripeAdapter } from "./adapter.ts";
import type { StripeConfig } from "./config.ts";
import { fromStripeAmount, toStripeAmount } from "./mapping.ts";

const secretKey = "sk_test_pier0123456789";
const webhookSecret = "whsec_pier0123456789abcdef";
const merchantAccount = "acct_1PierMerchant0000001";
let emu: StripeEmulator;
let hooks: WebhookReceiver;
let config: StripeConfig;
let adapter: FiatProvider;
let n = 0;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  emu = await startStripeEmulator({ secretKey, webhookSecret, webhookUrl: hooks.url });
  config = {
    secretKey,
    webhookSecret,
    host: emu.host,
    port: emu.port,
    protocol: "http",
    timeoutMs: 5_000,
    maxNetworkRetries: 0,
  };
  adapter = stripeAdapter(config);
});
afterAll(async () => {
  await emu?.close();
  await hooks?.close();
});
beforeEach(async () => {
  await emu.idle();
  hooks.received.length = 0;
});

function input(p: Partial<CreateSessionInput> = {}): CreateSessionInput {
  n++;
  return {
    order: { id: `ord_st${n}`, onchainOrderId: `0x${"ab".repeat(32)}`, description: "Lamp" },
    amount: { value: "30.00", currency: "USD" },
    returnUrl: "https://shop.example/return",
    cancelUrl: "https://shop.example/cancel",
    idempotencyKey: `st-${n}-${Math.random()}`,
    wallet: "apple_pay",
    ...p,
  };
}

describe("stripe adapter", () => {
  test("default: Apple Pay session -> wallet confirm -> capture -> refunds -> payout, webhooks verified", async () => {
    const session = await adapter.createSession(input());
    expect(session).toMatchObject({
      provider: "stripe",
      status: "created",
      amount: { value: "30.00", currency: "USD" },
    });
    expect(session.providerRef).toMatch(/^pi_/);
    expect(session.clientSecret).toMatch(/^pi_.+_secret_/);
    expect(session.approvalUrl).toBeUndefined();

    const approved = emu.confirmWithWallet(session.providerRef, "apple_pay");
    expect(approved.status).toBe("requires_capture");
    const capture = await adapter.capture(session.providerRef);
    expect(capture).toMatchObject({
      status: "captured",
      providerStatus: "succeeded",
      amount: { value: "30.00", currency: "USD" },
    });
    expect(capture.captureRef).toMatch(/^ch_/);
    expect((await adapter.capture(session.providerRef)).captureRef).toBe(capture.captureRef);

    const r1 = await adapter.refund({
      captureRef: capture.captureRef,
      amount: { value: "10.00", currency: "USD" },
      idempotencyKey: `r1${n}`,
    });
    expect(r1).toMatchObject({
      status: "succeeded",
      amount: { value: "10.00", currency: "USD" },
      captureRef: capture.captureRef,
    });
    expect(r1.refundRef).toMatch(/^re_/);

    const payout = await adapter.payout({
      recipient: merchantAccount,
      amount: { value: "25.00", currency: "USD" },
      idempotencyKey: `po${n}`,
    });
    expect(payout).toMatchObject({ status: "paid", amount: { value: "25.00", currency: "USD" } });
    expect(payout.payoutRef).toMatch(/^tr_/);

    await emu.idle();
    const events = [];
    for (const r of hooks.received) events.push(await adapter.verifyWebhook(r.rawBody, r.headers));
    const mine = events.filter((e) => e.kind !== "payment" || e.providerRef === session.providerRef);
    expect(mine.map((e) => `${e.providerType}:${"status" in e ? e.status : e.kind}`)).toEqual([
      "payment_intent.created:created",
      "payment_intent.amount_capturable_updated:approved",
      "charge.captured:other",
      "payment_intent.succeeded:captured",
      "refund.created:succeeded",
      "charge.refunded:other",
      "transfer.created:paid",
    ]);
  });

  test("behavior: Stripe's amount exponents differ from ISO's where Stripe says so", () => {
    expect(toStripeAmount({ value: "1234", currency: "JPY" })).toEqual({ amount: 1234, currency: "jpy" });
    expect(toStripeAmount({ value: "1.230", currency: "KWD" })).toEqual({ amount: 1230, currency: "kwd" });
    expect(toStripeAmount({ value: "500", currency: "ISK" })).toEqual({ amount: 50000, currency: "isk" });
    expect(toStripeAmount({ value: "12.00", currency: "MGA" })).toEqual({ amount: 12, currency: "mga" });
    expect(fromStripeAmount(50000, "isk")).toEqual({ value: "500", currency: "ISK" });
    expect(fromStripeAmount(12, "mga")).toEqual({ value: "12.00", currency: "MGA" });
    expect(() => toStripeAmount({ value: "1.235", currency: "KWD" })).toThrow(ProviderValidationError);
    expect(() => toStripeAmount({ value: "12.50", currency: "MGA" })).toThrow(ProviderValidationError);
  });

  test("behavior: JPY and KWD sessions round-trip through the SDK", async () => {
    const jpy = await adapter.createSession(input({ amount: { value: "4500", currency: "JPY" } }));
    expect(jpy.amount).toEqual({ value: "4500", currency: "JPY" });
    const kwd = await adapter.createSession(input({ amount: { value: "12.340", currency: "KWD" } }));
    expect(kwd.amount).toEqual({ value: "12.340", currency: "KWD" });
  });

  test("behavior: Google Pay that needs 3-D Secure is requires_action", async () => {
    const session = await adapter.createSession(input({ wallet: "google_pay" }));
    emu.confirmWithWallet(session.providerRef, "google_pay", "action");
    await emu.idle();
    const last = hooks.received.at(-1)!;
    expect(await adapter.verifyWebhook(last.rawBody, last.headers)).toMatchObject({
      providerType: "payment_intent.requires_action",
      status: "requires_action",
    });
    await expect(adapter.capture(session.providerRef)).rejects.toBeInstanceOf(SessionNotApprovedError);
  });

  test("error: each Stripe error maps to a typed error", async () => {
    const fresh = await adapter.createSession(input());
    await expect(adapter.capture(fresh.providerRef)).rejects.toMatchObject({
      constructor: SessionNotApprovedError,
      providerCode: "requires_payment_method",
    });

    const declined = await adapter.createSession(input());
    expect(() => emu.confirmWithWallet(declined.providerRef, "apple_pay", "declined")).toThrow();
    await expect(adapter.capture(declined.providerRef)).rejects.toMatchObject({
      constructor: PaymentDeclinedError,
      providerCode: "generic_decline",
    });

    const paid = await adapter.createSession(input());
    emu.confirmWithWallet(paid.providerRef, "apple_pay");
    const capture = await adapter.capture(paid.providerRef);
    const refund = (value: string, key: string) =>
      adapter.refund({
        captureRef: capture.captureRef,
        amount: { value, currency: "USD" },
        idempotencyKey: key + n,
      });
    await expect(refund("30.01", "over")).rejects.toMatchObject({
      constructor: RefundExceedsCaptureError,
      providerCode: "amount_too_large",
    });
    await refund("30.00", "all");
    await expect(refund("1.00", "more")).rejects.toMatchObject({
      constructor: RefundExceedsCaptureError,
      providerCode: "charge_already_refunded",
    });
    await expect(
      adapter.refund({
        captureRef: capture.captureRef,
        amount: { value: "1.00", currency: "EUR" },
        idempotencyKey: "cur",
      }),
    ).rejects.toMatchObject({ constructor: ProviderValidationError, param: "amount.currency" });

    await expect(adapter.capture("pi_doesnotexist")).rejects.toMatchObject({
      constructor: ProviderNotFoundError,
      providerCode: "resource_missing",
      providerStatus: 404,
    });
    await expect(
      adapter.createSession(input({ amount: { value: "0.20", currency: "USD" } })),
    ).rejects.toMatchObject({
      constructor: ProviderValidationError,
      providerCode: "amount_too_small",
      param: "amount",
    });
    await expect(
      adapter.payout({
        recipient: "acct_unknown",
        amount: { value: "1.00", currency: "USD" },
        idempotencyKey: `x${n}`,
      }),
    ).rejects.toMatchObject({ constructor: ProviderNotFoundError, param: "destination" });

    const same = input();
    await adapter.createSession(same);
    await expect(
      adapter.createSession({ ...same, amount: { value: "31.00", currency: "USD" } }),
    ).rejects.toBeInstanceOf(ProviderIdempotencyError);

    const wrongKey = stripeAdapter({ ...config, secretKey: "sk_test_wrong" });
    await expect(wrongKey.createSession(input())).rejects.toMatchObject({
      constructor: ProviderAuthenticationError,
      statusCode: 502,
    });
    emu.failNext(500);
    await expect(adapter.createSession(input())).rejects.toMatchObject({
      constructor: ProviderUnavailableError,
      retryable: true,
    });
    emu.failNext(429);
    await expect(adapter.createSession(input())).rejects.toBeInstanceOf(ProviderRateLimitError);
  });
});

describe("stripe webhooks", () => {
  async function capturableEvent() {
    const session = await adapter.createSession(input());
    emu.confirmWithWallet(session.providerRef, "google_pay");
    return emu.events.findLast((e) => e.type === "payment_intent.amount_capturable_updated")!;
  }

  test("default: delivered over HTTP and verified with the SDK", async () => {
    const event = await capturableEvent();
    await waitFor("delivery", async () => hooks.received.find((r) => r.body?.id === event.id));
    const r = hooks.received.find((x) => x.body?.id === event.id)!;
    expect(await adapter.verifyWebhook(r.rawBody, r.headers)).toMatchObject({
      kind: "payment",
      status: "approved",
      id: event.id,
    });
  });

  test("error: forged with another secret, tampered body, missing header", async () => {
    const { rawBody, headers } = emu.signedDelivery(await capturableEvent());
    const forged = { ...headers, "stripe-signature": emu.sign(rawBody, undefined, "whsec_attacker") };
    await expect(adapter.verifyWebhook(rawBody, forged)).rejects.toMatchObject({
      reason: "signature_mismatch",
    });
    await expect(
      adapter.verifyWebhook(rawBody.replace('"amount": 3000', '"amount": 1'), headers),
    ).rejects.toMatchObject({
      reason: "signature_mismatch",
    });
    await expect(adapter.verifyWebhook(rawBody, {})).rejects.toMatchObject({ reason: "missing_signature" });
    await expect(adapter.verifyWebhook(rawBody, { "stripe-signature": "nonsense" })).rejects.toMatchObject({
      reason: "malformed",
    });
  });

  test("error: replayed with an old timestamp, or a duplicate event id", async () => {
    const event = await capturableEvent();
    const old = emu.signedDelivery(event, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    await expect(adapter.verifyWebhook(old.rawBody, old.headers)).rejects.toMatchObject({
      reason: "timestamp_outside_tolerance",
    });
    const log = memoryWebhookEventLog();
    const a = emu.signedDelivery(event);
    expect((await receiveWebhook(adapter, log, a.rawBody, a.headers)).duplicate).toBe(false);
    expect((await receiveWebhook(adapter, log, a.rawBody, a.headers)).duplicate).toBe(true);
  });

  test("behavior: a dispute is a reversal of the payment", async () => {
    const session = await adapter.createSession(input());
    emu.confirmWithWallet(session.providerRef, "apple_pay");
    const capture = await adapter.capture(session.providerRef);
    emu.dispute(capture.captureRef);
    const event = emu.events.findLast((e) => e.type === "charge.dispute.created")!;
    const { rawBody, headers } = emu.signedDelivery(event);
    expect(await adapter.verifyWebhook(rawBody, headers)).toMatchObject({
      kind: "payment",
      status: "reversed",
      providerRef: session.providerRef,
      captureRef: capture.captureRef,
    });
  });
});
