/**
 * Reconciliation against a real stack: a clean run over 200 mixed payments (permit, allowance, ERC-3009,
 * pre-approved; released early, refunded in part and in full, left in escrow) finds nothing; then each
 * mismatch kind is produced on purpose by corrupting rows in the test database, found once, alerted,
 * resolved, reported (JSON and CSV) and cleared when the data is right again. A failing webhook
 * endpoint is alerted with webhook.endpoint_failing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DevRole } from "../../../contracts/lib/accounts.ts";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiClient, apiClient } from "../testing/apiClient.ts";
import { type ApiStack, startApiStack } from "../testing/apiStack.ts";
import { termsFromOrder } from "../testing/orderTerms.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../testing/webhookReceiver.ts";

let s: ApiStack;
let c: ApiClient;
let admin: ApiClient;
let receiver: WebhookReceiver;
const T = "pier_api";
const N = 200;

beforeAll(async () => {
  s = await startApiStack({ PIER_RECONCILIATION_GRACE_SECONDS: "0", PIER_WEBHOOK_FAILING_AFTER: "3" });
  c = s.client;
  admin = apiClient(s.api.url, s.adminKey);
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await s?.stop();
});

type Order = { id: string; status: string; amount: string; amount_refunded: string; terms: never };

async function allOrders(client: ApiClient): Promise<Order[]> {
  const out: Order[] = [];
  let after = "";
  for (;;) {
    const page = (await client.get(`/v1/orders?limit=100${after}`)).body;
    out.push(...page.data);
    if (!page.has_more) return out;
    after = `&starting_after=${page.data.at(-1).id}`;
  }
}

async function run() {
  const res = await admin.post("/v1/reconciliation/runs", {});
  expect(res.status).toBe(200);
  return res.body;
}

/** One payer's payments, one after another (a payer's nonces must not race). */
async function payAll(orders: Order[], payer: DevRole) {
  const pay = s.stack.pay;
  if (payer === "customer2") await pay.approveUnlimited(payer);
  for (const [i, o] of orders.entries()) {
    const terms = termsFromOrder(o);
    if (payer === "customer")
      await (i % 2 ? pay.payByAllowance(terms, payer) : pay.payByPermit(terms, payer));
    else await (i % 2 ? pay.payApproved(terms, payer) : pay.payByAuthorization(terms, payer, "deployer"));
  }
}

let orders: Order[] = [];

