/**
 * Charging subscriptions against a real stack (Postgres, Hardhat with SpendPermissions, the API with its
 * workers): a monthly subscription is charged at authorization and then each month by time travel; a
 * charge that fails for lack of funds makes it past_due and is retried a day later; after the payer
 * revokes the permission on chain the next charge is refused there and the subscription ends. Every
 * invoice is an ordinary escrowed order, and every webhook arrives once.
 */
import { type Address, erc20Abi, maxUint256 } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { spendPermissionsAbi } from "../../../contracts/generated/abis.ts";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { account, evmIncreaseTime, evmMine } from "../../../test/harness/payments.ts";
import { authorizeSubscription } from "../../../test/harness/subscriptions.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../../test/harness/webhookReceiver.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field.
type Json = any;

const AMOUNT = 10_000_000n; // 10 USD in tUSDC units
let s: ApiStack;
let receiver: WebhookReceiver;
let token: Address;
let spendPermissions: Address;
let sub: Json;
let startBalance: bigint;
/** The permission exactly as the payer signed it (what a wallet keeps to revoke it later). */
let signed: Json;
const payer = account("customer2");

const get = async (path: string): Promise<Json> => {
  const res = await s.client.get(path);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const invoices = async (): Promise<Json[]> => (await get(`/v1/subscriptions/${sub.id}/invoices`)).data;
const balance = () => s.stack.pay.balanceOf(payer.address);

/** Waits until invoice `cycle` has `status` (the scheduler runs every 500 ms in the test stack). */
async function invoiceAt(cycle: number, status: string): Promise<Json> {
  let found: Json;
  await waitFor(
    `invoice ${cycle} ${status}`,
    async () => {
      found = (await invoices()).find((i) => i.cycle === cycle);
      return found?.status === status;
    },
    { timeoutMs: 30_000 },
  );
  return found;
}

/** Moves chain time to `unix` (+1 s) and mines a block there, as the months pass. */
async function travelTo(unix: number) {
  const now = Number(await s.stack.pay.chainTime());
  if (unix >= now) await evmIncreaseTime(s.stack.chain.rpcUrl, unix - now + 1);
  await evmMine(s.stack.chain.rpcUrl);
}

/** A new subscription to `planId`, authorized by the payer (its token allowance is already given). */
async function authorizedSubscription(planId: string): Promise<Json> {
  const created = (await s.client.post("/v1/subscriptions", { plan: planId })).body;
  return (await authorizeSubscription(s.client.withKey(undefined).post, created.id, payer, token))
    .subscription;
}

/** Webhooks received for `type` about this subscription's objects, by event id. */
function received(type: string): Json[] {
  return receiver.received
    .map((r) => r.body)
    .filter((b) => b?.type === type)
    .filter((b) => b.data.object.id === sub.id || b.data.object.subscription === sub.id);
}

beforeAll(async () => {
  s = await startApiStack();
  receiver = await startWebhookReceiver();
  const endpoint = await s.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] });
  expect(endpoint.status).toBe(200);
  token = s.stack.deployment.contracts.TestStablecoin!.address;
  spendPermissions = s.stack.deployment.contracts.SpendPermissions!.address;
  const plan = await s.client.post("/v1/plans", {
    amount: "10",
    currency: "USD",
    interval: "month",
    description: "Coffee club",
  });
  expect(plan.status).toBe(200);
  sub = (await s.client.post("/v1/subscriptions", { plan: plan.body.id })).body;

  startBalance = await balance();
  // The customer's side, as the hosted page does it: allow the token, sign the permission, authorize.
  await s.stack.pay.send("customer2", {
    address: token,
    abi: erc20Abi,
    functionName: "approve",
    args: [spendPermissions, maxUint256],
  });
  const authorized = await authorizeSubscription(s.client.withKey(undefined).post, sub.id, payer, token);
  sub = authorized.subscription;
  signed = authorized.permission;
}, 240_000);

afterAll(async () => {
  await receiver?.close();
  await s?.stop();
});

