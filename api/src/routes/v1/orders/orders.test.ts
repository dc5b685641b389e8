/**
 * /v1/orders, /v1/checkout and the cross-cutting conventions (errors, auth, idempotency, pagination,
 * OpenAPI, health, rate limits) against a real API process, database, chain and indexer.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../../../../../scripts/lib/ports.ts";
import { type ApiClient, apiClient } from "../../../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../../../test/harness/apiStack.ts";
import { evmMine } from "../../../../../test/harness/payments.ts";

let s: ApiStack;
let c: ApiClient;
let ratesDir: string;
let ratesFile: string;

/** A production-style rates file (units per 1 USD), stamped by the clock this run has. */
async function writeRates(rates: Record<string, string>) {
  const asOf = new Date(Date.now()).toISOString();
  const entries = Object.fromEntries(Object.entries(rates).map(([k, rate]) => [k, { rate, asOf }]));
  await writeFile(ratesFile, JSON.stringify({ base: "USD", rates: entries }));
}

beforeAll(async () => {
  ratesDir = await mkdtemp(join(tmpdir(), "pier-rates-"));
  ratesFile = join(ratesDir, "rates.json");
  // 1 EUR = 1.25 USD, 1 USD = 150 JPY: conversions with exact expected token amounts.
  await writeRates({ EUR: "0.8", JPY: "150" });
  s = await startApiStack({ PIER_FX_SOURCE: "file", PIER_FX_RATES_FILE: ratesFile });
  c = s.client;
});
afterAll(async () => {
  await s?.stop();
  await rm(ratesDir, { recursive: true, force: true });
});

const create = (body: Record<string, unknown>, opts = {}) => c.post("/v1/orders", body, opts);

/** The settlement report in EUR once the API reads today's rate as `rate` (the file is re-read each second). */
const reportAtRate = (rate: string) =>
  waitFor(`the EUR rate ${rate}`, async () => {
    const r = (await c.get("/v1/reports/settlement?currency=EUR")).body;
    return r.fx_rate === rate && r;
  });
/** The routes whose work is queued (an on-chain transaction or a delivery): they answer 202. */
const ASYNC_ROUTES = [
  "/v1/orders/{id}/release",
  "/v1/admin/orders/{id}/resolve",
  "/v1/admin/orders/{id}/hold",
  "/v1/events/{id}/redeliver",
];

function expectError(
  res: { status: number; body: unknown; headers: Headers },
  status: number,
  code: string,
  param?: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers.get("request-id")).toMatch(/^req_[0-9a-f]{24}$/);
  const error = (res.body as { error: Record<string, unknown> }).error;
  expect(error).toMatchObject({ code, type: expect.any(String), message: expect.any(String) });
  if (param !== undefined) expect(error.param).toBe(param);
}

