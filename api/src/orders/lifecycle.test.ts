/**
 * End to end, against real processes: create an order through the API, pay the signed terms on chain,
 * and follow it through the indexer to signed webhooks at a local receiver: processing -> escrowed ->
 * (time passes) keeper settles; partial and full refunds; dispute and arbiter resolution; early release;
 * expiry; a reorg that removes a payment.
 */

import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { evmIncreaseTime, evmMine, evmRevert, evmSnapshot } from "../../../test/harness/payments.ts";
import { waitForWebhook, webhooksFor } from "../../../test/harness/waitForWebhook.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../../test/harness/webhookReceiver.ts";
import { verifySignature } from "../webhooks/signature.ts";

let s: ApiStack;
let receiver: WebhookReceiver;
let secret: string;
const AMOUNT = 10_000_000n;

beforeAll(async () => {
  s = await startApiStack({ PIER_CONFIRMATIONS: "2" });
  receiver = await startWebhookReceiver();
  const res = await s.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] });
  expect(res.status).toBe(200);
  secret = res.body.secret;
});

afterAll(async () => {
  await receiver?.close();
  await s?.stop();
});

async function createOrder(body: Record<string, unknown> = {}) {
  const res = await s.client.post("/v1/orders", { amount: AMOUNT.toString(), ...body });
  expect(res.status).toBe(200);
  return res.body;
}

/** Pays an order's signed terms from the customer and mines one more block so it is 2 deep (escrowed). */
async function payAndConfirm(order: { id: string; terms: never }) {
  const paid = await s.stack.pay.payByAllowance(paymentTermsFromJson(order.terms));
  await waitForWebhook(receiver, order.id, "order.processing");
  await evmMine(s.stack.chain.rpcUrl, 1);
  await waitForWebhook(receiver, order.id, "order.escrowed");
  return paid;
}

/** Keeper runs so far, from /metrics. */
async function keeperRuns(): Promise<number> {
  const text = await s.api.metrics();
  return [...text.matchAll(/pier_api_keeper_runs_total\{chain_id="\d+",result="[a-z]+"\} (\d+)/g)].reduce(
    (a, m) => a + Number(m[1]),
    0,
  );
}

