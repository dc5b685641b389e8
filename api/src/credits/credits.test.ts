/**
 * Credits end to end on an issuer-controlled token (the RegulatedStablecoin model: blacklist, pause,
 * proxy): a payout the token refuses is credited in the escrow, shown on the order, the merchant and in
 * /metrics, told by webhook, never moved while the token refuses, and paid by the keeper to the credited
 * account, exactly, once the issuer lifts the blacklist or the pause.
 */

import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { createPayments, evmMine, type Payments } from "../../../test/harness/payments.ts";
import { waitForWebhook } from "../../../test/harness/waitForWebhook.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../../test/harness/webhookReceiver.ts";

let s: ApiStack;
let receiver: WebhookReceiver;
let pay: Payments;
let token: Address;
const MERCHANT = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" as Address;

beforeAll(async () => {
  s = await startApiStack({ PIER_CONFIRMATIONS: "1" });
  token = s.stack.deployment.contracts.RegulatedStablecoin!.address;
  // The API settles in the issuer-controlled token for this file.
  await s.restartApi({ PIER_CONFIRMATIONS: "1", PIER_TOKEN_ADDRESS: token });
  pay = createPayments(s.stack.chain.rpcUrl, s.stack.deployment, { token });
  receiver = await startWebhookReceiver();
  const res = await s.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] });
  expect(res.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await receiver?.close();
  await s?.stop();
});

async function escrowedOrder() {
  const created = await s.client.post("/v1/orders", { amount: "10000000" });
  expect(created.status).toBe(200);
  expect(created.body.token.address.toLowerCase()).toBe(token.toLowerCase());
  const paid = await pay.payByAllowance(paymentTermsFromJson(created.body.terms));
  await evmMine(s.stack.chain.rpcUrl, 1);
  await waitForWebhook(receiver, created.body.id, "order.escrowed");
  return { order: created.body, paid };
}

async function keeperPasses(): Promise<number> {
  const text = await s.api.metrics();
  return [...text.matchAll(/pier_api_keeper_runs_total\{chain_id="\d+",result="[a-z]+"\} (\d+)/g)].reduce(
    (a, m) => a + Number(m[1]),
    0,
  );
}

async function withdrawIntents(): Promise<number> {
  const { rows } = await s.stack.db.query(
    "SELECT count(*)::int AS n FROM pier_api.chain_txs WHERE kind = 'withdraw'",
  );
  return rows[0].n as number;
}

describe("credits", () => {
  test("behavior: a blacklisted merchant's payout is credited, shown, never moved while blacklisted, and paid to it once lifted", async () => {
    const { order } = await escrowedOrder();
    await pay.issuer.blacklist(MERCHANT);
    const before = await pay.balanceOf(MERCHANT);
    expect((await s.client.post(`/v1/orders/${order.id}/release`)).status).toBe(202);

    const credited = await waitForWebhook(receiver, order.id, "order.payout_credited");
    const net = (10_000_000n - BigInt(order.fee)).toString();
    expect(credited.body.data.object.payment).toMatchObject({ merchant_credited: net, refund_credited: "0" });
    await waitForWebhook(receiver, order.id, "order.settled");
    const merchant = await s.client.get("/v1/merchant");
    expect(merchant.body.credited_balances).toEqual([
      { chain_id: 31337, token: token.toLowerCase(), symbol: "rUSDC", decimals: 6, amount: net },
    ]);
    await waitFor("the credit gauge", async () => {
      const text = await s.api.metrics();
      return text.includes(
        `pier_api_escrow_credits_outstanding{chain_id="31337",token="${token.toLowerCase()}",role="merchant"} ${net}`,
      );
    });

    // While the issuer keeps the address blacklisted, the keeper tries and queues nothing; nothing moves.
    const passes = await keeperPasses();
    await waitFor("two more keeper passes", async () => (await keeperPasses()) >= passes + 2);
    expect(await withdrawIntents()).toBe(0);
    expect(await pay.balanceOf(MERCHANT)).toBe(before);

    await pay.issuer.unBlacklist(MERCHANT);
    await waitFor(
      "the keeper to pay the credit to the merchant",
      async () => (await pay.balanceOf(MERCHANT)) === before + BigInt(net),
      {
        timeoutMs: 60_000,
      },
    );
    const paidOut = await waitFor("credit.paid_out", async () =>
      receiver.received.find((r) => r.body.type === "credit.paid_out"),
    );
    expect(paidOut.body.data.object).toMatchObject({
      object: "credit_payout",
      token: token.toLowerCase(),
      account: MERCHANT.toLowerCase(),
      amount: net,
    });
    await waitFor("the merchant's credited balance to clear", async () => {
      const m = await s.client.get("/v1/merchant");
      return m.body.credited_balances.length === 0;
    });
    expect(await withdrawIntents()).toBe(1);
  });

  test("behavior: a refund while the token is paused is credited to the payer and paid to it after unpause", async () => {
    const { order, paid } = await escrowedOrder();
    const payer = paid.record.payer;
    const before = await pay.balanceOf(payer);
    await pay.issuer.pause();
    try {
      const refund = await s.client.post("/v1/refunds", { order: order.id });
      expect(refund.status).toBe(200);
      const credited = await waitForWebhook(receiver, order.id, "order.payout_credited");
      expect(credited.body.data.object.payment).toMatchObject({
        merchant_credited: "0",
        refund_credited: "10000000",
      });
      const passes = await keeperPasses();
      await waitFor("two more keeper passes", async () => (await keeperPasses()) >= passes + 2);
      expect(await pay.balanceOf(payer)).toBe(before);
    } finally {
      await pay.issuer.unpause();
    }
    await waitFor(
      "the keeper to pay the refund credit to the payer",
      async () => (await pay.balanceOf(payer)) === before + 10_000_000n,
      {
        timeoutMs: 60_000,
      },
    );
    expect((await s.client.get(`/v1/orders/${order.id}`)).body).toMatchObject({
      status: "refunded",
      amount_refunded: "10000000",
    });
  });
});