describe("POST /v1/orders", () => {
  test("default: token amount -> open order with signed terms, checkout URL and ids", async () => {
    const res = await create({ amount: "25000000", description: "Mug", metadata: { ref: "A1" } });
    expect(res.status).toBe(200);
    const o = res.body;
    expect(o).toMatchObject({
      object: "order",
      livemode: false,
      status: "open",
      amount: "25000000",
      fee: "250000",
      amount_refunded: "0",
      currency: "tUSDC",
      chain_id: 31337,
      metadata: { ref: "A1" },
      payment: null,
      fiat: null,
    });
    expect(o.id).toMatch(/^ord_[0-9A-Za-z]{24}$/);
    expect(o.checkout_url).toBe(`http://127.0.0.1:5173/pay/${o.id}`);
    expect(o.onchain_order_id).toMatch(/^0x[0-9a-f]{64}$/);
    expect(o.terms.order_id).toBe(o.onchain_order_id);
    // Created unsigned: the operator signs when the checkout is first opened, once.
    expect(o.signature).toBeNull();
    expect(res.headers.get("request-id")).toMatch(/^req_/);
    const opened = await c.withKey(undefined).get(`/v1/checkout/${o.id}`);
    expect(opened.body.signature).toMatch(/^0x[0-9a-f]{130}$/);
    const again = await Promise.all([1, 2, 3].map(() => c.withKey(undefined).get(`/v1/checkout/${o.id}`)));
    expect(again.map((r) => r.body.signature)).toEqual(Array(3).fill(opened.body.signature));
    expect((await c.get(`/v1/orders/${o.id}`)).body.signature).toBe(opened.body.signature);
  });

  test("behavior: a fiat amount is converted exactly at the rate source's mid rate, which the order keeps", async () => {
    const res = await create({ fiat_amount: "12.34", fiat_currency: "EUR" });
    expect(res.status).toBe(200);
    expect(res.body.amount).toBe("15425000"); // 12.34 EUR * 1.25 = 15.425 tUSDC
    expect(res.body.fiat).toEqual({ amount: "12.34", currency: "EUR", rate: "1.25" });
    const yen = await create({ fiat_amount: "1500", fiat_currency: "JPY" });
    expect(yen.body.amount).toBe("10000000");
    // Zeros past the currency's minor unit change nothing (@pier/money's one rule, as for FX quotes).
    const zeros = await create({ fiat_amount: "1500.00", fiat_currency: "JPY" });
    expect(zeros.body.amount).toBe("10000000");
    const usd = await create({ fiat_amount: "7.50", fiat_currency: "USD" });
    expect(usd.body.amount).toBe("7500000");
  });

  test("behavior: the answer to a create is the stored order: a later read returns the same object", async () => {
    // createOrder answers from what it wrote plus the columns Postgres fills in (seq, created_at), so
    // every option that reaches a column is created here and compared with the row read back.
    const bodies: Record<string, unknown>[] = [
      { amount: "25000000" },
      { amount: "1", description: "Tea", metadata: { zeta: "last", a: "first", ключ: "значение" } },
      { fiat_amount: "12.34", fiat_currency: "EUR", escrow_period: 0 },
      { amount: "5000000", accept: [{ network: 31337 }], expires_at: Math.floor(Date.now() / 1000) + 3_600 },
      { amount: "5000000", success_url: "https://shop.example/ok", cancel_url: "https://shop.example/no" },
    ];
    for (const body of bodies) {
      const created = await create(body);
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      const read = await c.get(`/v1/orders/${created.body.id}`);
      expect(read.body).toEqual(created.body);
      // Key order too: a client that prints or hashes the JSON sees one object.
      expect(JSON.stringify(read.body)).toBe(JSON.stringify(created.body));
    }
  });

  test("behavior: orders created at the same moment (written in one batch) each get their own stored row", async () => {
    const bodies = Array.from({ length: 30 }, (_, i) => ({
      amount: String(1_000_000 + i),
      metadata: { n: String(i), z: "last", a: "first" },
      ...(i % 3 === 0 ? { description: `order ${i}` } : {}),
      ...(i % 5 === 0 ? { fiat_amount: "8.00", fiat_currency: "EUR", amount: undefined } : {}),
    }));
    const created = await Promise.all(bodies.map((b) => create(b)));
    expect(created.map((r) => r.status)).toEqual(Array(30).fill(200));
    expect(new Set(created.map((r) => r.body.id)).size).toBe(30);
    expect(new Set(created.map((r) => r.body.onchain_order_id)).size).toBe(30);
    for (const [i, res] of created.entries()) {
      expect(res.body.metadata.n).toBe(String(i));
      const read = await c.get(`/v1/orders/${res.body.id}`);
      expect(JSON.stringify(read.body)).toBe(JSON.stringify(res.body));
    }
  });

  test("default: an order priced in EUR is paid in tokens at its locked rate; the settlement report values it at that rate", async () => {
    expect((await c.post("/v1/risk/rules", { reporting_currency: "EUR" })).status).toBe(200);
    const order = (await create({ fiat_amount: "20.00", fiat_currency: "EUR" })).body;
    expect(order.amount).toBe("25000000");
    await s.stack.pay.payByAllowance(paymentTermsFromJson(order.terms));
    await evmMine(s.stack.chain.rpcUrl, 1);
    await waitFor("escrowed", async () => (await c.get(`/v1/orders/${order.id}`)).body.status === "escrowed");
    // The euro doubles against the dollar afterwards: the sale is still worth what it was sold for.
    await writeRates({ EUR: "0.4", JPY: "150" });
    const report = await reportAtRate("0.4");
    const day = report.data.find((d: { valued_at: string }) => d.valued_at === "sale");
    expect(day).toMatchObject({
      orders: 1,
      gross: "25000000",
      gross_fiat: "20.00",
      reporting_currency: "EUR",
    });
    // An order priced in tokens while EUR was the reporting currency keeps its own rate too (0.4 EUR/USD now).
    await writeRates({ EUR: "0.8", JPY: "150" });
    await reportAtRate("0.8");
    const tokens = (await create({ amount: "10000000" })).body;
    await s.stack.pay.payByAllowance(paymentTermsFromJson(tokens.terms));
    await evmMine(s.stack.chain.rpcUrl, 1);
    await waitFor(
      "escrowed",
      async () => (await c.get(`/v1/orders/${tokens.id}`)).body.status === "escrowed",
    );
    await writeRates({ EUR: "0.9", JPY: "150" });
    const again = await reportAtRate("0.9");
    expect(again.totals.gross_fiat).toBe("28.00"); // 20.00 + 10 tUSDC at 0.8 EUR
    await c.post("/v1/risk/rules", { reporting_currency: "USD" });
    await writeRates({ EUR: "0.8", JPY: "150" });
  });

  test("error: every validation failure is a 400 naming the parameter, and creates nothing", async () => {
    const before = (await c.get("/v1/orders?limit=100")).body.data.length;
    expectError(await create({}), 400, "parameter_missing", "amount");
    expectError(await create({ amount: 25000000 }), 400, "parameter_invalid", "amount");
    expectError(await create({ amount: "-5" }), 400, "parameter_invalid", "amount");
    expectError(await create({ amount: "1.5" }), 400, "parameter_invalid", "amount");
    expectError(await create({ amount: "0" }), 400, "parameter_invalid", "amount");
    expectError(
      await create({ amount: "1", fiat_amount: "1", fiat_currency: "USD" }),
      400,
      "parameter_invalid",
      "amount",
    );
    expectError(await create({ fiat_amount: "1.00" }), 400, "parameter_missing", "fiat_currency");
    expectError(await create({ fiat_currency: "USD" }), 400, "parameter_missing", "fiat_amount");
    expectError(await create({ amount: "1", network: 1e300 }), 400, "parameter_invalid", "network");
    expectError(
      await create({ fiat_amount: "1", fiat_currency: "GBP" }),
      400,
      "currency_not_supported",
      "fiat_currency",
    );
    expectError(
      await create({ fiat_amount: "1.5", fiat_currency: "JPY" }),
      400,
      "amount_invalid",
      "fiat_amount",
    );
    expectError(
      await create({ fiat_amount: "12.3456", fiat_currency: "EUR" }),
      400,
      "amount_invalid",
      "fiat_amount",
    );
    expectError(
      await create({ fiat_amount: "1,5", fiat_currency: "USD" }),
      400,
      "parameter_invalid",
      "fiat_amount",
    );
    expectError(await create({ amount: "1", colour: "blue" }), 400, "parameter_unknown", "colour");
    expectError(await create({ amount: "1", expires_at: 1 }), 400, "parameter_invalid", "expires_at");
    expectError(
      await create({ amount: "1", success_url: "javascript:alert(1)" }),
      400,
      "parameter_invalid",
      "success_url",
    );
    expectError(await create({ amount: "1", metadata: { k: "x".repeat(501) } }), 400, "parameter_invalid");
    expectError(await create({ amount: "1", metadata: { k: 1 } }), 400, "parameter_invalid");
    expectError(await create({ amount: (2n ** 128n).toString() }), 400, "parameter_invalid", "amount");
    expectError(await c.post("/v1/orders", undefined, { rawBody: "{not json" }), 400, "invalid_json");
    expectError(
      await c.post("/v1/orders", undefined, {
        rawBody: "amount=1",
        headers: { "content-type": "text/plain" },
      }),
      415,
      "unsupported_media_type",
    );
    expect((await c.get("/v1/orders?limit=100")).body.data.length).toBe(before);
  });

  test("error: authentication and permission failures", async () => {
    const anon = c.withKey(undefined);
    expectError(await anon.post("/v1/orders", { amount: "1" }), 401, "api_key_missing");
    expectError(await c.withKey("sk_test_nope").get("/v1/orders"), 401, "api_key_invalid");
    expectError(await c.withKey(`sk_test_${"a".repeat(40)}`).get("/v1/orders"), 401, "api_key_invalid");
    expectError(await c.withKey(`sk_live_${"a".repeat(40)}`).get("/v1/orders"), 401, "api_key_invalid");
    const basic = await fetch(`${s.api.url}/v1/orders`, { headers: { authorization: "Basic abc" } });
    expect(basic.status).toBe(401);

    const readOnly = await c.post("/v1/keys", { type: "restricted", scopes: ["orders:read"] });
    const ro = c.withKey(readOnly.body.secret);
    expect((await ro.get("/v1/orders")).status).toBe(200);
    expectError(await ro.post("/v1/orders", { amount: "1" }), 403, "insufficient_scope");
    expectError(await ro.get("/v1/refunds"), 403, "insufficient_scope");

    await c.post(`/v1/keys/${readOnly.body.id}/revoke`);
    expectError(await ro.get("/v1/orders"), 401, "api_key_revoked");
  });

  test("error: another merchant's order is not found, never forbidden", async () => {
    const mine = (await create({ amount: "1000" })).body;
    const other = await s.newMerchant("Other shop");
    expectError(await other.client.get(`/v1/orders/${mine.id}`), 404, "resource_missing", "id");
    expectError(await other.client.post(`/v1/orders/${mine.id}/cancel`), 404, "resource_missing", "id");
    expect((await other.client.get("/v1/orders")).body.data).toEqual([]);
  });
});