describe("reconciliation", () => {
  test("default: a clean run over 200 mixed payments finds nothing", async () => {
    for (let i = 0; i < N; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          c.post("/v1/orders", { amount: String(1_000_000 + (i + j) * 1_000) }),
        ),
      );
      for (const r of batch) {
        expect(r.status).toBe(200);
        orders.push(r.body);
      }
    }
    await Promise.all([payAll(orders.slice(0, N / 2), "customer"), payAll(orders.slice(N / 2), "customer2")]);
    await waitFor(
      "all escrowed",
      async () => (await allOrders(c)).filter((o) => o.status === "escrowed").length === N,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const released = orders.slice(0, 6);
    const partial = orders.slice(6, 10);
    const full = orders.slice(10, 13);
    for (const o of released) expect((await c.post(`/v1/orders/${o.id}/release`, {})).status).toBe(202);
    for (const o of partial) {
      const r = await c.post("/v1/refunds", { order: o.id, amount: String(BigInt(o.amount) / 2n) });
      expect(r.status).toBe(200);
    }
    for (const o of full) expect((await c.post("/v1/refunds", { order: o.id })).status).toBe(200);
    await waitFor(
      "releases and refunds on chain and synced",
      async () => {
        const byId = new Map((await allOrders(c)).map((o) => [o.id, o]));
        const refunds = (await c.get("/v1/refunds?limit=100")).body.data;
        return (
          released.every((o) => byId.get(o.id)?.status === "settled") &&
          partial.every((o) => byId.get(o.id)?.amount_refunded === String(BigInt(o.amount) / 2n)) &&
          full.every((o) => byId.get(o.id)?.status === "refunded") &&
          refunds.every((r: { status: string }) => r.status === "succeeded")
        );
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    orders = await allOrders(c);
    const clean = await run();
    expect(clean).toMatchObject({ object: "reconciliation_run", found: 0, new_findings: 0 });
    expect(Object.values(clean.kinds).every((n) => n === 0)).toBe(true);
    expect(Object.keys(clean.kinds)).toEqual(
      expect.arrayContaining([
        "paid_not_credited",
        "credited_without_payment",
        "amount_mismatch",
        "token_mismatch",
        "refund_not_on_chain",
      ]),
    );
    expect((await c.get("/v1/reconciliation/findings")).body.data).toEqual([]);
  });

  test("behavior: every mismatch kind is found once, alerted, resolvable, reported and cleared", async () => {
    const db = s.stack.db;
    const escrowed = orders.filter((o) => o.status === "escrowed" && o.amount_refunded === "0");
    const settled = orders.filter((o) => o.status === "settled");
    expect(settled.length).toBeGreaterThanOrEqual(4);
    const [e1] = escrowed;
    const [s1, s2, s3, s4] = settled;
    // The order forgets its payment (as if the syncer had missed it): paid on chain, not credited.
    await db.query(`UPDATE ${T}.orders SET status = 'open', payment = NULL WHERE id = $1`, [e1!.id]);
    // The order points at a payment the chain never saw.
    await db.query(`UPDATE ${T}.orders SET payment_id = '0x' || repeat('ab', 32) WHERE id = $1`, [s1!.id]);
    await db.query(`UPDATE ${T}.orders SET amount = amount + 1 WHERE id = $1`, [s2!.id]);
    await db.query(
      `UPDATE ${T}.orders SET token = '0x0000000000000000000000000000000000000001' WHERE id = $1`,
      [s3!.id],
    );
    await db.query(
      `INSERT INTO ${T}.refunds (id, merchant_id, livemode, order_id, amount, status, completed_at)
       VALUES ('re_fakefakefakefakefakefake', $1, false, $2, 1000, 'succeeded', now())`,
      [s.merchantId, s4!.id],
    );

    const first = await run();
    expect(first.kinds).toMatchObject({
      paid_not_credited: 1,
      credited_without_payment: 1,
      amount_mismatch: 1,
      token_mismatch: 1,
      refund_not_on_chain: 1,
    });
    expect(first).toMatchObject({ found: 5, new_findings: 5 });
    const findings = (await c.get("/v1/reconciliation/findings?status=open")).body.data;
    const byKind = Object.fromEntries(findings.map((f: { kind: string }) => [f.kind, f]));
    expect(byKind.paid_not_credited).toMatchObject({ order: e1!.id, details: { order_status: "open" } });
    expect(byKind.credited_without_payment.order).toBe(s1!.id);
    expect(byKind.amount_mismatch.details).toEqual(
      expect.objectContaining({ order_amount: String(BigInt(s2!.amount) + 1n), paid_amount: s2!.amount }),
    );
    expect(byKind.token_mismatch.order).toBe(s3!.id);
    expect(byKind.refund_not_on_chain.details).toMatchObject({ api_refunded: "1000", chain_refunded: "0" });
    const alerts = (await c.get("/v1/events?type=reconciliation.mismatch&limit=100")).body.data;
    expect(alerts).toHaveLength(5);

    // Seen again: stored once, alerted once.
    expect(await run()).toMatchObject({ found: 5, new_findings: 0 });
    expect((await c.get("/v1/events?type=reconciliation.mismatch&limit=100")).body.data).toHaveLength(5);

    const id = byKind.amount_mismatch.id;
    const noNote = await c.post(`/v1/reconciliation/findings/${id}/resolve`, {});
    expect(noNote.status).toBe(400);
    const resolved = await c.post(`/v1/reconciliation/findings/${id}/resolve`, {
      note: "chain is right; fixed",
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: "resolved", resolution_note: "chain is right; fixed" });
    expect(resolved.body.resolved_by).toMatch(/^key_/);
    expect((await c.post(`/v1/reconciliation/findings/${id}/resolve`, { note: "again" })).status).toBe(409);

    const report = (await c.get("/v1/reports/reconciliation")).body;
    expect(report).toMatchObject({ object: "reconciliation_report", open: 4 });
    expect(report.by_kind.amount_mismatch).toEqual({ open: 0, resolved: 1 });
    const csv = await c.get("/v1/reports/reconciliation?format=csv");
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trim().split("\r\n");
    expect(lines[0]).toBe(
      "id,kind,status,order,subject,detected_at,last_seen_at,resolved_at,resolved_by,resolution_note,details",
    );
    expect(lines).toHaveLength(6);

    const metrics = await fetch(`${s.api.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/pier_api_reconciliation_open_findings\{kind="token_mismatch"\} 1/);
    expect(metrics).toMatch(/pier_api_reconciliation_findings_total\{kind="paid_not_credited"\} 1/);

    // The data is right again: the finding is closed by the next pass.
    await db.query(`UPDATE ${T}.orders SET token = $2 WHERE id = $1`, [s3!.id, termsFromOrder(s3!).token]);
    const after = await run();
    expect(after).toMatchObject({ found: 4, auto_resolved: 1 });
    const token = (await c.get("/v1/reconciliation/findings?kind=token_mismatch")).body.data[0];
    expect(token).toMatchObject({ status: "resolved", resolved_by: "system" });
  });

  test("behavior: an endpoint failing every delivery raises webhook.endpoint_failing once", async () => {
    const m = await s.newMerchant("Failing hooks");
    receiver.respond = () => 500;
    const ep = await m.client.post("/v1/webhook_endpoints", {
      url: receiver.url,
      enabled_events: ["order.canceled"],
    });
    expect(ep.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const o = await m.client.post("/v1/orders", { amount: "1000000" });
      expect((await m.client.post(`/v1/orders/${o.body.id}/cancel`, {})).status).toBe(200);
    }
    await waitFor("three failed deliveries", async () => receiver.received.length >= 3, {
      timeoutMs: 30_000,
    });
    await waitFor("attempts recorded", async () => {
      const { rows } = await s.stack.db.query(
        `SELECT count(*)::int AS n FROM ${T}.webhook_attempts a JOIN ${T}.webhook_deliveries d ON d.id = a.delivery_id
          WHERE d.endpoint_id = $1`,
        [ep.body.id],
      );
      return rows[0].n >= 3;
    });
    await run();
    await run();
    const events = (await m.client.get("/v1/events?type=webhook.endpoint_failing")).body.data;
    expect(events).toHaveLength(1);
    expect(events[0].data.object).toMatchObject({
      endpoint: ep.body.id,
      url: receiver.url,
      last_status_code: 500,
    });
    const metrics = await fetch(`${s.api.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/pier_api_webhook_endpoints_failing 1/);
  });
});
