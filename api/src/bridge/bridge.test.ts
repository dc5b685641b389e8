/**
 * The fiat bridge end to end on one real stack (Postgres, Hardhat, indexer, API child process) and the
 * sandbox wallet simulator: FX quote routes, fiat sessions, webhook verification and de-duplication,
 * exactly-once escrow funding (duplicates, kill -9 between capture and funding), declined and reversed
 * payments, the low-treasury refusal, and a partial refund flowing out through the provider.
 */

import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { parseMinorUnits } from "@pier/money/units";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { startStripeEmulator } from "../../../test/emulators/stripe.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { account, evmIncreaseTime, evmMine } from "../../../test/harness/payments.ts";
import { type SandboxWallet, startSandboxWallet } from "../fiat/sandbox/simulator.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field.
type Json = Record<string, any>;

const apiKey = `sbx_${randomBytes(12).toString("hex")}`;
const webhookSecret = `whs_${randomBytes(12).toString("hex")}`;
let wallet: SandboxWallet;
let s: ApiStack;
const T = { timeoutMs: 60_000 };

const api = () => s.api.url;
async function pub(method: "GET" | "POST", path: string, body?: unknown) {
  const res = await fetch(`${api()}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}
const q = async <T = Json>(sql: string, params: unknown[] = []) =>
  (await s.stack.db.query(sql.replaceAll("pier_api.", `"pier_api".`), params)).rows as T[];

async function newOrder(amount = "25000000"): Promise<string> {
  const res = await s.client.post("/v1/orders", { amount, description: "Fiat test" });
  expect(res.status).toBe(200);
  return res.body.id as string;
}

async function startSession(orderId: string, currency: string, extra: Record<string, unknown> = {}) {
  const quote = await pub("POST", `/v1/checkout/${orderId}/fiat/quotes`, { currency });
  expect(quote.status).toBe(200);
  const session = await pub("POST", `/v1/checkout/${orderId}/fiat/sessions`, {
    fx_quote: quote.body.id,
    wallet: "paypal",
    return_url: "http://127.0.0.1:5173/pay/x",
    ...extra,
  });
  expect(session.status, JSON.stringify(session.body)).toBe(200);
  return { quote: quote.body, session: session.body };
}

const providerRef = async (sessionId: string) =>
  (
    await q<{ provider_ref: string }>("SELECT provider_ref FROM pier_api.fiat_session WHERE id = $1", [
      sessionId,
    ])
  )[0]!.provider_ref;

const orderStatus = async (id: string) => (await s.client.get(`/v1/orders/${id}`)).body.status as string;

beforeAll(async () => {
  wallet = await startSandboxWallet({ apiKey, webhookSecret });
  s = await startApiStack({
    PIER_SANDBOX_URL: wallet.url,
    PIER_SANDBOX_API_KEY: apiKey,
    PIER_SANDBOX_WEBHOOK_SECRET: webhookSecret,
    PIER_FIAT_TIMEOUT_MS: "3000",
  });
  wallet.setWebhookUrl(`${s.api.url}/v1/fiat/webhooks/sandbox`);
}, 180_000);

afterAll(async () => {
  await s?.stop();
  await wallet?.close();
});

describe("fx quotes", () => {
  test("default: JPY has no minor unit, KWD three; retrievable by id", async () => {
    const jpy = await s.client.post("/v1/fx/quotes", { currency: "JPY", target_amount: "25000000" });
    expect(jpy.status).toBe(200);
    expect(jpy.body.source_amount).toMatch(/^[1-9][0-9]*$/);
    expect(jpy.body).toMatchObject({
      object: "fx_quote",
      fixed: "target",
      target_amount: "25000000",
      used: false,
    });
    expect(BigInt(jpy.body.fee_amount)).toBeGreaterThan(0n);
    expect(jpy.body.expires_at).toBeGreaterThan(jpy.body.created);
    const kwd = await s.client.post("/v1/fx/quotes", { currency: "KWD", amount: "10.125" });
    expect(kwd.status).toBe(200);
    expect(kwd.body.source_amount).toBe("10.125");
    const got = await s.client.get(`/v1/fx/quotes/${jpy.body.id}`);
    expect(got.body).toEqual(jpy.body);
  });

  test("error: bad input is refused in the error shape", async () => {
    const both = await s.client.post("/v1/fx/quotes", {
      currency: "EUR",
      amount: "1.00",
      target_amount: "1",
    });
    expect(both.status).toBe(400);
    expect(both.body.error.type).toBe("invalid_request_error");
    const tooPrecise = await s.client.post("/v1/fx/quotes", { currency: "JPY", amount: "100.5" });
    expect(tooPrecise.status).toBe(400);
    expect(tooPrecise.body.error.code).toBe("amount_invalid");
    const unknown = await s.client.post("/v1/fx/quotes", { currency: "XYZ", amount: "1" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("currency_not_supported");
    expect((await s.client.get("/v1/fx/quotes/fxq_000000000000000000000000")).status).toBe(404);
    expect((await pub("GET", "/v1/fx/quotes/fxq_000000000000000000000000")).status).toBe(401);
  });

  test("error: an expired quote is refused", async () => {
    const orderId = await newOrder();
    const quote = await pub("POST", `/v1/checkout/${orderId}/fiat/quotes`, { currency: "EUR" });
    await q("UPDATE pier_api.fx_quote SET expires_at = created_at + interval '1 millisecond' WHERE id = $1", [
      quote.body.id,
    ]);
    const res = await pub("POST", `/v1/checkout/${orderId}/fiat/sessions`, {
      fx_quote: quote.body.id,
      return_url: "http://127.0.0.1:5173/pay/x",
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("fx_quote_expired");
    expect(await q("SELECT 1 FROM pier_api.fiat_session WHERE order_id = $1", [orderId])).toHaveLength(0);
  });
});

describe("bridge", () => {
  let paidOrder: string;

  test("default: an EUR capture funds the escrow once despite duplicate webhooks", async () => {
    const orderId = await newOrder();
    paidOrder = orderId;
    const { quote, session } = await startSession(orderId, "EUR", { simulate: "duplicate_webhook" });
    expect(session).toMatchObject({ status: "created", currency: "EUR", amount: quote.source_amount });
    expect(session.approval_url).toContain(wallet.url);
    wallet.approve(await providerRef(session.id), "paypal");
    await waitFor("order escrowed", async () => (await orderStatus(orderId)) === "escrowed", T);
    const order = (await s.client.get(`/v1/orders/${orderId}`)).body;
    expect(order.payment.payer.toLowerCase()).toBe("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65"); // treasury4
    expect(order.payment.refund_to.toLowerCase()).toBe("0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f"); // bridge8
    expect(order.fiat_payment).toMatchObject({
      provider: "sandbox",
      currency: "EUR",
      amount: quote.source_amount,
    });
    // The public checkout shows the customer what they paid and how, and none of the bridge's ids.
    const receipt = (await pub("GET", `/v1/checkout/${orderId}`)).body.fiat_payment;
    expect(Object.keys(receipt).sort()).toEqual(["amount", "currency", "paid_at", "provider", "wallet"]);
    expect(receipt).toMatchObject({ provider: "sandbox", currency: "EUR", amount: quote.source_amount });
    expect(receipt.paid_at).toBeGreaterThan(order.created - 60);
    await wallet.idle();
    // Every webhook was delivered twice; the capture was also seen through our own capture call.
    const events = await q(
      "SELECT event_id FROM pier_api.fiat_webhook_event WHERE payload->'event'->>'providerRef' = $1",
      [await providerRef(session.id)],
    );
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(await q("SELECT 1 FROM pier_api.fiat_funding WHERE order_id = $1", [orderId])).toHaveLength(1);
    expect(
      await q("SELECT 1 FROM pier_api.chain_txs WHERE kind = 'fund' AND payload->'orderIds' ? $1", [orderId]),
    ).toHaveLength(1);
    const session2 = await pub("GET", `/v1/checkout/${orderId}/fiat/sessions/${session.id}`);
    expect(session2.body.status).toBe("captured");
  });

  test("behavior: webhook verification (replayed duplicate ok, forged and stale refused)", async () => {
    const captured = wallet.events.find((e) => e.type === "capture.completed")!;
    const url = `${api()}/v1/fiat/webhooks/sandbox`;
    const post = (d: { rawBody: string; headers: Record<string, string> }) =>
      fetch(url, { method: "POST", headers: d.headers, body: d.rawBody }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Json,
      }));
    const again = await post(wallet.signedDelivery(captured));
    expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
    const forged = wallet.signedDelivery(captured);
    forged.rawBody = forged.rawBody.replace(captured.id, `${captured.id}x`);
    const f = await post(forged);
    expect(f.status).toBe(400);
    expect(f.body.error.type).toBe("invalid_request_error");
    const stale = await post(wallet.signedDelivery(captured, Math.floor(Date.now() / 1000) - 3600));
    expect(stale.status).toBe(400);
    expect(await q("SELECT 1 FROM pier_api.fiat_funding WHERE order_id = $1", [paidOrder])).toHaveLength(1);
  });

  test("behavior: declined and reversed payments leave the order payable and are recorded", async () => {
    const declinedOrder = await newOrder();
    const d = await startSession(declinedOrder, "GBP", { simulate: "decline" });
    wallet.approve(await providerRef(d.session.id));
    await waitFor(
      "declined",
      async () =>
        (await pub("GET", `/v1/checkout/${declinedOrder}/fiat/sessions/${d.session.id}`)).body.status ===
        "declined",
      T,
    );
    const reversedOrder = await newOrder();
    const r = await startSession(reversedOrder, "EUR", { simulate: "capture_reversed" });
    wallet.approve(await providerRef(r.session.id));
    await waitFor(
      "reversed",
      async () =>
        (await pub("GET", `/v1/checkout/${reversedOrder}/fiat/sessions/${r.session.id}`)).body.status ===
        "reversed",
      T,
    );
    await wallet.idle();
    await waitFor(
      "events applied",
      async () =>
        (await q("SELECT 1 FROM pier_api.fiat_webhook_event WHERE processed_at IS NULL")).length === 0,
      T,
    );
    for (const id of [declinedOrder, reversedOrder]) {
      expect(await orderStatus(id)).toBe("open");
      expect(await q("SELECT 1 FROM pier_api.fiat_funding WHERE order_id = $1", [id])).toHaveLength(0);
    }
    const incidents = await q<{ order_id: string; kind: string }>(
      "SELECT order_id, kind FROM pier_api.fiat_incident WHERE order_id = ANY($1) ORDER BY kind",
      [[declinedOrder, reversedOrder]],
    );
    expect(incidents).toEqual([
      { order_id: declinedOrder, kind: "declined" },
      { order_id: reversedOrder, kind: "reversed" },
    ]);
    // The merchant sees them too.
    const listed = await s.client.get(`/v1/fiat_sessions?order=${reversedOrder}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).toMatchObject({ id: r.session.id, status: "reversed", currency: "EUR" });
    expect(listed.body.data[0].incidents.map((i: Json) => i.kind)).toEqual(["reversed"]);
    expect(listed.body.data[0].client_secret).toBeUndefined();
  });

  test("behavior: no webhook at all (held by the provider): the poll captures and funds once", async () => {
    const orderId = await newOrder();
    const { session } = await startSession(orderId, "CHF", { simulate: "late_webhook" });
    const ref = await providerRef(session.id);
    wallet.approve(ref);
    await waitFor("order escrowed", async () => (await orderStatus(orderId)) === "escrowed", T);
    expect(
      await q("SELECT 1 FROM pier_api.fiat_webhook_event WHERE payload->'event'->>'providerRef' = $1", [ref]),
    ).toHaveLength(0);
    await wallet.releaseWebhooks(ref);
    await wallet.idle();
    await waitFor(
      "late webhooks applied",
      async () =>
        (await q("SELECT 1 FROM pier_api.fiat_webhook_event WHERE processed_at IS NULL")).length === 0,
      T,
    );
    expect(await q("SELECT 1 FROM pier_api.fiat_funding WHERE order_id = $1", [orderId])).toHaveLength(1);
  });

  test("behavior: a partial refund goes back to the bridge, out in EUR at the original quote, and the tokens back to the treasury", async () => {
    const bridge = account("bridge").address;
    const treasury = account("treasury").address;
    const [bridge0, treasury0] = [await s.stack.pay.balanceOf(bridge), await s.stack.pay.balanceOf(treasury)];
    const before = (
      await q<{ fiat_amount: string }>(
        "SELECT fiat_amount FROM pier_api.fiat_session WHERE order_id = $1 AND status = 'captured'",
        [paidOrder],
      )
    )[0]!;
    const res = await s.client.post("/v1/refunds", { order: paidOrder, amount: "10000000" });
    expect(res.status).toBe(200);
    const refund = await waitFor(
      "fiat refund",
      async () =>
        (
          await q<{
            status: string;
            fiat_amount: string;
            fiat_currency: string;
            provider_refund_ref: string;
          }>("SELECT * FROM pier_api.fiat_refund WHERE order_id = $1 AND status = 'succeeded'", [paidOrder])
        )[0],
      T,
    );
    expect(refund.fiat_currency).toBe("EUR");
    // 10 of 25 tUSDC: 40% of the captured euros, rounded down to the cent.
    const cents = (v: string) => BigInt(v.replace(".", ""));
    expect(cents(refund.fiat_amount)).toBe((cents(before.fiat_amount) * 10n) / 25n);
    expect(wallet.events.some((e) => e.type === "refund.succeeded")).toBe(true);
    // The 10 tUSDC the escrow refunded to the bridge are swept back to the treasury, once.
    const sweeps = await waitFor(
      "sweep mined",
      async () => {
        const rows = await q<{ status: string; signer: string }>(
          `SELECT c.status, c.signer FROM pier_api.chain_txs c JOIN pier_api.fiat_refund r ON r.sweep_chain_tx_id = c.id
            WHERE r.order_id = $1`,
          [paidOrder],
        );
        return rows.every((r) => r.status === "confirmed") && rows.length > 0 ? rows : undefined;
      },
      T,
    );
    expect(sweeps).toEqual([{ status: "confirmed", signer: bridge.toLowerCase() }]);
    expect(
      await q(
        "SELECT 1 FROM pier_api.chain_txs WHERE kind = 'sweep' AND payload->>'fiatRefundId' = (SELECT id FROM pier_api.fiat_refund WHERE order_id = $1)",
        [paidOrder],
      ),
    ).toHaveLength(1);
    expect(await s.stack.pay.balanceOf(bridge)).toBe(bridge0);
    expect(await s.stack.pay.balanceOf(treasury)).toBe(treasury0 + 10_000_000n);
  });
});