async function getOrder(id: string) {
  const res = await s.client.get(`/v1/orders/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

describe("order lifecycle", () => {
  test("default: processing -> escrowed -> keeper settles, every webhook signed", async () => {
    const order = await createOrder({ description: "Blue mug", metadata: { sku: "mug-1" } });
    expect(order.status).toBe("open");
    const terms = paymentTermsFromJson(order.terms);
    const checkout = await s.client.withKey(undefined).get(`/v1/checkout/${order.id}`);
    expect(checkout.status).toBe(200);
    expect(await s.stack.pay.signTerms(terms)).toBe(checkout.body.signature);
    expect(checkout.body.payment_record).toBeNull();

    const merchantBefore = await s.stack.pay.balanceOf(terms.merchant);
    const paid = await s.stack.pay.payByAllowance(terms);
    const processing = await waitForWebhook(receiver, order.id, "order.processing");
    expect(processing.body.data.object.status).toBe("processing");
    expect((await getOrder(order.id)).status).toBe("processing");

    await evmMine(s.stack.chain.rpcUrl, 1);
    const escrowed = await waitForWebhook(receiver, order.id, "order.escrowed");
    for (const hook of [processing, escrowed]) {
      const header = hook.headers["pier-signature"] as string;
      expect(verifySignature(header, hook.rawBody, secret)).toEqual({
        ok: true,
        timestamp: expect.any(Number),
      });
      expect(Object.keys(hook.body).sort()).toEqual(["created", "data", "id", "livemode", "type"]);
      expect(hook.body.livemode).toBe(false);
      expect(hook.headers["pier-event-id"]).toBe(hook.body.id);
    }
    const escrowedOrder = await getOrder(order.id);
    expect(escrowedOrder.status).toBe("escrowed");
    expect(escrowedOrder.payment.tx_hash).toBe(paid.hash);
    expect(escrowedOrder.payment.payer).toBe(paid.record.payer);
    expect(escrowedOrder.payment.release_after).toBe(Number(paid.record.releaseAfter));

    const withRecord = await s.client.withKey(undefined).get(`/v1/checkout/${order.id}`);
    expect(withRecord.body.payment_record.release_after).toBe(paid.record.releaseAfter.toString());

    await evmIncreaseTime(s.stack.chain.rpcUrl, terms.escrowPeriod + 1n);
    await evmMine(s.stack.chain.rpcUrl, 1);
    const settled = await waitForWebhook(receiver, order.id, "order.settled", 60_000);
    expect(settled.body.data.object.amount_released).toBe((AMOUNT - terms.fee).toString());
    const final = await getOrder(order.id);
    expect(final.status).toBe("settled");
    expect(final.fee_paid).toBe(terms.fee.toString());
    expect(await s.stack.pay.balanceOf(terms.merchant)).toBe(merchantBefore + AMOUNT - terms.fee);

    // Each event stored once: one webhook per type, and the events list agrees.
    const types = webhooksFor(receiver, order.id).map((r) => r.body.type);
    expect(types).toEqual(["order.processing", "order.escrowed", "order.settled"]);
    const events = await s.client.get(`/v1/events?order=${order.id}`);
    expect(events.body.data.map((e: { type: string }) => e.type).reverse()).toEqual(types);
  });

  test("behavior: an order without an escrow period is a charge: settled in its paying transaction", async () => {
    const order = await createOrder({ escrow_period: 0 });
    expect(order.escrow_period).toBe(0);
    const terms = paymentTermsFromJson(order.terms);
    const merchantBefore = await s.stack.pay.balanceOf(terms.merchant);
    const paid = await s.stack.pay.payByAuthorization(terms);
    expect(paid.events.map((e) => e.eventName)).toEqual(["PaymentEscrowed", "PaymentReleased"]);
    // The merchant is paid by the customer's own transaction; the order waits for confirmations like any.
    expect(await s.stack.pay.balanceOf(terms.merchant)).toBe(merchantBefore + AMOUNT - terms.fee);
    await waitForWebhook(receiver, order.id, "order.processing");
    expect((await getOrder(order.id)).status).toBe("processing");

    await evmMine(s.stack.chain.rpcUrl, 1);
    const settled = await waitForWebhook(receiver, order.id, "order.settled");
    expect(settled.body.data.object).toMatchObject({
      status: "settled",
      amount_released: (AMOUNT - terms.fee).toString(),
    });
    await waitForWebhook(receiver, order.id, "order.escrowed");
    // Stored in this order; delivered concurrently, so they may arrive in any order, each once.
    const stored = ["order.processing", "order.escrowed", "order.settled"];
    const events = await s.client.get(`/v1/events?order=${order.id}`);
    expect(events.body.data.map((e: { type: string }) => e.type).reverse()).toEqual(stored);
    expect(
      webhooksFor(receiver, order.id)
        .map((r) => r.body.type)
        .sort(),
    ).toEqual([...stored].sort());
    const final = await getOrder(order.id);
    expect(final).toMatchObject({ status: "settled", fee_paid: terms.fee.toString() });
    expect(final.payment.tx_hash).toBe(paid.hash);

    // Nothing is held, so nothing can be refunded through Pier.
    const refund = await s.client.post("/v1/refunds", { order: order.id });
    expect(refund.status).toBe(409);
    expect(refund.body.error.code).toBe("order_not_refundable");
  });

  test("behavior: partial refund keeps the status and raises amount_refunded; the rest refunds it", async () => {
    const order = await createOrder();
    const paid = await payAndConfirm(order);
    const payer = paid.record.payer;
    const before = await s.stack.pay.balanceOf(payer);

    const tooMuch = await s.client.post("/v1/refunds", { order: order.id, amount: (AMOUNT + 1n).toString() });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatchObject({ code: "amount_too_large", param: "amount" });

    const partial = await s.client.post("/v1/refunds", {
      order: order.id,
      amount: "3000000",
      reason: "damaged",
    });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({
      object: "refund",
      status: "pending",
      amount: "3000000",
      order: order.id,
    });
    const hook = await waitForWebhook(receiver, order.id, "order.partially_refunded");
    expect(hook.body.data.object).toMatchObject({ status: "escrowed", amount_refunded: "3000000" });
    await waitFor("refund succeeded", async () => {
      const r = await s.client.get(`/v1/refunds/${partial.body.id}`);
      return r.body.status === "succeeded" && r.body;
    });
    expect(await s.stack.pay.balanceOf(payer)).toBe(before + 3_000_000n);

    const rest = await s.client.post("/v1/refunds", { order: order.id });
    expect(rest.body.amount).toBe((AMOUNT - 3_000_000n).toString());
    const refunded = await waitForWebhook(receiver, order.id, "order.refunded");
    expect(refunded.body.data.object).toMatchObject({
      status: "refunded",
      amount_refunded: AMOUNT.toString(),
    });
    expect(await s.stack.pay.balanceOf(payer)).toBe(before + AMOUNT);

    const list = await s.client.get(`/v1/refunds?order=${order.id}`);
    expect(list.body.data).toHaveLength(2);
    const again = await s.client.post("/v1/refunds", { order: order.id, amount: "1" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("order_not_refundable");
  });

  test("behavior: concurrent partial refunds accept at most what remains, counting refunds mined but not yet indexed", async () => {
    const order = await createOrder();
    const paid = await payAndConfirm(order);
    const before = await s.stack.pay.balanceOf(paid.record.payer);
    // Freeze the indexer: refunds get mined and succeed while the order's amount_refunded cannot move.
    process.kill(s.stack.indexer!.pid, "SIGSTOP");
    try {
      const refund = (key: string) =>
        s.client.post("/v1/refunds", { order: order.id, amount: "2000000" }, { idempotencyKey: key });
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => refund(`${order.id}-par-${i}`)));
      const accepted = answers.filter((r) => r.status === 200);
      expect(accepted).toHaveLength(5);
      for (const r of answers.filter((a) => a.status !== 200))
        expect(r.body.error.code).toMatch(/^(amount_too_large|order_not_refundable)$/);
      await waitFor(
        "the five refunds succeeded on chain",
        async () => {
          const list = await s.client.get(`/v1/refunds?order=${order.id}`);
          return list.body.data.every((r: { status: string }) => r.status === "succeeded") && list.body.data;
        },
        { timeoutMs: 60_000 },
      );
      // All five are mined, none is indexed yet: nothing remains, and a sixth is refused.
      const sixth = await refund(`${order.id}-after`);
      expect(sixth.status).toBe(409);
      expect(sixth.body.error.code).toBe("order_not_refundable");
    } finally {
      process.kill(s.stack.indexer!.pid, "SIGCONT");
    }
    const refunded = await waitForWebhook(receiver, order.id, "order.refunded", 60_000);
    expect(refunded.body.data.object).toMatchObject({
      status: "refunded",
      amount_refunded: AMOUNT.toString(),
    });
    expect(await s.stack.pay.balanceOf(paid.record.payer)).toBe(before + AMOUNT);
    expect((await s.client.get(`/v1/refunds?order=${order.id}`)).body.data).toHaveLength(5);
  });

  test("behavior: a payment that reaches a canceled order is refunded in full automatically, and the merchant told", async () => {
    const order = await createOrder();
    expect((await s.client.post(`/v1/orders/${order.id}/cancel`)).status).toBe(200);
    await waitForWebhook(receiver, order.id, "order.canceled");
    // A checkout page left open still holds valid signed terms: the customer pays anyway.
    const paid = await s.stack.pay.payByAllowance(paymentTermsFromJson(order.terms));
    const before = await s.stack.pay.balanceOf(paid.record.payer);
    await evmMine(s.stack.chain.rpcUrl, 1);
    const told = await waitForWebhook(receiver, order.id, "order.paid_after_cancel");
    expect(told.body.data.object).toMatchObject({ status: "escrowed" });
    expect(told.body.data.object.canceled_at).toEqual(expect.any(Number));
    const refunded = await waitForWebhook(receiver, order.id, "order.refunded", 60_000);
    expect(refunded.body.data.object).toMatchObject({
      status: "refunded",
      amount_refunded: AMOUNT.toString(),
    });
    expect(await s.stack.pay.balanceOf(paid.record.payer)).toBe(before + AMOUNT);
    // order.refunded comes from the indexer, refund.succeeded from the sender's receipt: either may be first.
    await waitForWebhook(receiver, order.id, "refund.succeeded", 60_000);
    const refunds = (await s.client.get(`/v1/refunds?order=${order.id}`)).body.data;
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      reason: "order_canceled",
      status: "succeeded",
      amount: AMOUNT.toString(),
    });
    const types = webhooksFor(receiver, order.id).map((r) => r.body.type);
    expect(types.filter((t) => t === "order.paid_after_cancel")).toHaveLength(1);
  });

  test("behavior: a disputed order is never released by the keeper; the arbiter resolves it", async () => {
    const order = await createOrder();
    const paid = await payAndConfirm(order);
    await s.stack.pay.dispute(paid.record);
    const disputed = await waitForWebhook(receiver, order.id, "order.disputed");
    expect(disputed.body.data.object.dispute).toMatchObject({ status: "open" });

    await evmIncreaseTime(s.stack.chain.rpcUrl, paid.record.terms.escrowPeriod + 1n);
    await evmMine(s.stack.chain.rpcUrl, 1);
    const start = await keeperRuns();
    await waitFor("two keeper runs", async () => (await keeperRuns()) >= start + 2);
    expect((await getOrder(order.id)).status).toBe("disputed");

    const noKey = await s.client
      .withKey(undefined)
      .post(`/v1/admin/orders/${order.id}/resolve`, { refund_amount: "4000000" });
    expect(noKey.status).toBe(401);
    const merchantKey = await s.client.post(`/v1/admin/orders/${order.id}/resolve`, {
      refund_amount: "4000000",
    });
    expect(merchantKey.status).toBe(401);
    const admin = s.client.withKey(s.adminKey);
    const resolve = await admin.post(`/v1/admin/orders/${order.id}/resolve`, { refund_amount: "4000000" });
    expect(resolve.status).toBe(202);
    const settled = await waitForWebhook(receiver, order.id, "order.settled");
    expect(settled.body.data.object).toMatchObject({ amount_refunded: "4000000", status: "settled" });
    expect(settled.body.data.object.dispute.status).toBe("resolved");
  });

  test("behavior: a held order is skipped by the keeper until the hold is lifted", async () => {
    const order = await createOrder();
    const paid = await payAndConfirm(order);
    const admin = s.client.withKey(s.adminKey);
    expect((await admin.post(`/v1/admin/orders/${order.id}/hold`, { held: true })).status).toBe(202);
    await waitFor("hold visible on the order", async () => (await getOrder(order.id)).payment.held === true);
    await evmIncreaseTime(s.stack.chain.rpcUrl, paid.record.terms.escrowPeriod + 1n);
    await evmMine(s.stack.chain.rpcUrl, 1);
    const start = await keeperRuns();
    await waitFor("two keeper runs", async () => (await keeperRuns()) >= start + 2);
    expect((await getOrder(order.id)).status).toBe("escrowed");
    expect((await admin.post(`/v1/admin/orders/${order.id}/hold`, { held: false })).status).toBe(202);
    const settled = await waitForWebhook(receiver, order.id, "order.settled", 60_000);
    expect(settled.body.data.object.payment.held).toBe(false);
  });

  test("behavior: early release on the merchant's request", async () => {
    const order = await createOrder();
    await payAndConfirm(order);
    const res = await s.client.post(`/v1/orders/${order.id}/release`);
    expect(res.status).toBe(202);
    const settled = await waitForWebhook(receiver, order.id, "order.settled");
    expect(settled.body.data.object.payment.released_early).toBe(true);
    const again = await s.client.post(`/v1/orders/${order.id}/release`);
    expect(again.status).toBe(409);
  });

  test("behavior: an unpaid order expires after its deadline", async () => {
    const now = Number(await s.stack.pay.chainTime());
    const order = await createOrder({ expires_at: Math.max(now, Math.floor(Date.now() / 1000)) + 120 });
    await evmIncreaseTime(s.stack.chain.rpcUrl, 300);
    await evmMine(s.stack.chain.rpcUrl, 1);
    const expired = await waitForWebhook(receiver, order.id, "order.expired");
    expect(expired.body.data.object.status).toBe("expired");
    const cancel = await s.client.post(`/v1/orders/${order.id}/cancel`);
    expect(cancel.status).toBe(409);
  });

  test("behavior: a reorg that removes the payment takes the order back to open", async () => {
    const order = await createOrder();
    const snapshot = await evmSnapshot(s.stack.chain.rpcUrl);
    await s.stack.pay.payByAllowance(paymentTermsFromJson(order.terms));
    await waitForWebhook(receiver, order.id, "order.processing");
    await evmRevert(s.stack.chain.rpcUrl, snapshot);
    // A longer competing chain without the payment.
    await evmMine(s.stack.chain.rpcUrl, 3);
    const reverted = await waitForWebhook(receiver, order.id, "order.payment_reverted", 60_000);
    expect(reverted.body.data.object).toMatchObject({ status: "open", payment: null });
    expect((await getOrder(order.id)).status).toBe("open");
  });
});
