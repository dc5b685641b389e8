/**
 * The sandbox adapter against the real simulator on loopback, webhooks delivered to a real receiver.
 * Every failure mode of failureModes.ts has a case here.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { waitFor } from "../../../../scripts/lib/ports.ts";
import { memoryWebhookEventLog } from "../../../../test/harness/memoryWebhookEventLog.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../../../test/harness/webhookReceiver.ts";
import {
  PaymentDeclinedError,
  ProviderAuthenticationError,
  ProviderIdempotencyError,
  ProviderNotFoundError,
  ProviderUnavailableError,
  ProviderValidationError,
  RefundExceedsCaptureError,
  SessionNotApprovedError,
  WebhookVerificationError,
} from "../errors.ts";
import type { CreateSessionInput, FiatEvent, FiatProvider } from "../provider.ts";
import { receiveWebhook } from "../receiveWebhook.ts";
import { sandboxAdapter } from "./adapter.ts";
import { type SandboxWallet, startSandboxWallet } from "./simulator.ts";

const apiKey = "sbx_sk_test_0123456789abcdef";
const webhookSecret = "sbx_whsec_0123456789abcdef";
let sim: SandboxWallet;
let hooks: WebhookReceiver;
let adapter: FiatProvider;
let n = 0;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  sim = await startSandboxWallet({ apiKey, webhookSecret, webhookUrl: hooks.url });
  adapter = sandboxAdapter({ baseUrl: sim.url, apiKey, webhookSecret, timeoutMs: 2_000 });
});
afterAll(async () => {
  await sim?.close();
  await hooks?.close();
});
beforeEach(async () => {
  await sim.idle(); // deliveries of the previous test land before the slate is wiped
  hooks.received.length = 0;
});

function input(p: Partial<CreateSessionInput> = {}): CreateSessionInput {
  n++;
  return {
    order: { id: `ord_test${n}`, description: "Blue mug" },
    amount: { value: "25.00", currency: "EUR" },
    returnUrl: "https://shop.example/return",
    cancelUrl: "https://shop.example/cancel",
    idempotencyKey: `idem_${n}_${Math.random()}`,
    ...p,
  };
}

/** Webhooks received for one session, verified and parsed by the adapter, in arrival order. */
async function eventsFor(ref: string): Promise<FiatEvent[]> {
  const out: FiatEvent[] = [];
  for (const r of hooks.received) {
    const e = await adapter.verifyWebhook(r.rawBody, r.headers);
    const refOf = e.kind === "payment" || e.kind === "refund" ? e.providerRef : undefined;
    if (refOf === ref) out.push(e);
  }
  return out;
}

async function waitForEvents(ref: string, count: number): Promise<FiatEvent[]> {
  return waitFor(`${count} webhooks for ${ref}`, async () => {
    const events = await eventsFor(ref);
    return events.length >= count ? events : undefined;
  });
}