describe("money edge cases", () => {
  test("behavior: a capture on an order canceled meanwhile is refunded in full, once, and recorded", async () => {
    const orderId = await newOrder();
    const { session } = await startSession(orderId, "EUR", { simulate: "duplicate_webhook" });
    const ref = await providerRef(session.id);
    expect((await s.client.post(`/v1/orders/${orderId}/cancel`, {})).status).toBe(200);
    wallet.approve(ref);
    const incident = await waitFor(
      "automatic refund recorded",
      async () =>
        (
          await q<{ detail: Json }>(
            "SELECT detail FROM pier_api.fiat_incident WHERE order_id = $1 AND kind = 'funding_failed' AND detail ? 'auto_refund'",
            [orderId],
          )
        )[0],
      T,
    );
    await wallet.idle();
    await waitFor(
      "events applied",
      async () =>
        (await q("SELECT 1 FROM pier_api.fiat_webhook_event WHERE processed_at IS NULL")).length === 0,
      T,
    );
    const capture = (
      await q<{ capture_ref: string; status: string; fiat_amount: string }>(
        "SELECT capture_ref, status, fiat_amount FROM pier_api.fiat_capture WHERE order_id = $1",
        [orderId],
      )
    )[0]!;
    expect(capture.status).toBe("refunded");
    expect(incident.detail.reason).toBe("order_not_payable");
    expect(incident.detail.auto_refund).toMatchObject({
      status: "succeeded",
      amount: session.amount,
      currency: "EUR",
    });
    // Every webhook came twice and our own capture call saw it too: the provider refunded once, in full.
    const refunds = wallet.events.filter(
      (e) => e.type === "refund.succeeded" && (e.data.object as Json).capture === capture.capture_ref,
    );
    expect(refunds).toHaveLength(1);
    expect((refunds[0]!.data.object as Json).amount).toEqual({ value: session.amount, currency: "EUR" });
    expect(await q("SELECT 1 FROM pier_api.fiat_funding WHERE order_id = $1", [orderId])).toHaveLength(0);
    expect(await orderStatus(orderId)).toBe("canceled");
    const listed = await s.client.get(`/v1/fiat_sessions?order=${orderId}`);
    expect(listed.body.data[0]).toMatchObject({ status: "refunded" });
  });

  test("behavior: a capture reversed after funding holds the escrow; the keeper releases only the other", async () => {
    const pay = async () => {
      const id = await s.client
        .post("/v1/orders", { amount: "25000000", escrow_period: 60 })
        .then((r) => r.body.id as string);
      const { session } = await startSession(id, "EUR");
      const ref = await providerRef(session.id);
      wallet.approve(ref);
      return { id, ref };
    };
    const funded = (id: string) =>
      waitFor(
        "treasury payment mined",
        async () =>
          (await q("SELECT 1 FROM pier_api.fiat_funding WHERE order_id = $1 AND status = 'funded'", [id]))
            .length === 1,
        T,
      );
    // With the indexer stopped the escrow is paid on chain but not yet seen: the reversal must wait for it.
    await s.stack.indexer!.stop();
    const kept = await pay();
    const reversed = await pay();
    await funded(kept.id);
    await funded(reversed.id);
    wallet.reverse(reversed.ref);
    await waitFor(
      "reversal recorded",
      async () =>
        (
          await q("SELECT 1 FROM pier_api.fiat_incident WHERE order_id = $1 AND kind = 'reversed'", [
            reversed.id,
          ])
        ).length === 1,
      T,
    );
    expect(await orderStatus(reversed.id)).toBe("open");
    await s.stack.startIndexer();
    await waitFor(
      "escrow held",
      async () => (await s.client.get(`/v1/orders/${reversed.id}`)).body.payment?.held === true,
      { timeoutMs: 120_000 },
    );
    await evmIncreaseTime(s.stack.chain.rpcUrl, 61);
    await evmMine(s.stack.chain.rpcUrl);
    // The keeper's pass that settles `kept` saw the held order too.
    await waitFor("other order settled", async () => (await orderStatus(kept.id)) === "settled", T);
    const held = (await s.client.get(`/v1/orders/${reversed.id}`)).body;
    expect(held.status).toBe("escrowed");
    expect(held.payment.held).toBe(true);
    expect(
      await q(
        "SELECT 1 FROM pier_api.chain_txs WHERE kind IN ('release', 'release_batch') AND payload->'orderIds' ? $1",
        [reversed.id],
      ),
    ).toHaveLength(0);
    expect(
      await q("SELECT 1 FROM pier_api.chain_txs WHERE kind = 'hold' AND payload->'orderIds' ? $1", [
        reversed.id,
      ]),
    ).toHaveLength(1);
    const incidents = await q<{ kind: string; detail: Json }>(
      "SELECT kind, detail FROM pier_api.fiat_incident WHERE order_id = $1",
      [reversed.id],
    );
    expect(incidents).toEqual([{ kind: "reversed", detail: expect.objectContaining({ funded: true }) }]);
  }, 240_000);

  test("default: the OpenAPI document declares the bridge's tags", async () => {
    const doc = (await s.client.get("/openapi.json")).body;
    const declared = new Set((doc.tags as Json[]).map((t) => t.name));
    const used = new Set<string>();
    for (const item of Object.values(doc.paths as Record<string, Record<string, Json>>))
      for (const op of Object.values(item)) for (const tag of op.tags ?? []) used.add(tag);
    for (const tag of ["FX", "Fiat", "Payouts"]) {
      expect(used).toContain(tag);
      expect(declared).toContain(tag);
    }
  });
});