describe("charging a monthly subscription", () => {
  test("default: the first charge at authorization pays an escrowed order for the plan's amount", async () => {
    expect(sub.status).toBe("active");
    const first = await invoiceAt(0, "paid");
    expect(first).toMatchObject({
      object: "invoice",
      amount: AMOUNT.toString(),
      attempts: 1,
      last_error: null,
    });
    expect(startBalance - (await balance())).toBe(AMOUNT);
    const order = await get(`/v1/orders/${first.order}`);
    expect(order.metadata).toMatchObject({ subscription: sub.id, invoice: first.id, cycle: "0" });
    await waitFor("the first invoice's order escrowed", async () =>
      ["escrowed", "processing"].includes((await get(`/v1/orders/${first.order}`)).status),
    );
    const now = await get(`/v1/subscriptions/${sub.id}`);
    expect(now).toMatchObject({ status: "active", cycles_charged: 1 });
    expect(now.next_charge_at).toBe(now.current_period_end);
  });

  test("behavior: a month later the second cycle is charged, once", async () => {
    const before = await balance();
    const { next_charge_at } = await get(`/v1/subscriptions/${sub.id}`);
    await travelTo(next_charge_at);
    await invoiceAt(1, "paid");
    expect(before - (await balance())).toBe(AMOUNT);
    expect((await invoices()).map((i) => i.cycle)).toEqual([1, 0]);
  });

  test("error: without funds the third charge fails, the subscription is past_due, and a retry a day later pays", async () => {
    const held = await balance();
    await s.stack.pay.send("customer2", {
      address: token,
      abi: erc20Abi,
      functionName: "transfer",
      args: [account("customer").address, held],
    });
    const { next_charge_at } = await get(`/v1/subscriptions/${sub.id}`);
    await travelTo(next_charge_at);
    const failed = await invoiceAt(2, "failed");
    expect(failed.attempts).toBe(1);
    expect(failed.last_error.code).toMatch(/InsufficientBalance/);
    expect(failed.next_attempt_at).toBeGreaterThan(next_charge_at);
    expect((await get(`/v1/subscriptions/${sub.id}`)).status).toBe("past_due");
    await waitFor(
      "invoice.payment_failed delivered",
      async () => received("invoice.payment_failed").length === 1,
    );

    await s.stack.pay.send("customer", {
      address: token,
      abi: erc20Abi,
      functionName: "transfer",
      args: [payer.address, held],
    });
    await travelTo(failed.next_attempt_at);
    const paid = await invoiceAt(2, "paid");
    expect(paid.attempts).toBe(2);
    expect(held - (await balance())).toBe(AMOUNT);
    await waitFor("active again", async () => (await get(`/v1/subscriptions/${sub.id}`)).status === "active");
    expect((await get(`/v1/subscriptions/${sub.id}`)).cycles_charged).toBe(3);
  });

  test("behavior: once the payer revokes on chain, the next charge is refused there and the subscription ends", async () => {
    await s.stack.pay.send("customer2", {
      address: spendPermissions,
      abi: spendPermissionsAbi,
      functionName: "revoke",
      args: [signed],
    });
    const before = await balance();
    const { next_charge_at } = await get(`/v1/subscriptions/${sub.id}`);
    await travelTo(next_charge_at);
    const refused = await invoiceAt(3, "uncollectible");
    expect(refused.last_error.code).toBe("PermissionRevoked");
    const ended = await get(`/v1/subscriptions/${sub.id}`);
    expect(ended).toMatchObject({ status: "ended", end_reason: "permission_revoked", next_charge_at: null });
    expect(await balance()).toBe(before);
  });

  test("behavior: every webhook arrived once: 3 invoice.paid, 2 invoice.payment_failed, and each status change", async () => {
    // Deliveries run side by side: subscription.ended may land before the last invoice.payment_failed.
    await waitFor(
      "subscription.ended, 3 invoice.paid and 2 invoice.payment_failed delivered",
      async () =>
        received("subscription.ended").length > 0 &&
        received("invoice.paid").length >= 3 &&
        received("invoice.payment_failed").length >= 2,
    );
    const ids = receiver.received.map((r) => r.body?.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(received("invoice.paid")).toHaveLength(3);
    expect(received("invoice.payment_failed")).toHaveLength(2);
    expect(received("subscription.updated").map((e) => e.data.object.status)).toEqual(["past_due", "active"]);
    expect(received("subscription.ended")).toHaveLength(1);
  });

  test("behavior: the invoices list finds the failed charges; metrics show one paying month after another, then the churn", async () => {
    const byStatus = async (status: string) =>
      (await get(`/v1/invoices?status=${status}&subscription=${sub.id}`)).data;
    expect((await byStatus("paid")).map((i: Json) => i.cycle)).toEqual([2, 1, 0]);
    expect((await byStatus("uncollectible")).map((i: Json) => i.cycle)).toEqual([3]);
    expect(await byStatus("failed")).toEqual([]);
    expect((await s.client.get("/v1/invoices?status=late")).status).toBe(400);

    const { months } = await get("/v1/subscriptions/metrics?months=6");
    expect(months).toHaveLength(6);
    expect(months.map((m: Json) => m.month)).toEqual([...months.map((m: Json) => m.month)].sort());
    const started = months.findIndex((m: Json) => m.new === 1);
    const churned = months.findIndex((m: Json) => m.churned === 1);
    expect(started).toBeGreaterThanOrEqual(0);
    expect(churned).toBeGreaterThan(started);
    expect(months.reduce((a: number, m: Json) => a + m.new, 0)).toBe(1);
    expect(months.reduce((a: number, m: Json) => a + m.churned, 0)).toBe(1);
    for (const m of months.slice(started, churned)) {
      expect(m).toMatchObject({ active: 1, mrr: [{ currency: "USD", amount: "10.00" }] });
    }
    expect(months[churned]).toMatchObject({ active: 0, churn_rate: "1.0000" });
    expect(months[started].churn_rate).toBeNull();
    expect((await s.client.get("/v1/subscriptions/metrics?months=37")).status).toBe(400);
  });

  test("behavior: canceled at period end: the next charge time cancels it instead of charging", async () => {
    const other = await authorizedSubscription(sub.plan);
    await waitFor("its first cycle paid", async () =>
      (await get(`/v1/subscriptions/${other.id}/invoices`)).data.some((i: Json) => i.status === "paid"),
    );
    const marked = await s.client.post(`/v1/subscriptions/${other.id}/cancel`, { at_period_end: true });
    expect(marked.body).toMatchObject({ status: "active", cancel_at_period_end: true });
    const before = await balance();
    await travelTo(marked.body.next_charge_at);
    await waitFor(
      "canceled at the period's end",
      async () => (await get(`/v1/subscriptions/${other.id}`)).status === "canceled",
    );
    const ended = await get(`/v1/subscriptions/${other.id}`);
    expect(ended).toMatchObject({ cycles_charged: 1, next_charge_at: null, end_reason: null });
    expect(ended.canceled_at).toBeGreaterThanOrEqual(marked.body.next_charge_at);
    expect((await get(`/v1/subscriptions/${other.id}/invoices`)).data.map((i: Json) => i.cycle)).toEqual([0]);
    expect(await balance()).toBe(before);
    await waitFor("subscription.canceled delivered", async () =>
      receiver.received.some(
        (r) => r.body?.type === "subscription.canceled" && r.body.data.object.id === other.id,
      ),
    );
  });
});