describe("GET /v1/orders", () => {
  test("default: retrieve; unknown and malformed ids", async () => {
    const o = (await create({ amount: "777" })).body;
    const got = await c.get(`/v1/orders/${o.id}`);
    expect(got.body).toEqual(o);
    expectError(await c.get("/v1/orders/ord_000000000000000000000000"), 404, "resource_missing", "id");
    // Not in Pier's id format: as missing as an unknown id (Stripe answers both 404).
    expectError(await c.get("/v1/orders/nope"), 404, "resource_missing", "id");
  });

  test("behavior: filters by status, created range and metadata; cursor pagination both ways", async () => {
    const m = await s.newMerchant("Pager");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (await m.client.post("/v1/orders", { amount: "100", metadata: { batch: "b1", n: String(i) } })).body
          .id,
      );
    }
    await m.client.post(`/v1/orders/${ids[1]}/cancel`);
    const newestFirst = [...ids].reverse();

    const page1 = await m.client.get("/v1/orders?limit=2");
    expect(page1.body).toMatchObject({ object: "list", has_more: true, url: "/v1/orders" });
    expect(page1.body.data.map((o: { id: string }) => o.id)).toEqual(newestFirst.slice(0, 2));
    const page2 = await m.client.get(`/v1/orders?limit=2&starting_after=${newestFirst[1]}`);
    expect(page2.body.data.map((o: { id: string }) => o.id)).toEqual(newestFirst.slice(2, 4));
    const page3 = await m.client.get(`/v1/orders?limit=2&starting_after=${newestFirst[3]}`);
    expect(page3.body).toMatchObject({ has_more: false });
    expect(page3.body.data.map((o: { id: string }) => o.id)).toEqual(newestFirst.slice(4));
    const back = await m.client.get(`/v1/orders?limit=2&ending_before=${newestFirst[4]}`);
    expect(back.body.data.map((o: { id: string }) => o.id)).toEqual(newestFirst.slice(2, 4));
    expect(back.body.has_more).toBe(true);

    const canceled = await m.client.get("/v1/orders?status=canceled");
    expect(canceled.body.data.map((o: { id: string }) => o.id)).toEqual([ids[1]]);
    const byMeta = await m.client.get("/v1/orders?metadata[batch]=b1&metadata[n]=3");
    expect(byMeta.body.data.map((o: { id: string }) => o.id)).toEqual([ids[3]]);
    const created = (await m.client.get(`/v1/orders/${ids[0]}`)).body.created as number;
    expect((await m.client.get(`/v1/orders?created[gte]=${created}&limit=100`)).body.data).toHaveLength(5);
    expect((await m.client.get(`/v1/orders?created[lt]=${created}`)).body.data).toHaveLength(0);
    expect(
      (await m.client.get(`/v1/orders?created[lte]=${created + 3600}&limit=100`)).body.data,
    ).toHaveLength(5);

    expectError(await m.client.get("/v1/orders?limit=0"), 400, "parameter_invalid", "limit");
    expectError(await m.client.get("/v1/orders?limit=101"), 400, "parameter_invalid", "limit");
    expectError(await m.client.get("/v1/orders?status=paid"), 400, "parameter_invalid", "status");
    expectError(await m.client.get("/v1/orders?created[gte]=soon"), 400, "parameter_invalid", "created.gte");
    expectError(await m.client.get("/v1/orders?colour=blue"), 400, "parameter_unknown", "colour");
    // A chain id beyond 2^53 is refused up front; it once reached Postgres' bigint and came back a 500.
    expectError(await m.client.get("/v1/orders?network=4.8e%2B155"), 400, "parameter_invalid", "network");
    expectError(
      await m.client.get("/v1/orders?network=9007199254740992"),
      400,
      "parameter_invalid",
      "network",
    );
    // A valid chain id above Postgres' 32-bit integer (chain_id's column type) names no order here: an empty
    // page, where it once was a 500 "out of range for type integer" (bad-input fuzz seed 571357550).
    for (const big of ["16439954798", "0x3D3e5CD6E"]) {
      const res = await m.client.get(`/v1/orders?network=${big}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([]);
    }
    expectError(
      await m.client.get("/v1/orders?starting_after=ord_000000000000000000000000"),
      400,
      "resource_missing",
      "starting_after",
    );
    expectError(
      await m.client.get(`/v1/orders?starting_after=${ids[0]}&ending_before=${ids[1]}`),
      400,
      "parameter_invalid",
      "ending_before",
    );
    // Another merchant's id is not a cursor here.
    expectError(
      await c.get(`/v1/orders?starting_after=${ids[0]}`),
      400,
      "resource_missing",
      "starting_after",
    );
  });
});

describe("POST /v1/orders/:id/cancel", () => {
  test("default: an open order is canceled and order.canceled is stored once", async () => {
    const o = (await create({ amount: "100" })).body;
    const res = await c.post(`/v1/orders/${o.id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("canceled");
    expect(res.body.canceled_at).toEqual(expect.any(Number));
    expectError(await c.post(`/v1/orders/${o.id}/cancel`), 409, "order_not_open");
    const events = await c.get(`/v1/events?order=${o.id}`);
    expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(["order.canceled"]);
    expect(events.body.data[0].data.object.status).toBe("canceled");
    expectError(await c.post(`/v1/orders/${o.id}/release`), 409, "order_not_releasable");
  });
});

describe("Idempotency-Key", () => {
  test("behavior: 50 concurrent creates with one key make one order; the rest replay it or get 409", async () => {
    const m = await s.newMerchant("Idem");
    const key = `idem-${Date.now()}`;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        m.client.post("/v1/orders", { amount: "4200" }, { idempotencyKey: key }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    expect(ok.length + conflicts.length).toBe(50);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    for (const r of conflicts)
      expect(r.body.error).toMatchObject({ type: "idempotency_error", code: "idempotency_key_in_use" });
    const list = await m.client.get("/v1/orders?limit=100");
    expect(list.body.data).toHaveLength(1);

    const replay = await m.client.post("/v1/orders", { amount: "4200" }, { idempotencyKey: key });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(ok[0]!.body);

    const other = await m.client.post("/v1/orders", { amount: "4201" }, { idempotencyKey: key });
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ type: "idempotency_error", code: "idempotency_key_reused" });
    expect((await m.client.get("/v1/orders?limit=100")).body.data).toHaveLength(1);
  });

  test("behavior: same body with keys in another order is the same request; a failed request is not stored", async () => {
    const key = `idem-order-${Date.now()}`;
    const a = await create({ amount: "10", metadata: { a: "1", b: "2" } }, { idempotencyKey: key });
    const b = await c.post("/v1/orders", undefined, {
      idempotencyKey: key,
      rawBody: JSON.stringify({ metadata: { b: "2", a: "1" }, amount: "10" }),
    });
    expect(b.body.id).toBe(a.body.id);
    const failKey = `idem-fail-${Date.now()}`;
    expect((await create({ amount: "0" }, { idempotencyKey: failKey })).status).toBe(400);
    expect((await create({ amount: "5" }, { idempotencyKey: failKey })).status).toBe(200);
  });
});

