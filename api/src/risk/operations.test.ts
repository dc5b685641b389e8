/**
 * Risk rules, the review queue, payment links and the settlement report against a real stack (API,
 * Postgres, chain, indexer): a blocklisted payer's payment is held on chain and the keeper leaves it
 * alone until the hold is released; a velocity hold is refunded from the queue; amount limits block
 * order creation; two payers of one link get two escrowed orders.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DevRole } from "../../../contracts/lib/accounts.ts";
import { devAccount } from "../../../contracts/lib/accounts.ts";
import { waitFor } from "../../../scripts/lib/ports.ts";
import type { ApiClient } from "../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { evmIncreaseTime, evmMine } from "../../../test/harness/payments.ts";

let s: ApiStack;
let dir: string;
let blocklist: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-risk-"));
  blocklist = join(dir, "blocklist.txt");
  await writeFile(blocklist, "# nobody yet\n");
  s = await startApiStack({ PIER_RISK_BLOCKLIST: blocklist, PIER_RISK_BLOCKLIST_REFRESH_MS: "100" });
});
afterAll(async () => {
  await s?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The test client has no PUT: the rules route is the only PUT here. */
async function putRules(m: { client: ApiClient; secretKey: string }, body: unknown) {
  const res = await fetch(`${m.client.url}/v1/risk/rules`, {
    method: "PUT",
    headers: { authorization: `Bearer ${m.secretKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely
  return { status: res.status, body: (await res.json()) as any };
}

async function order(c: ApiClient, body: Record<string, unknown>) {
  const res = await c.post("/v1/orders", body);
  expect(res.status).toBe(200);
  return res.body;
}

async function waitStatus(c: ApiClient, id: string, status: string, timeoutMs = 30_000) {
  return waitFor(
    `${id} ${status}`,
    async () => {
      const o = (await c.get(`/v1/orders/${id}`)).body;
      return o.status === status ? o : undefined;
    },
    { timeoutMs },
  );
}

async function pay(o: { terms: never }, payer: DevRole) {
  return s.stack.pay.payByAllowance(paymentTermsFromJson(o.terms), payer);
}

async function reviewOf(c: ApiClient, orderId: string) {
  return waitFor(`review of ${orderId}`, async () => {
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field.
    const list = (await c.get("/v1/risk/reviews?limit=100")).body.data as any[];
    return list.find((r) => r.order === orderId);
  });
}

async function eventTypes(c: ApiClient, orderId: string): Promise<string[]> {
  return (await c.get(`/v1/events?order=${orderId}&limit=100`)).body.data.map(
    (e: { type: string }) => e.type,
  );
}

async function keeperRuns(): Promise<number> {
  const text = await s.api.metrics();
  return [...text.matchAll(/pier_api_keeper_runs_total\{chain_id="\d+",result="[a-z]+"\} (\d+)/g)].reduce(
    (a, m) => a + Number(m[1]),
    0,
  );
}

describe("risk rules", () => {
  test("behavior: payer velocity holds the payment past max_count; refund from the queue", async () => {
    const m = await s.newMerchant("Velocity shop");
    const put = await putRules(m, {
      rules: { payer_velocity: { enabled: true, window_seconds: 3600, max_count: 1, action: "hold" } },
    });
    expect(put.status).toBe(200);
    expect(put.body.rules.payer_velocity).toEqual({
      enabled: true,
      window_seconds: 3600,
      max_count: 1,
      action: "hold",
    });
    expect(put.body.rules.blocklist).toEqual({ enabled: true, action: "hold" });

    const first = await order(m.client, { amount: "3000000" });
    await pay(first, "customer");
    await waitStatus(m.client, first.id, "escrowed");
    const second = await order(m.client, { amount: "4000000" });
    await pay(second, "customer");
    const review = await reviewOf(m.client, second.id);
    expect(review).toMatchObject({
      object: "risk_review",
      stage: "payment",
      outcome: "hold",
      status: "open",
      payer: devAccount("customer").address.toLowerCase(),
      findings: [{ rule: "payer_velocity", action: "hold", evidence: { count: 2, max_count: 1 } }],
    });
    // At the threshold (the first payment, count 1) nothing fired.
    const reviews = (await m.client.get("/v1/risk/reviews")).body.data;
    expect(reviews.map((r: { order: string }) => r.order)).toEqual([second.id]);
    await waitFor(
      "hold on chain",
      async () => (await m.client.get(`/v1/orders/${second.id}`)).body.payment?.held,
    );
    expect(await eventTypes(m.client, second.id)).toContain("risk.held");

    const refunded = await m.client.post(`/v1/risk/reviews/${review.id}/refund`, {
      note: "stolen card pattern",
    });
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ status: "refunded", review_note: "stolen card pattern" });
    expect(refunded.body.reviewed_by).toMatch(/^key_/);
    // The decision is in the audit log once, by that key, in the same transaction as the refund.
    const audited = await s.stack.db.query(
      "SELECT actor_type, actor_id, details FROM pier_api.audit_log WHERE action = 'risk.review_refund' AND object_id = $1",
      [review.id],
    );
    expect(audited.rows).toEqual([
      {
        actor_type: "api_key",
        actor_id: refunded.body.reviewed_by,
        details: { order: second.id, status: "refunded", note: "stolen card pattern" },
      },
    ]);
    await waitStatus(m.client, second.id, "refunded");
    const again = await m.client.post(`/v1/risk/reviews/${review.id}/release-hold`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("review_not_open_hold");
  });

  test("behavior: fresh wallet flags a payer first seen within min_age_seconds, not at 0", async () => {
    const m = await s.newMerchant("Fresh shop");
    const rule = (min: number) => ({
      rules: { fresh_wallet: { enabled: true, min_age_seconds: min, check_nonce: true, action: "flag" } },
    });
    expect((await putRules(m, rule(3600))).status).toBe(200);
    const first = await order(m.client, { amount: "1000000" });
    await pay(first, "customer2");
    const review = await reviewOf(m.client, first.id);
    expect(review).toMatchObject({ outcome: "flag", findings: [{ rule: "fresh_wallet", action: "flag" }] });
    const evidence = review.findings[0].evidence;
    expect(evidence.min_age_seconds).toBe(3600);
    expect(evidence.age_seconds).toBeLessThan(3600);
    // The payer has sent transactions (its approvals), so only the age made it fire.
    expect(evidence.nonce).toBeGreaterThan(0);
    expect(await eventTypes(m.client, first.id)).toContain("risk.flagged");

    expect((await putRules(m, rule(0))).status).toBe(200);
    const second = await order(m.client, { amount: "1000000" });
    await pay(second, "customer2");
    await waitStatus(m.client, second.id, "escrowed");
    const reviews = (await m.client.get("/v1/risk/reviews")).body.data;
    expect(reviews.map((r: { order: string }) => r.order)).toEqual([first.id]);
  });

  test("behavior: amount limit blocks order creation with a 400; merchant velocity flags", async () => {
    const m = await s.newMerchant("Limits shop");
    const bad = await putRules(m, { rules: { amount_limit: { enabled: true, action: "nope" } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.type).toBe("invalid_request_error");
    const put = await putRules(m, {
      rules: {
        amount_limit: { enabled: true, max_amount: "50000000", action: "block" },
        merchant_velocity: { enabled: true, window_seconds: 600, max_count: 1, action: "flag" },
      },
    });
    expect(put.status).toBe(200);
    expect((await m.client.get("/v1/risk/rules")).body.rules.amount_limit.max_amount).toBe("50000000");

    const blocked = await m.client.post("/v1/orders", { amount: "50000001" });
    expect(blocked.status).toBe(400);
    expect(blocked.body.error).toMatchObject({
      type: "invalid_request_error",
      code: "risk_blocked",
      param: "amount",
    });
    expect(blocked.body.error.message).toMatch(/amount_limit/);
    expect((await m.client.get("/v1/orders")).body.data).toHaveLength(0);

    const atLimit = await order(m.client, { amount: "50000000" });
    expect(await eventTypes(m.client, atLimit.id)).not.toContain("risk.flagged");
    const second = await order(m.client, { amount: "1000000" });
    const flag = await reviewOf(m.client, second.id);
    expect(flag).toMatchObject({
      stage: "order",
      outcome: "flag",
      findings: [{ rule: "merchant_velocity" }],
    });
    expect(await eventTypes(m.client, second.id)).toContain("risk.flagged");
    const dismissed = await m.client.post(`/v1/risk/reviews/${flag.id}/dismiss`, { note: "busy day" });
    expect(dismissed.body.status).toBe("dismissed");
  });
});

describe("payment links", () => {
  test("default: two payers pay the same link -> two orders, both escrowed; analytics; deactivate", async () => {
    const c = s.client;
    const missing = await c.post("/v1/links", { amount_type: "fixed" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.param).toBe("amount");
    const created = await c.post(
      "/v1/links",
      {
        amount_type: "customer_chosen",
        min_amount: "1000000",
        max_amount: "20000000",
        description: "Tip jar",
      },
      { idempotencyKey: "link-1" },
    );
    expect(created.status).toBe(200);
    const link = created.body;
    expect(link).toMatchObject({
      object: "payment_link",
      active: true,
      analytics: { orders: 0, paid: 0, volume: "0" },
    });
    expect(link.url).toBe(`http://127.0.0.1:5173/l/${link.id}`);
    const replay = await c.post(
      "/v1/links",
      {
        amount_type: "customer_chosen",
        min_amount: "1000000",
        max_amount: "20000000",
        description: "Tip jar",
      },
      { idempotencyKey: "link-1" },
    );
    expect(replay.body.id).toBe(link.id);

    const pub = s.client.withKey(undefined);
    const view = await pub.get(`/v1/checkout/links/${link.id}`);
    expect(view.body).toMatchObject({
      merchant_name: "Test shop",
      amount_type: "customer_chosen",
      currency: "tUSDC",
    });
    const low = await pub.post(`/v1/checkout/links/${link.id}/orders`, { amount: "999999" });
    expect(low.status).toBe(400);
    expect(low.body.error).toMatchObject({ code: "amount_too_small", param: "amount" });

    const a = await pub.post(`/v1/checkout/links/${link.id}/orders`, { amount: "5000000" });
    const b = await pub.post(`/v1/checkout/links/${link.id}/orders`, { amount: "7000000" });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.order).not.toBe(b.body.order);
    expect(a.body.checkout_url).toBe(`http://127.0.0.1:5173/pay/${a.body.order}`);
    const orderA = (await c.get(`/v1/orders/${a.body.order}`)).body;
    const orderB = (await c.get(`/v1/orders/${b.body.order}`)).body;
    expect(orderA.metadata.payment_link).toBe(link.id);
    await pay(orderA, "customer");
    await pay(orderB, "customer2");
    const [ea, eb] = await Promise.all([
      waitStatus(c, orderA.id, "escrowed"),
      waitStatus(c, orderB.id, "escrowed"),
    ]);
    expect(ea.payment.payer).toBe(devAccount("customer").address);
    expect(eb.payment.payer).toBe(devAccount("customer2").address);

    const stats = (await c.get(`/v1/links/${link.id}`)).body.analytics;
    expect(stats).toEqual({ orders: 2, paid: 2, volume: "12000000" });
    const off = await c.post(`/v1/links/${link.id}/deactivate`, {});
    expect(off.body.active).toBe(false);
    const refused = await pub.post(`/v1/checkout/links/${link.id}/orders`, { amount: "5000000" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("link_inactive");
    expect((await c.get("/v1/links")).body.data.map((l: { id: string }) => l.id)).toContain(link.id);
  });
});

describe("holds and the keeper", () => {
  test("behavior: a blocklisted payer's payment is held; the keeper skips it until release-hold", async () => {
    const c = s.client;
    // Reloaded without a restart.
    await writeFile(blocklist, `# sanctioned\n${devAccount("customer2").address}\n`);
    const o = await order(c, { amount: "2000000", escrow_period: 5 });
    await pay(o, "customer2");
    const review = await reviewOf(c, o.id);
    expect(review).toMatchObject({ outcome: "hold", findings: [{ rule: "blocklist" }] });
    await waitFor("hold on chain", async () => (await c.get(`/v1/orders/${o.id}`)).body.payment?.held);
    const early = await c.post(`/v1/orders/${o.id}/release`, {});
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("order_on_hold");

    await evmIncreaseTime(s.stack.chain.rpcUrl, 10);
    await evmMine(s.stack.chain.rpcUrl, 1);
    const runs = await keeperRuns();
    await waitFor("two keeper runs past maturity", async () => (await keeperRuns()) >= runs + 2, {
      timeoutMs: 20_000,
    });
    expect((await c.get(`/v1/orders/${o.id}`)).body.status).toBe("escrowed");

    const released = await c.post(`/v1/risk/reviews/${review.id}/release-hold`, { note: "false positive" });
    expect(released.status).toBe(200);
    expect(released.body.status).toBe("released");
    const settled = await waitStatus(c, o.id, "settled", 60_000);
    expect(settled.payment.held).toBe(false);
    expect(await eventTypes(c, o.id)).toEqual(expect.arrayContaining(["risk.held", "order.settled"]));
  });
});

describe("risk rules: holds decided before the payment", () => {
  test("behavior: an open hold from the fiat session is placed on chain once the payment is seen; the payment rules add no review", async () => {
    const m = await s.newMerchant("Fiat hold shop");
    const o = await order(m.client, { amount: "2000000", escrow_period: 5 });
    // What evaluateFiatSession stores when the card route's rules decide `hold` before any payment exists.
    await s.stack.db.query(
      `INSERT INTO pier_api.risk_reviews (id, merchant_id, livemode, order_id, stage, outcome, findings)
       VALUES ($1, $2, false, $3, 'fiat_session', 'hold', '[{"rule":"fiat_failures"}]')`,
      [`rrev_fiat_${o.id}`, m.merchantId, o.id],
    );
    await pay(o, "customer");
    await waitFor("hold on chain", async () => (await m.client.get(`/v1/orders/${o.id}`)).body.payment?.held);
    const reviews = await s.stack.db.query<{ stage: string }>(
      "SELECT stage FROM pier_api.risk_reviews WHERE order_id = $1 ORDER BY stage",
      [o.id],
    );
    expect(reviews.rows.map((r) => r.stage)).toEqual(["fiat_session"]);
  });
});

describe("settlement report", () => {
  test("default: per day gross, fees, refunds, net in token units and the reporting currency; CSV", async () => {
    const c = s.client;
    const orders = (await c.get("/v1/orders?limit=100")).body.data.filter(
      (o: { payment: unknown }) => o.payment,
    );
    const gross: bigint = orders.reduce((a: bigint, o: { amount: string }) => a + BigInt(o.amount), 0n);
    const fees: bigint = orders.reduce((a: bigint, o: { fee_paid: string }) => a + BigInt(o.fee_paid), 0n);
    // The range named from the payments' own (block) days: the local chain runs ahead of the wall clock,
    // so just before midnight the server's default range (ending on its today) could miss the last ones.
    const days = orders
      .map((o: { payment: { paid_at: number } }) =>
        new Date(o.payment.paid_at * 1000).toISOString().slice(0, 10),
      )
      .sort();
    const range = `from=${days[0]}&to=${days.at(-1)}`;
    const res = await c.get(`/v1/reports/settlement?currency=EUR&${range}`);
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r).toMatchObject({ object: "settlement_report", reporting_currency: "EUR", currency: "tUSDC" });
    expect(r.totals.orders).toBe(orders.length);
    expect(r.totals.gross).toBe(gross.toString());
    expect(r.totals.fees).toBe(fees.toString());
    expect(BigInt(r.totals.net)).toBe(gross - fees - BigInt(r.totals.refunds));
    // net_fiat = net tokens at the report's rate, to the cent (exact bigint arithmetic, half up).
    const [whole, frac = ""] = r.fx_rate.split(".");
    const rate = BigInt(whole + frac);
    const scale = 10n ** BigInt(frac.length);
    const cents = (BigInt(r.totals.net) * rate * 100n * 2n + 10n ** 6n * scale) / (2n * 10n ** 6n * scale);
    expect(r.totals.net_fiat).toBe(`${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`);

    const csv = await c.get(`/v1/reports/settlement?format=csv&currency=EUR&${range}`);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trim().split("\r\n");
    expect(lines[0]).toBe(
      "date,merchant,orders,gross,refunds,fees,net,released,in_escrow,relay_fees,currency,gross_fiat,refunds_fiat,fees_fiat,net_fiat,reporting_currency,valued_at",
    );
    expect(lines).toHaveLength(r.data.length + 1);
    const bad = await c.get("/v1/reports/settlement?from=2026-02-01&to=2026-01-01");
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe("from");
  });
});