describe("sandbox adapter", () => {
  test("default: create -> customer approves on the page -> capture -> refund, with signed webhooks", async () => {
    const session = await adapter.createSession(input({ wallet: "apple_pay" }));
    expect(session).toMatchObject({
      provider: "sandbox",
      status: "created",
      amount: { value: "25.00", currency: "EUR" },
    });
    expect(session.providerRef).toMatch(/^sbxs_/);
    expect(session.approvalUrl).toBe(`${sim.url}/pay/${session.providerRef}?wallet=apple_pay`);

    const page = await fetch(session.approvalUrl!);
    const html = await page.text();
    expect(html).toContain("Apple Pay");
    expect(html).toContain('<strong data-testid="sandbox-amount">€25.00</strong>');
    const approved = await fetch(`${sim.url}/pay/${session.providerRef}/approve`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "wallet=apple_pay",
      redirect: "manual",
    });
    expect(approved.status).toBe(303);
    expect(approved.headers.get("location")).toBe(
      `https://shop.example/return?session=${session.providerRef}&status=approved`,
    );

    const capture = await adapter.capture(session.providerRef);
    expect(capture).toMatchObject({
      providerRef: session.providerRef,
      status: "captured",
      amount: session.amount,
    });
    expect(capture.captureRef).toMatch(/^sbxc_/);

    const part = await adapter.refund({
      captureRef: capture.captureRef,
      amount: { value: "5.00", currency: "EUR" },
      idempotencyKey: `${capture.captureRef}_r1`,
    });
    expect(part).toMatchObject({ status: "succeeded", captureRef: capture.captureRef });
    await adapter.refund({
      captureRef: capture.captureRef,
      amount: { value: "20.00", currency: "EUR" },
      idempotencyKey: `${capture.captureRef}_r2`,
    });

    const events = await waitForEvents(session.providerRef, 4);
    expect(events.map((e) => [e.providerType, "status" in e ? e.status : undefined])).toEqual([
      ["session.approved", "approved"],
      ["capture.completed", "captured"],
      ["refund.succeeded", "succeeded"],
      ["refund.succeeded", "succeeded"],
    ]);
  });

  test("behavior: the approval page offers each wallet look", async () => {
    const session = await adapter.createSession(input());
    const chooser = await (await fetch(session.approvalUrl!)).text();
    for (const w of ["paypal", "apple_pay", "google_pay"]) expect(chooser).toContain(`choose-${w}`);
    for (const [w, title] of [
      ["paypal", "PayPal"],
      ["google_pay", "Google Pay"],
    ]) {
      const look = await (await fetch(`${session.approvalUrl}?wallet=${w}`)).text();
      expect(look).toContain(`data-wallet="${w}"`);
      expect(look).toContain(`Pay with ${title}`);
    }
  });

  test("behavior: the approval page in Arabic (?lang=ar) is right to left, in Arabic, the amount formatted for it", async () => {
    const session = await adapter.createSession(input({ amount: { value: "1234.5", currency: "EUR" } }));
    const res = await fetch(`${session.approvalUrl}?lang=ar`);
    expect(res.headers.get("content-language")).toBe("ar");
    const page = await res.text();
    expect(page).toContain('<html lang="ar" dir="rtl">');
    expect(page).toContain("اختر محفظة:");
    expect(page).toContain("محفظة Pier التجريبية");
    expect(page).toContain(
      new Intl.NumberFormat("ar", { style: "currency", currency: "EUR" }).format(
        "1234.50" as unknown as number,
      ),
    );
    // The chosen look keeps the language.
    expect(page).toContain('href="?wallet=paypal&amp;lang=ar"');
    const look = await (await fetch(`${session.approvalUrl}?wallet=paypal&lang=ar`)).text();
    expect(look).toContain("ادفع باستخدام PayPal");
    expect(look).toContain('dir="rtl"');
  });

  test("behavior: without ?lang the page follows Accept-Language by quality; lang wins over it; zh and zh-CN alike", async () => {
    const session = await adapter.createSession(input({ amount: { value: "1234.5", currency: "EUR" } }));
    const page = async (query: string, acceptLanguage?: string) => {
      const res = await fetch(`${session.approvalUrl}${query}`, {
        headers: acceptLanguage ? { "accept-language": acceptLanguage } : {},
      });
      expect(res.headers.get("vary")).toContain("Accept-Language");
      return res.text();
    };
    const german = await page("", "pt-BR, de-CH;q=0.9, en;q=0.5");
    expect(german).toContain('<html lang="de" dir="ltr">');
    expect(german).toContain("Wählen Sie ein Wallet:");
    expect(german).toContain(
      '<strong data-testid="sandbox-amount">1.234,50\u00a0€</strong> für Blue mug bezahlen',
    );
    expect(await page("", "ja;q=0.4, fr;q=0.8")).toContain("Choisissez un portefeuille :");
    expect(await page("?lang=es", "de")).toContain("Elige un monedero:");
    for (const lang of ["zh", "zh-CN"]) {
      const chinese = await page(`?lang=${lang}`);
      expect(chinese).toContain('<html lang="zh-CN" dir="ltr">');
      expect(chinese).toContain("请选择钱包：");
    }
  });

  test("error: an unknown or malformed lang falls back (Accept-Language, then English); markup in it goes nowhere", async () => {
    const session = await adapter.createSession(input());
    for (const lang of ["xx", "tlh", "%3Cscript%3E", ""]) {
      const page = await (await fetch(`${session.approvalUrl}?lang=${lang}`)).text();
      expect(page).toContain('<html lang="en" dir="ltr">');
      expect(page).toContain("Choose a wallet:");
      expect(page).not.toContain("<script>");
    }
    const french = await (
      await fetch(`${session.approvalUrl}?lang=xx`, { headers: { "accept-language": "fr" } })
    ).text();
    expect(french).toContain('<html lang="fr" dir="ltr">');
  });

  test("behavior: payout to a merchant", async () => {
    const payout = await adapter.payout({
      recipient: "merchant-42",
      amount: { value: "1000", currency: "JPY" },
      idempotencyKey: "po_1",
    });
    expect(payout).toMatchObject({ status: "paid", amount: { value: "1000", currency: "JPY" } });
    expect(payout.payoutRef).toMatch(/^sbxp_/);
  });

  test("behavior: idempotent create replays the same session", async () => {
    const i = input();
    const a = await adapter.createSession(i);
    const b = await adapter.createSession(i);
    expect(b.providerRef).toBe(a.providerRef);
  });

  test("error: decline mode (simulate or magic amount x.91) declines on approval", async () => {
    for (const i of [
      input({ simulate: "decline" }),
      input({ amount: { value: "10.91", currency: "EUR" } }),
    ]) {
      const session = await adapter.createSession(i);
      const declined = sim.approve(session.providerRef, "google_pay");
      expect(declined.status).toBe("declined");
      await expect(adapter.capture(session.providerRef)).rejects.toBeInstanceOf(PaymentDeclinedError);
      const [event] = await waitForEvents(session.providerRef, 1);
      expect(event).toMatchObject({ kind: "payment", status: "declined", providerType: "session.declined" });
    }
    const jpy = await adapter.createSession(input({ amount: { value: "1091", currency: "JPY" } }));
    expect(sim.approve(jpy.providerRef).status).toBe("declined");
  });

  test("error: timeout mode: the first capture times out, the retry with the same key gets the capture", async () => {
    const fast = sandboxAdapter({ baseUrl: sim.url, apiKey, webhookSecret, timeoutMs: 300 });
    const session = await fast.createSession(input({ simulate: "timeout" }));
    sim.approve(session.providerRef);
    const error = await fast.capture(session.providerRef).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.retryable).toBe(true);
    const capture = await fast.capture(session.providerRef);
    expect(capture.status).toBe("captured");
    const events = await waitForEvents(session.providerRef, 2);
    expect(events.filter((e) => e.providerType === "capture.completed")).toHaveLength(1);
  });

  test("behavior: duplicate_webhook mode delivers each event twice; receiveWebhook flags the copy", async () => {
    const session = await adapter.createSession(input({ amount: { value: "10.93", currency: "EUR" } }));
    sim.approve(session.providerRef);
    await waitFor("two deliveries", async () => hooks.received.length >= 2);
    const [first, second] = hooks.received;
    const log = memoryWebhookEventLog();
    const a = await receiveWebhook(adapter, log, first!.rawBody, first!.headers);
    const b = await receiveWebhook(adapter, log, second!.rawBody, second!.headers);
    expect(a.event.id).toBe(b.event.id);
    expect([a.duplicate, b.duplicate]).toEqual([false, true]);
  });

  test("behavior: late_webhook mode holds the session's webhooks until released", async () => {
    const session = await adapter.createSession(input({ simulate: "late_webhook" }));
    sim.approve(session.providerRef);
    await adapter.capture(session.providerRef);
    await sim.idle();
    expect(await eventsFor(session.providerRef)).toEqual([]);
    const released = await fetch(`${sim.url}/_control/sessions/${session.providerRef}/release-webhooks`, {
      method: "POST",
    });
    expect(released.status).toBe(200);
    const events = await waitForEvents(session.providerRef, 2);
    expect(events.map((e) => e.providerType)).toEqual(["session.approved", "capture.completed"]);
    // The events keep the time they happened; they were signed at delivery, so they verify.
    expect(events[0]!.occurredAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  test("behavior: capture_reversed mode: the capture completes, then is reversed", async () => {
    const session = await adapter.createSession(input({ amount: { value: "7.95", currency: "USD" } }));
    sim.approve(session.providerRef);
    const capture = await adapter.capture(session.providerRef);
    expect(capture.status).toBe("reversed");
    const events = await waitForEvents(session.providerRef, 3);
    expect(events.map((e) => (e.kind === "payment" ? e.status : e.kind))).toEqual([
      "approved",
      "captured",
      "reversed",
    ]);
  });

  test("error: each error response maps to a typed error", async () => {
    const session = await adapter.createSession(input());
    await expect(adapter.capture(session.providerRef)).rejects.toBeInstanceOf(SessionNotApprovedError);
    await expect(adapter.capture("sbxs_missing")).rejects.toBeInstanceOf(ProviderNotFoundError);
    await expect(
      adapter.createSession(input({ amount: { value: "10.5", currency: "JPY" } })),
    ).rejects.toMatchObject({
      constructor: ProviderValidationError,
      param: "amount.value",
    });
    const reused = input();
    await adapter.createSession(reused);
    await expect(
      adapter.createSession({ ...reused, amount: { value: "99.00", currency: "EUR" } }),
    ).rejects.toBeInstanceOf(ProviderIdempotencyError);

    sim.approve(session.providerRef);
    const capture = await adapter.capture(session.providerRef);
    const over = adapter.refund({
      captureRef: capture.captureRef,
      amount: { value: "25.01", currency: "EUR" },
      idempotencyKey: "over",
    });
    await expect(over).rejects.toBeInstanceOf(RefundExceedsCaptureError);

    const wrongKey = sandboxAdapter({
      baseUrl: sim.url,
      apiKey: "sbx_sk_wrong_key_0000",
      webhookSecret,
      timeoutMs: 2_000,
    });
    const auth = await wrongKey.createSession(input()).catch((e) => e);
    expect(auth).toBeInstanceOf(ProviderAuthenticationError);
    expect(auth.statusCode).toBe(502);

    const down = sandboxAdapter({ baseUrl: "http://127.0.0.1:1", apiKey, webhookSecret, timeoutMs: 2_000 });
    await expect(down.createSession(input())).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});

describe("sandbox webhooks", () => {
  async function oneEvent() {
    const session = await adapter.createSession(input());
    sim.approve(session.providerRef);
    return sim.events.findLast((e) => e.type === "session.approved")!;
  }

  test("default: a delivery signed by the simulator verifies", async () => {
    const { rawBody, headers } = sim.signedDelivery(await oneEvent());
    await expect(adapter.verifyWebhook(rawBody, headers)).resolves.toMatchObject({
      kind: "payment",
      status: "approved",
    });
  });

  test("error: forged (wrong secret) and tampered bodies are refused", async () => {
    const event = await oneEvent();
    const { rawBody, headers } = sim.signedDelivery(event);
    const forger = sandboxAdapter({
      baseUrl: sim.url,
      apiKey,
      webhookSecret: "attacker_secret_0000",
      timeoutMs: 1000,
    });
    await expect(forger.verifyWebhook(rawBody, headers)).rejects.toMatchObject({
      reason: "signature_mismatch",
    });
    const tampered = rawBody.replace('"25.00"', '"0.01"');
    expect(tampered).not.toBe(rawBody);
    await expect(adapter.verifyWebhook(tampered, headers)).rejects.toMatchObject({
      reason: "signature_mismatch",
    });
    await expect(adapter.verifyWebhook(rawBody, {})).rejects.toMatchObject({ reason: "missing_signature" });
    await expect(
      adapter.verifyWebhook(rawBody, { "pier-sandbox-signature": "garbage" }),
    ).rejects.toBeInstanceOf(WebhookVerificationError);
  });

  test("error: replayed with an old timestamp, or a duplicate id", async () => {
    const event = await oneEvent();
    const old = sim.signedDelivery(event, Math.floor(Date.now() / 1000) - 301);
    await expect(adapter.verifyWebhook(old.rawBody, old.headers)).rejects.toMatchObject({
      reason: "timestamp_outside_tolerance",
      statusCode: 400,
      code: "webhook_timestamp_outside_tolerance",
    });
    const log = memoryWebhookEventLog();
    const fresh = sim.signedDelivery(event);
    expect((await receiveWebhook(adapter, log, fresh.rawBody, fresh.headers)).duplicate).toBe(false);
    const again = sim.signedDelivery(event);
    expect((await receiveWebhook(adapter, log, again.rawBody, again.headers)).duplicate).toBe(true);
  });
});