describe("payouts", () => {
  test("default: settled funds are paid out in EUR at a quote; more than settled is refused", async () => {
    const orderId = await s.client
      .post("/v1/orders", { amount: "25000000", escrow_period: 60 })
      .then((r) => r.body.id as string);
    const { session } = await startSession(orderId, "EUR");
    wallet.approve(await providerRef(session.id));
    await waitFor("order escrowed", async () => (await orderStatus(orderId)) === "escrowed", T);
    await evmIncreaseTime(s.stack.chain.rpcUrl, 61);
    await evmMine(s.stack.chain.rpcUrl);
    await waitFor("order settled", async () => (await orderStatus(orderId)) === "settled", T);

    const tooMuch = await s.client.post("/v1/fx/quotes", { currency: "EUR", amount: "1000.00" });
    const refused = await s.client.post("/v1/payouts", {
      fx_quote: tooMuch.body.id,
      recipient: "shop@example.com",
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("insufficient_settled_funds");
    const wrongKind = await s.client.post("/v1/fx/quotes", { currency: "EUR", target_amount: "1000000" });
    const wrong = await s.client.post("/v1/payouts", {
      fx_quote: wrongKind.body.id,
      recipient: "shop@example.com",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("fx_quote_mismatch");

    const quote = await s.client.post("/v1/fx/quotes", { currency: "EUR", amount: "5.00" });
    const payout = await s.client.post(
      "/v1/payouts",
      { fx_quote: quote.body.id, recipient: "shop@example.com" },
      { idempotencyKey: "payout-1" },
    );
    expect(payout.status).toBe(200);
    expect(payout.body).toMatchObject({
      object: "payout",
      amount: "5.00",
      currency: "EUR",
      status: "pending",
    });
    expect(BigInt(payout.body.token_amount)).toBe(
      BigInt(quote.body.target_amount) + 2n * BigInt(quote.body.fee_amount),
    );
    const replay = await s.client.post(
      "/v1/payouts",
      { fx_quote: quote.body.id, recipient: "shop@example.com" },
      { idempotencyKey: "payout-1" },
    );
    expect(replay.body.id).toBe(payout.body.id);
    await waitFor(
      "payout paid",
      async () => (await s.client.get(`/v1/payouts/${payout.body.id}`)).body.status === "paid",
      T,
    );
    const list = await s.client.get("/v1/payouts");
    expect(list.body.data.map((p: Json) => p.id)).toEqual([payout.body.id]);
    expect(wallet.events.some((e) => e.type === "payout.paid")).toBe(true);
  });
});

/** A rates file (file source) whose EUR rate is `ageSeconds` old by the process clock. */
async function staleRatesFile(ageSeconds: number): Promise<string> {
  const asOf = new Date(Date.now() - ageSeconds * 1000).toISOString();
  const path = join(s.stack.dir, "stale-rates.json");
  await writeFile(path, JSON.stringify({ base: "USD", rates: { EUR: { rate: "0.8642", asOf } } }));
  return path;
}

describe("treasury, stale rates and crash recovery", () => {
  // A second, web-only API process (no workers) with a high treasury reserve and a short rate age.
  let other: Awaited<ReturnType<ApiStack["startApi"]>>;

  test("error: a low treasury refuses new sessions; stale rates refuse quotes", async () => {
    other = await s.startApi({
      PIER_WORKERS: "false",
      PIER_TREASURY_MIN_BALANCE: "1000000000000000000",
      // A production-style file source whose rates are two minutes old by the clock both processes share.
      PIER_FX_SOURCE: "file",
      PIER_FX_RATES_FILE: await staleRatesFile(120),
      PIER_FX_MAX_RATE_AGE_SECONDS: "60",
    });
    const orderId = await newOrder();
    const quote = await pub("POST", `/v1/checkout/${orderId}/fiat/quotes`, { currency: "EUR" });
    const refused = await fetch(`${other.url}/v1/checkout/${orderId}/fiat/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fx_quote: quote.body.id, return_url: "http://127.0.0.1:5173/pay/x" }),
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as Json).error.code).toBe("treasury_low");
    expect(await other.metrics()).toMatch(/^pier_api_treasury_low\{chain_id="31337",token="tUSDC"\} 1$/m);
    const stale = await fetch(`${other.url}/v1/fx/quotes`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${s.secretKey}` },
      body: JSON.stringify({ currency: "EUR", amount: "10.00" }),
    });
    expect(stale.status).toBe(503);
    expect(((await stale.json()) as Json).error.code).toBe("fx_rate_stale");
  });

  test("behavior: kill -9 between capture and funding -> funded once after restart", async () => {
    const orderId = await newOrder();
    const { session } = await startSession(orderId, "EUR");
    const ref = await providerRef(session.id);
    // The worker process dies; the approval webhook reaches a process that only records and queues it.
    process.kill(s.api.pid, "SIGKILL");
    await s.api.exited;
    wallet.setWebhookUrl(`${other.url}/v1/fiat/webhooks/sandbox`);
    wallet.approve(ref);
    await wallet.idle();
    await waitFor(
      "approval recorded",
      async () =>
        (
          await q(
            "SELECT 1 FROM pier_api.fiat_webhook_event WHERE payload->'event'->>'providerRef' = $1 AND processed_at IS NULL",
            [ref],
          )
        ).length > 0,
      T,
    );
    await other.stop();
    expect(await q("SELECT 1 FROM pier_api.fiat_funding WHERE order_id = $1", [orderId])).toHaveLength(0);
    await s.restartApi({});
    wallet.setWebhookUrl(`${s.api.url}/v1/fiat/webhooks/sandbox`);
    await waitFor("order escrowed", async () => (await orderStatus(orderId)) === "escrowed", T);
    await wallet.idle();
    expect(await q("SELECT 1 FROM pier_api.fiat_funding WHERE order_id = $1", [orderId])).toHaveLength(1);
    expect(await q("SELECT 1 FROM pier_api.fiat_capture WHERE order_id = $1", [orderId])).toHaveLength(1);
  });
});

describe("stripe wallets", () => {
  test("behavior: the wallet button (Stripe.js stand-in) confirms the intent; the order is escrowed once", async () => {
    const secretKey = `sk_test_${randomBytes(12).toString("hex")}`;
    const publishableKey = `pk_test_${randomBytes(12).toString("hex")}`;
    const whsec = `whsec_${randomBytes(16).toString("hex")}`;
    const emu = await startStripeEmulator({
      secretKey,
      webhookSecret: whsec,
      publishableKey,
      webhookUrl: `${s.api.url}/v1/fiat/webhooks/stripe`,
    });
    try {
      await s.restartApi({
        PIER_FIAT_PROVIDER: "stripe",
        STRIPE_SECRET_KEY: secretKey,
        STRIPE_WEBHOOK_SECRET: whsec,
        STRIPE_API_HOST: "127.0.0.1",
        STRIPE_API_PORT: String(emu.port),
        STRIPE_API_PROTOCOL: "http",
      });
      const orderId = await newOrder();
      const options = await pub("GET", `/v1/checkout/${orderId}/fiat`);
      expect(options.body).toMatchObject({ provider: "stripe", wallets: ["apple_pay", "google_pay"] });
      const quote = await pub("POST", `/v1/checkout/${orderId}/fiat/quotes`, { currency: "EUR" });
      const session = await pub("POST", `/v1/checkout/${orderId}/fiat/sessions`, {
        fx_quote: quote.body.id,
        wallet: "apple_pay",
        return_url: "http://127.0.0.1:5173/pay/x",
      });
      expect(session.status, JSON.stringify(session.body)).toBe(200);
      expect(session.body.approval_url).toBeNull();
      const clientSecret = session.body.client_secret as string;
      expect(clientSecret).toMatch(/^pi_.+_secret_/);

      // What StripeWalletButton.tsx does in the browser, run on the script the emulator serves.
      const script = await (await fetch(`${emu.url}/js/v3`)).text();
      const { stripe, mountTarget } = runStripeJs(script, publishableKey);
      const wrong = await stripe.confirmCardPayment(`${clientSecret.split("_secret_")[0]}_secret_x`, {
        payment_method: "pm_card_visa",
      });
      expect(wrong.error).toMatchObject({ param: "client_secret" });
      const asBrowser = await fetch(`${emu.url}/v1/refunds`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ key: publishableKey, charge: "ch_x" }).toString(),
      });
      expect(asBrowser.status).toBe(401);
      const request = stripe.paymentRequest({
        country: "US",
        currency: "eur",
        total: {
          label: `Order ${orderId}`,
          amount: Number(parseMinorUnits(String(session.body.amount), "EUR")),
        },
      });
      expect(await request.canMakePayment()).toMatchObject({ applePay: true, googlePay: true });
      const confirmed = new Promise<Json>((resolve) =>
        request.on("paymentmethod", async (ev: Json) => {
          const result = await stripe.confirmCardPayment(
            clientSecret,
            { payment_method: ev.paymentMethod.id },
            { handleActions: false },
          );
          ev.complete(result.error ? "fail" : "success");
          resolve({ result, ev });
        }),
      );
      stripe.elements().create("paymentRequestButton", { paymentRequest: request }).mount(mountTarget);
      mountTarget.child!.click();
      const { result, ev } = await confirmed;
      expect(result.paymentIntent).toMatchObject({ status: "requires_capture", capture_method: "manual" });
      expect(ev.completed).toBe("success");

      await waitFor("order escrowed", async () => (await orderStatus(orderId)) === "escrowed", T);
      await emu.idle();
      await waitFor(
        "events applied",
        async () =>
          (await q("SELECT 1 FROM pier_api.fiat_webhook_event WHERE processed_at IS NULL")).length === 0,
        T,
      );
      const order = (await s.client.get(`/v1/orders/${orderId}`)).body;
      expect(order.fiat_payment).toMatchObject({ provider: "stripe", wallet: "apple_pay", currency: "EUR" });
      expect(await q("SELECT 1 FROM pier_api.fiat_funding WHERE order_id = $1", [orderId])).toHaveLength(1);
      expect(
        await q("SELECT 1 FROM pier_api.chain_txs WHERE kind = 'fund' AND payload->'orderIds' ? $1", [
          orderId,
        ]),
      ).toHaveLength(1);
      const pi = clientSecret.split("_secret_")[0];
      expect(
        emu.events.filter((e) => e.type === "payment_intent.succeeded" && (e.data as Json).object.id === pi),
      ).toHaveLength(1);
    } finally {
      await s.restartApi({});
      await emu.close();
    }
  }, 180_000);
});

/** Runs the Stripe.js script as a page would: a window, fetch, and the few DOM calls it makes. */
function runStripeJs(script: string, publishableKey: string) {
  type Button = { click(): void; remove(): void; addEventListener(t: string, f: () => void): void };
  const makeButton = (): Button => {
    let onClick: (() => void) | undefined;
    return {
      click: () => onClick?.(),
      remove: () => undefined,
      addEventListener: (_t, f) => {
        onClick = f;
      },
    };
  };
  const window: Json = {};
  runInNewContext(script, {
    window,
    fetch,
    URLSearchParams,
    document: { createElement: makeButton, querySelector: () => null },
  });
  const mountTarget: { child?: Button; appendChild(b: Button): void } = {
    appendChild(b) {
      mountTarget.child = b;
    },
  };
  return { stripe: window.Stripe(publishableKey) as Json, mountTarget };
}
