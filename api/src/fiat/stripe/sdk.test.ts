/**
 * The official stripe-node SDK pointed at the local Stripe emulator: if the SDK cannot tell the
 * difference for what Pier uses, the adapter's tests against the emulator mean something.
 */
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type StripeEmulator, startStripeEmulator } from "../../../../test/emulators/stripe.ts";

const secretKey = "sk_test_pier0123456789";
const webhookSecret = "whsec_pier0123456789abcdef";
let emu: StripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  emu = await startStripeEmulator({ secretKey, webhookSecret });
  stripe = new Stripe(secretKey, {
    host: emu.host,
    port: emu.port,
    protocol: "http",
    maxNetworkRetries: 0,
    telemetry: false,
  });
});
afterAll(() => emu?.close());

describe("stripe-node against the emulator", () => {
  test("default: PaymentIntent create -> confirm -> capture -> refund, form-encoded, with Request-Id", async () => {
    const pi = await stripe.paymentIntents.create(
      {
        amount: 2000,
        currency: "usd",
        capture_method: "manual",
        allowed_payment_method_types: ["card"],
        metadata: { pier_order_id: "ord_1" },
      },
      { idempotencyKey: "create-1" },
    );
    expect(pi).toMatchObject({
      object: "payment_intent",
      status: "requires_payment_method",
      amount: 2000,
      currency: "usd",
    });
    expect(pi.id).toMatch(/^pi_[0-9A-Za-z]{24}$/);
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
    expect(pi.metadata).toEqual({ pier_order_id: "ord_1" });
    expect(pi.lastResponse.requestId).toMatch(/^req_/);
    expect(pi.lastResponse.statusCode).toBe(200);
    const sent = emu.requests.findLast((r) => r.path === "/v1/payment_intents")!;
    expect(sent.contentType).toBe("application/x-www-form-urlencoded");
    expect(sent.stripeVersion).toMatch(/^\d{4}-\d{2}-\d{2}/);

    const confirmed = await stripe.paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa" });
    expect(confirmed).toMatchObject({ status: "requires_capture", amount_capturable: 2000 });
    const captured = await stripe.paymentIntents.capture(pi.id);
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 2000 });
    expect(captured.latest_charge).toMatch(/^ch_/);
    const charge = await stripe.charges.retrieve(captured.latest_charge as string);
    expect(charge).toMatchObject({
      object: "charge",
      captured: true,
      amount_captured: 2000,
      payment_intent: pi.id,
    });

    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 500 });
    expect(refund).toMatchObject({ object: "refund", status: "succeeded", amount: 500, charge: charge.id });
    expect(refund.id).toMatch(/^re_/);
    expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({ id: refund.id });
  });

  test("behavior: list envelopes and auto-pagination", async () => {
    for (let i = 0; i < 3; i++) await stripe.paymentIntents.create({ amount: 100 + i, currency: "eur" });
    const page = await stripe.paymentIntents.list({ limit: 2 });
    expect(page).toMatchObject({ object: "list", has_more: true, url: "/v1/payment_intents" });
    expect(page.data).toHaveLength(2);
    const all: string[] = [];
    for await (const pi of stripe.paymentIntents.list({ limit: 2 })) all.push(pi.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const events = await stripe.events.list({ limit: 3 });
    expect(events.data[0]).toMatchObject({ object: "event" });
    expect(events.data[0]!.id).toMatch(/^evt_/);
  });

  test("behavior: Idempotency-Key replays the first response", async () => {
    const a = await stripe.paymentIntents.create(
      { amount: 777, currency: "usd" },
      { idempotencyKey: "same-key" },
    );
    const b = await stripe.paymentIntents.create(
      { amount: 777, currency: "usd" },
      { idempotencyKey: "same-key" },
    );
    expect(b.id).toBe(a.id);
    expect(b.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(b.lastResponse.idempotencyKey).toBe("same-key");
  });

  test("error: SDK error classes from the emulator's error bodies", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 5000,
      currency: "usd",
      allowed_payment_method_types: ["card"],
    });
    const declined = await stripe.paymentIntents
      .confirm(pi.id, { payment_method: "pm_card_chargeDeclined" })
      .catch((e) => e);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({
      code: "card_declined",
      decline_code: "generic_decline",
      statusCode: 402,
    });
    expect(declined.requestId).toMatch(/^req_/);

    const missing = await stripe.paymentIntents.retrieve("pi_missing").catch((e) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ code: "resource_missing", param: "intent", statusCode: 404 });

    const unknownParam = await stripe.paymentIntents
      .create({ amount: 100, currency: "usd", bogus: "x" } as never)
      .catch((e) => e);
    expect(unknownParam).toMatchObject({ code: "parameter_unknown", param: "bogus" });
    const noAmount = await stripe.paymentIntents.create({ currency: "usd" } as never).catch((e) => e);
    expect(noAmount).toMatchObject({ code: "parameter_missing", param: "amount" });

    const notCapturable = await stripe.paymentIntents.capture(pi.id).catch((e) => e);
    expect(notCapturable).toMatchObject({ code: "payment_intent_unexpected_state" });
    expect(notCapturable.payment_intent.status).toBe("requires_payment_method");

    await stripe.paymentIntents
      .create({ amount: 1, currency: "jpy" }, { idempotencyKey: "k2" })
      .catch(() => undefined);
    await stripe.paymentIntents.create({ amount: 100, currency: "jpy" }, { idempotencyKey: "k3" });
    const conflict = await stripe.paymentIntents
      .create({ amount: 101, currency: "jpy" }, { idempotencyKey: "k3" })
      .catch((e) => e);
    expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);

    const badKey = new Stripe("sk_test_wrong", {
      host: emu.host,
      port: emu.port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    await expect(badKey.paymentIntents.list()).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );

    emu.failNext(429);
    await expect(stripe.paymentIntents.list()).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    emu.failNext(500);
    await expect(stripe.paymentIntents.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
  });

  test("behavior: constructEvent accepts emulator-signed events and rejects tampered ones", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1500,
      currency: "gbp",
      capture_method: "manual",
    });
    emu.confirmWithWallet(pi.id, "google_pay");
    const event = emu.events.findLast((e) => e.type === "payment_intent.amount_capturable_updated")!;
    const { rawBody, headers } = emu.signedDelivery(event);
    const parsed = stripe.webhooks.constructEvent(rawBody, headers["stripe-signature"]!, webhookSecret);
    expect(parsed).toMatchObject({ type: "payment_intent.amount_capturable_updated", object: "event" });
    expect((parsed.data.object as Stripe.PaymentIntent).status).toBe("requires_capture");

    // The SDK's own test header and the emulator's signature agree byte for byte.
    const t = 1_800_000_000;
    expect(emu.sign(rawBody, t)).toBe(
      stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret: webhookSecret, timestamp: t }),
    );

    const tampered = rawBody.replace('"amount": 1500', '"amount": 1');
    expect(tampered).not.toBe(rawBody);
    expect(() =>
      stripe.webhooks.constructEvent(tampered, headers["stripe-signature"]!, webhookSecret),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    const old = emu.signedDelivery(event, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(() =>
      stripe.webhooks.constructEvent(old.rawBody, old.headers["stripe-signature"]!, webhookSecret),
    ).toThrow(/tolerance/);
  });
});
