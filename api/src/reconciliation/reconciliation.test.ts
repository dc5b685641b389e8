/**
 * Reconciliation against a real stack: a clean run over 200 mixed payments (permit, allowance, ERC-3009,
 * pre-approved; released early, refunded in part and in full, left in escrow) finds nothing; then each
 * mismatch kind is produced on purpose by corrupting rows in the test database, found once, alerted,
 * resolved, reported (JSON and CSV) and cleared when the data is right again. A failing webhook
 * endpoint is alerted with webhook.endpoint_failing. Fiat (sandbox wallet): a fiat-paid order
 * reconciles clean, then captures without funding, double funding and one-sided refunds are found; the
 * risk rules refuse fiat sessions by country, repeated failures and a blocklisted customer.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DevRole } from "../../../contracts/lib/accounts.ts";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiClient, apiClient } from "../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { evmMine } from "../../../test/harness/payments.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../../test/harness/webhookReceiver.ts";
import { type SandboxWallet, startSandboxWallet } from "../fiat/sandbox/simulator.ts";

let s: ApiStack;
let c: ApiClient;
let admin: ApiClient;
let receiver: WebhookReceiver;
let wallet: SandboxWallet;
let dir: string;
let blocklist: string;
const T = "pier_api";
const N = 200;

beforeAll(async () => {
  const apiKey = `sbx_${randomBytes(12).toString("hex")}`;
  const webhookSecret = `whs_${randomBytes(12).toString("hex")}`;
  dir = await mkdtemp(join(tmpdir(), "pier-recon-"));
  blocklist = join(dir, "blocklist.txt");
  await writeFile(blocklist, "");
  wallet = await startSandboxWallet({ apiKey, webhookSecret });
  s = await startApiStack({
    // Passes run when the test says (POST /v1/reconciliation/runs): with no grace period, a scheduled
    // pass in the middle of 200 payments would report orders the syncer has not caught up with yet.
    PIER_RECONCILIATION_GRACE_SECONDS: "0",
    PIER_RECONCILIATION_CRON: "0 0 1 1 *",
    PIER_WEBHOOK_FAILING_AFTER: "3",
    PIER_SANDBOX_URL: wallet.url,
    PIER_SANDBOX_API_KEY: apiKey,
    PIER_SANDBOX_WEBHOOK_SECRET: webhookSecret,
    PIER_RISK_BLOCKLIST: blocklist,
    PIER_RISK_BLOCKLIST_REFRESH_MS: "100",
    PIER_RISK_COUNTRY_HEADER: "x-customer-country",
  });
  wallet.setWebhookUrl(`${s.api.url}/v1/fiat/webhooks/sandbox`);
  c = s.client;
  admin = apiClient(s.api.url, s.adminKey);
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await s?.stop();
  await wallet?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field.
type Json = any;

async function pub(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${s.api.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function fiatSession(
  client: ApiClient,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const o = await client.post("/v1/orders", { amount: "25000000" });
  expect(o.status).toBe(200);
  const quote = await pub(`/v1/checkout/${o.body.id}/fiat/quotes`, { currency: "EUR" });
  expect(quote.status).toBe(200);
  const session = await pub(
    `/v1/checkout/${o.body.id}/fiat/sessions`,
    { fx_quote: quote.body.id, wallet: "paypal", return_url: "http://127.0.0.1:5173/pay/x", ...extra },
    headers,
  );
  return { orderId: o.body.id as string, session };
}

async function providerRef(sessionId: string): Promise<string> {
  const { rows } = await s.stack.db.query(`SELECT provider_ref FROM ${T}.fiat_session WHERE id = $1`, [
    sessionId,
  ]);
  return rows[0].provider_ref;
}

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
    const terms = paymentTermsFromJson(o.terms);
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

    const metrics = await s.api.metrics();
    expect(metrics).toMatch(/pier_api_reconciliation_open_findings\{kind="token_mismatch"\} 1/);
    expect(metrics).toMatch(/pier_api_reconciliation_findings_total\{kind="paid_not_credited"\} 1/);

    // The data is right again: the finding is closed by the next pass.
    await db.query(`UPDATE ${T}.orders SET token = $2 WHERE id = $1`, [
      s3!.id,
      paymentTermsFromJson(s3!.terms).token,
    ]);
    const after = await run();
    expect(after).toMatchObject({ found: 4, auto_resolved: 1 });
    const token = (await c.get("/v1/reconciliation/findings?kind=token_mismatch")).body.data[0];
    expect(token).toMatchObject({ status: "resolved", resolved_by: "system" });

    // The same mismatch again: the finding reopens and is alerted again; the one a person resolved
    // (amount_mismatch, still there) stays resolved.
    await db.query(
      `UPDATE ${T}.orders SET token = '0x0000000000000000000000000000000000000001' WHERE id = $1`,
      [s3!.id],
    );
    expect(await run()).toMatchObject({ found: 5, new_findings: 1 });
    const reopened = (await c.get("/v1/reconciliation/findings?kind=token_mismatch")).body.data[0];
    expect(reopened).toMatchObject({ id: token.id, status: "open", resolved_by: null });
    expect((await c.get("/v1/events?type=reconciliation.mismatch&limit=100")).body.data).toHaveLength(6);
    expect((await c.get(`/v1/reconciliation/findings?kind=amount_mismatch`)).body.data[0].status).toBe(
      "resolved",
    );
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
    const metrics = await s.api.metrics();
    expect(metrics).toMatch(/pier_api_webhook_endpoints_failing 1/);
  });

  test("behavior: fiat captures vs fundings vs refunds: clean when paid, then each fiat mismatch found", async () => {
    const { orderId, session } = await fiatSession(c);
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    wallet.approve(await providerRef(session.body.id), "paypal");
    await waitFor(
      "fiat order escrowed",
      async () => (await c.get(`/v1/orders/${orderId}`)).body.status === "escrowed",
      {
        timeoutMs: 60_000,
      },
    );
    // The indexer may show the escrow before the sender has recorded the funding's receipt; with no grace
    // period, reconciliation would rightly call that capture not funded yet.
    await waitFor("funding recorded", async () => {
      const { rows } = await s.stack.db.query(`SELECT status FROM ${T}.fiat_funding WHERE order_id = $1`, [
        orderId,
      ]);
      return rows[0]?.status === "funded";
    });
    const clean = await run();
    expect(clean.fiat_checked).toBe(true);
    expect(clean.kinds).toMatchObject({
      fiat_captured_not_funded: 0,
      fiat_funded_twice: 0,
      fiat_refund_one_side: 0,
    });

    const db = s.stack.db;
    const { rows } = await db.query(`SELECT * FROM ${T}.fiat_capture WHERE order_id = $1`, [orderId]);
    const capture = rows[0];
    // A second capture of the same order (a duplicate charge at the provider): funded twice, and that
    // capture has no funding behind it.
    await db.query(
      `INSERT INTO ${T}.fiat_capture (provider, capture_ref, session_id, order_id, fiat_currency, fiat_amount, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'captured')`,
      [
        capture.provider,
        `${capture.capture_ref}-dup`,
        capture.session_id,
        orderId,
        capture.fiat_currency,
        capture.fiat_amount,
      ],
    );
    const twice = await run();
    expect(twice.kinds).toMatchObject({
      fiat_funded_twice: 1,
      fiat_captured_not_funded: 1,
      fiat_refund_one_side: 0,
    });
    // The provider refunded the original capture but the escrow was never refunded on chain.
    await db.query(
      `UPDATE ${T}.fiat_capture SET status = 'refunded' WHERE provider = $1 AND capture_ref = $2`,
      [capture.provider, capture.capture_ref],
    );
    const oneSide = await run();
    expect(oneSide.kinds.fiat_refund_one_side).toBe(1);
    const findings = (await c.get(`/v1/reconciliation/findings?limit=100`)).body.data.filter(
      (f: { kind: string }) => f.kind.startsWith("fiat_"),
    );
    expect(findings.map((f: { kind: string }) => f.kind).sort()).toEqual([
      "fiat_captured_not_funded",
      "fiat_funded_twice",
      "fiat_refund_one_side",
    ]);
    expect(findings.every((f: { order: string }) => f.order === orderId)).toBe(true);
  });

  test("behavior: fiat sessions refused by country, by repeated failures and for a blocklisted customer", async () => {
    // The local customer's IP goes on the blocklist (re-read without a restart); this merchant has the
    // blocklist rule off, the first merchant has it on (the default).
    await writeFile(blocklist, "127.0.0.1\n");
    const m = await s.newMerchant("Fiat rules");
    const rules = await m.client.post("/v1/risk/rules", {
      rules: {
        blocklist: { enabled: false, action: "hold" },
        fiat_country: { enabled: true, allowed_countries: ["DE", "FR"], action: "block" },
        fiat_failures: { enabled: true, window_seconds: 3600, max_failures: 1, action: "block" },
      },
    });
    expect(rules.status).toBe(200);
    const us = await fiatSession(m.client, {}, { "x-customer-country": "US" });
    expect(us.session.status).toBe(400);
    expect(us.session.body.error).toMatchObject({ code: "risk_blocked", param: "country" });
    const de = await fiatSession(m.client, { simulate: "decline" }, { "x-customer-country": "de" });
    expect(de.session.status, JSON.stringify(de.session.body)).toBe(200);

    // One declined attempt on the order: the next attempt on it is refused.
    wallet.approve(await providerRef(de.session.body.id));
    await waitFor("declined", async () => {
      const { rows } = await s.stack.db.query(`SELECT status FROM ${T}.fiat_session WHERE id = $1`, [
        de.session.body.id,
      ]);
      return rows[0]?.status === "declined";
    });
    const quote = await pub(`/v1/checkout/${de.orderId}/fiat/quotes`, { currency: "EUR" });
    const retry = await pub(
      `/v1/checkout/${de.orderId}/fiat/sessions`,
      { fx_quote: quote.body.id, wallet: "paypal", return_url: "http://127.0.0.1:5173/pay/x" },
      { "x-customer-country": "DE" },
    );
    expect(retry.status).toBe(400);
    expect(retry.body.error.message).toMatch(/fiat_failures/);

    // Where the blocklist applies the customer is refused, and nothing is created at the provider.
    const blocked = await fiatSession(c);
    expect(blocked.session.status).toBe(400);
    expect(blocked.session.body.error).toMatchObject({ code: "risk_blocked" });
    expect(blocked.session.body.error.message).toMatch(/blocklist/);
    const { rows } = await s.stack.db.query(
      `SELECT count(*)::int AS n FROM ${T}.fiat_session WHERE order_id = $1`,
      [blocked.orderId],
    );
    expect(rows[0].n).toBe(0);
  });

  test("behavior: a low treasury raises treasury.low for merchants with recent fiat sessions, once a day", async () => {
    // The same stack, with a reserve above the treasury's balance.
    await s.restartApi({ PIER_TREASURY_MIN_BALANCE: "10000000000000000" });
    await run();
    await run();
    const events = (await c.get("/v1/events?type=treasury.low")).body.data;
    expect(events).toHaveLength(1);
    expect(events[0].data.object).toMatchObject({
      object: "treasury_status",
      low: true,
      min_balance: "10000000000000000",
      chain_id: 31337,
      symbol: "tUSDC",
    });
    expect(BigInt(events[0].data.object.balance)).toBeLessThan(10n ** 16n);
    const metrics = await s.api.metrics();
    expect(metrics).toMatch(/^pier_api_treasury_low\{chain_id="31337",token="tUSDC"\} 1$/m);
    // A merchant without fiat sessions is not told.
    const other = await s.newMerchant("No fiat");
    expect((await other.client.get("/v1/events?type=treasury.low")).body.data).toEqual([]);
  });

  test("behavior: with the indexer stopped, a payment on chain is found from the chain's logs", async () => {
    const before = (await run()).kinds.paid_not_credited;
    await s.stack.indexer!.stop();
    const o = (await c.post("/v1/orders", { amount: "3000000" })).body;
    const paid = await s.stack.pay.payByPermit(paymentTermsFromJson(o.terms), "customer");
    await evmMine(s.stack.chain.rpcUrl, 1);
    const pass = await run();
    expect(pass.kinds.paid_not_credited).toBe(before + 1);
    const finding = (
      await c.get("/v1/reconciliation/findings?status=open&kind=paid_not_credited")
    ).body.data.find((f: { order: string }) => f.order === o.id);
    expect(finding.details).toMatchObject({
      source: "chain",
      order_status: "open",
      paid_tx_hash: paid.hash,
      amount: "3000000",
    });
    expect((await c.get(`/v1/orders/${o.id}`)).body.status).toBe("open");
  });
});