describe("GET /v1/checkout/:id", () => {
  test("default: public fields and signed terms, no key needed", async () => {
    const o = (
      await create({ amount: "5000000", description: "Tea", success_url: "https://shop.example/ok" })
    ).body;
    const res = await c.withKey(undefined).get(`/v1/checkout/${o.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: "checkout",
      id: o.id,
      amount: "5000000",
      merchant_name: "Test shop",
      signature: expect.stringMatching(/^0x[0-9a-f]{130}$/),
      terms: o.terms,
      escrow: o.escrow,
      success_url: "https://shop.example/ok",
      payment_record: null,
    });
    expect(res.body.metadata).toBeUndefined();
    expectError(
      await c.withKey(undefined).get("/v1/checkout/ord_000000000000000000000000"),
      404,
      "resource_missing",
    );
  });
});

describe("operations", () => {
  test("default: OpenAPI 3.1 lists every route with its schemas; docs page served", async () => {
    const doc = (await c.get("/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    const routes = Object.entries(
      doc.paths as Record<string, Record<string, { responses?: object }>>,
    ).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    for (const r of [
      "POST /v1/orders",
      "GET /v1/orders",
      "GET /v1/orders/{id}",
      "POST /v1/orders/{id}/cancel",
      "POST /v1/orders/{id}/release",
      "POST /v1/refunds",
      "GET /v1/refunds",
      "POST /v1/keys/{id}/roll",
      "POST /v1/webhook_endpoints/{id}/rotate_secret",
      "POST /v1/events/{id}/redeliver",
      "GET /v1/checkout/{id}",
      "POST /v1/admin/orders/{id}/resolve",
      "GET /readyz",
    ]) {
      expect(routes).toContain(r);
    }
    for (const [path, ops] of Object.entries(
      doc.paths as Record<string, Record<string, { responses?: object }>>,
    )) {
      for (const [method, op] of Object.entries(ops)) {
        if (path === "/metrics") continue;
        expect(Object.keys(op.responses ?? {}), `${method} ${path}`).toContain(
          // Routes that only queue an on-chain transaction or a delivery answer 202.
          method === "post" && ASYNC_ROUTES.includes(path) ? "202" : "200",
        );
      }
    }
    expect(doc.components.schemas.Order).toBeDefined();
    const docs = await fetch(`${s.api.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("<html");
  });

  test("default: health, readiness and metrics", async () => {
    expect((await c.get("/healthz")).body).toEqual({ status: "ok" });
    // The one refusal the document lists for the health routes (a NUL in the query string).
    for (const path of ["/healthz", "/readyz"])
      expectError(await c.get(`${path}?x=%00`), 400, "parameter_invalid", "x");
    const ready = await c.get("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({
      database: { ok: true },
      chain: { ok: true },
      indexer: { ok: true },
    });
    const metrics = await s.api.metrics();
    expect(metrics).toContain("pier_api_http_requests_total");
    expect(metrics).toContain("pier_api_indexer_lag_blocks");
    expect(metrics).toContain('pier_api_queue_depth{queue="webhook-delivery"}');
    expectError(await c.get("/v1/nothing-here"), 404, "url_not_found");
  });

  test("behavior: rate limit per key answers 429 with Retry-After", async () => {
    const limited = await s.startApi({
      PIER_RATE_LIMIT_MAX: "3",
      PIER_RATE_LIMIT_WINDOW_MS: "60000",
      PIER_WORKERS: "false",
    });
    const client = apiClient(limited.url, s.secretKey);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<ApiClient["get"]>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await client.get("/v1/orders?limit=1");
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expectError(last!, 429, "rate_limited");
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another key has its own budget; health checks are never limited.
    const other = await s.newMerchant("Unlimited");
    expect((await apiClient(limited.url, other.secretKey).get("/v1/orders")).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await client.get("/healthz")).status).toBe(200);
  });
});
