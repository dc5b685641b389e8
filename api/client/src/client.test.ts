/**
 * The client against the real API (one stack for the file): every route, the OpenAPI document the
 * types were generated from, retries and idempotency through a fault-injecting proxy, typed errors,
 * and pagination.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { paymentTermsFromJson } from "../../../contracts/lib/termsJson.ts";
import { freePort, waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { type FaultProxy, startFaultProxy } from "../../../test/harness/faultProxy.ts";
import {
  AuthenticationError,
  ConnectionError,
  IdempotencyError,
  InvalidRequestError,
  type Order,
  PermissionError,
  Pier,
  PierError,
  RateLimitError,
} from "./client.ts";

let starting: Promise<ApiStack>;
let s: ApiStack;
let pier: Pier;

beforeAll(async () => {
  starting = startApiStack();
  s = await starting;
  pier = new Pier(s.secretKey, { baseUrl: s.api.url });
});
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
});

async function thrown(promise: PromiseLike<unknown>): Promise<PierError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PierError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** An order paid on chain by the dev customer, once the API shows it escrowed. */
async function escrowedOrder(amount = "10000000"): Promise<Order> {
  const order = await pier.orders.create({ amount });
  await s.stack.pay.payByAllowance(paymentTermsFromJson(order.terms));
  return waitFor(`${order.id} escrowed`, async () => {
    const o = await pier.orders.retrieve(order.id);
    return o.status === "escrowed" && o;
  });
}

describe("types from the OpenAPI document", () => {
  test("default: the served document is the one src/generated/schema.ts was generated from", async () => {
    const served = await (await fetch(`${s.api.url}/openapi.json`)).json();
    const generated = JSON.parse(readFileSync(new URL("generated/openapi.json", import.meta.url), "utf8"));
    expect(
      served,
      "the API's schemas changed: run `pnpm --filter @pier/client generate` and commit src/generated/",
    ).toEqual(generated);
  });

  test("behavior: every merchant-facing operation has a client method", async () => {
    const doc = JSON.parse(readFileSync(new URL("generated/openapi.json", import.meta.url), "utf8"));
    const operations = Object.entries(doc.paths as Record<string, Record<string, { tags?: string[] }>>)
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([m, op]) => ({ op: `${m.toUpperCase()} ${path}`, tags: op.tags ?? [] })),
      )
      .filter(
        ({ op, tags }) =>
          !NOT_FOR_SERVER_CLIENTS.tags.some((t) => tags.includes(t)) &&
          !NOT_FOR_SERVER_CLIENTS.ops.includes(op),
      )
      .map(({ op }) => op);
    expect(
      operations.filter((op) => !(op in CLIENT_METHODS)),
      "routes without a client method: add one in src/resources/ and to CLIENT_METHODS",
    ).toEqual([]);
    for (const [op, path] of Object.entries(CLIENT_METHODS)) {
      const fn = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], pier);
      expect(typeof fn, `${op} -> pier.${path}`).toBe("function");
    }
  });
});

describe("every route through the client", () => {
  test("orders: create, retrieve, list, cancel, release; checkout; merchant; health", async () => {
    const created = await pier.orders.create({
      amount: "25000000",
      description: "Mug",
      metadata: { sku: "mug" },
    });
    expect(created).toMatchObject({ object: "order", status: "open", amount: "25000000", livemode: false });
    expect(created.lastResponse.requestId).toMatch(/^req_/);
    expect(created.lastResponse.idempotencyKey).toMatch(/^pier-client-/);
    expect((await pier.orders.retrieve(created.id)).id).toBe(created.id);
    const listed = await pier.orders.list({ metadata: { sku: "mug" } });
    expect(listed.data.map((o) => o.id)).toEqual([created.id]);

    const checkout = await pier.checkout.retrieve(created.id);
    expect(created.signature).toBeNull(); // signed when the checkout is first opened
    expect(checkout).toMatchObject({ object: "checkout", id: created.id });
    expect((await pier.orders.retrieve(created.id)).signature).toBe(checkout.signature);
    // The local chain has a relayer and tUSDC takes authorizations; no paymaster service is configured.
    expect(checkout).toMatchObject({ gasless: true, paymaster_url: null });
    const same = await pier.checkout.select(created.id, { network: 31337, token: checkout.token.address });
    expect(same.signature).toBe(checkout.signature);
    // A signature the escrow would refuse is refused before anything is sent.
    await expect(
      pier.checkout.relay(created.id, { payer: created.terms.merchant, signature: `0x${"11".repeat(65)}` }),
    ).rejects.toMatchObject({ statusCode: 400, code: "relay_refused" });
    const attempt = {
      method: "relayed" as const,
      reason: "Pier pays the network fee: sign once",
      account: created.terms.merchant,
      wallet: { type: "eoa" as const, atomic: false, paymaster: false },
    };
    expect(await pier.checkout.recordAttempt(created.id, attempt)).toMatchObject({
      ...attempt,
      object: "payment_attempt",
      order: created.id,
    });
    const events = await pier.events.list({ order: created.id, type: "order.payment_method_chosen" });
    expect(events.data.map((e) => e.data.object)).toMatchObject([{ method: "relayed", order: created.id }]);

    const canceled = await pier.orders.cancel(created.id);
    expect(canceled.status).toBe("canceled");

    const merchant = await pier.merchant.retrieve();
    expect(merchant).toMatchObject({ object: "merchant", id: s.merchantId });
    const networks = await pier.networks.list();
    expect(networks.data.map((n) => [n.chain_id, n.default])).toEqual([[31337, true]]);
    await expect(
      pier.checkout.select(created.id, { network: 31337, token: checkout.token.address }),
    ).rejects.toMatchObject({ statusCode: 409, code: "order_not_open" });
    expect(await pier.health.live()).toEqual({ status: "ok" });
    expect((await pier.health.ready()).status).toBe("ready");

    const paid = await escrowedOrder();
    const released = await pier.orders.release(paid.id);
    expect(released.lastResponse.statusCode).toBe(202);
    await waitFor(
      "released order settled",
      async () => (await pier.orders.retrieve(paid.id)).status === "settled",
    );
  });

  test("refunds: create (partial), retrieve, list; events: list, retrieve, deliveries, redeliver", async () => {
    const order = await escrowedOrder();
    const endpoint = await pier.webhookEndpoints.create({
      url: "http://127.0.0.1:9/hooks",
      enabled_events: ["*"],
    });
    const refund = await pier.refunds.create({ order: order.id, amount: "4000000", reason: "damaged" });
    expect(refund).toMatchObject({ object: "refund", status: "pending", amount: "4000000", order: order.id });
    const done = await waitFor("refund succeeded", async () => {
      const r = await pier.refunds.retrieve(refund.id);
      return r.status === "succeeded" && r;
    });
    expect(done.tx_hash).toMatch(/^0x/);
    expect((await pier.refunds.list({ order: order.id })).data.map((r) => r.id)).toEqual([refund.id]);
    await waitFor(
      "amount_refunded",
      async () => (await pier.orders.retrieve(order.id)).amount_refunded === "4000000",
    );

    const events = await pier.events.list({ order: order.id, type: "refund.succeeded" });
    const event = events.data[0]!;
    expect(event).toMatchObject({ object: "event", type: "refund.succeeded", order: order.id });
    expect((await pier.events.retrieve(event.id)).id).toBe(event.id);
    const deliveries = await waitFor("a delivery attempt", async () => {
      const d = await pier.events.deliveries(event.id);
      return d.data[0]?.attempts ? d : undefined;
    });
    expect(deliveries.data[0]).toMatchObject({ object: "webhook_delivery", endpoint: endpoint.id });
    const redelivery = await pier.events.redeliver(event.id, { endpoint: endpoint.id });
    expect(redelivery).toMatchObject({ object: "redelivery", event: event.id, endpoints: 1 });
    await pier.webhookEndpoints.del(endpoint.id);
  });

  test("webhook endpoints: create, retrieve, update, list, rotate_secret, delete", async () => {
    const created = await pier.webhookEndpoints.create({
      url: "http://127.0.0.1:9/a",
      enabled_events: ["order.escrowed"],
      description: "shop",
    });
    expect(created.secret).toMatch(/^whsec_/);
    expect((await pier.webhookEndpoints.retrieve(created.id)).secret).toBeUndefined();
    const updated = await pier.webhookEndpoints.update(created.id, { enabled_events: ["*"], disabled: true });
    expect(updated).toMatchObject({ enabled_events: ["*"], status: "disabled" });
    expect((await pier.webhookEndpoints.list()).data.map((e) => e.id)).toContain(created.id);
    const rotated = await pier.webhookEndpoints.rotateSecret(created.id, { expires_in: 0 });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(await pier.webhookEndpoints.del(created.id)).toMatchObject({ id: created.id, deleted: true });
    expect((await thrown(pier.webhookEndpoints.retrieve(created.id))).statusCode).toBe(404);
  });

  test("keys: create, retrieve, list, roll, revoke; a restricted key is held to its scopes", async () => {
    const key = await pier.keys.create({ name: "reader", type: "restricted", scopes: ["orders:read"] });
    expect(key.secret).toBeTruthy();
    expect((await pier.keys.retrieve(key.id)).name).toBe("reader");
    expect((await pier.keys.list({ limit: 100 })).data.map((k) => k.id)).toContain(key.id);

    const reader = new Pier(key.secret!, { baseUrl: s.api.url });
    expect((await reader.orders.list({ limit: 1 })).object).toBe("list");
    const denied = await thrown(reader.orders.create({ amount: "1" }));
    expect(denied).toBeInstanceOf(PermissionError);
    expect(denied).toMatchObject({ statusCode: 403, type: "permission_error" });

    const rolled = await pier.keys.roll(key.id, { expires_in: 0 });
    expect(rolled.secret).toBeTruthy();
    expect(rolled.secret).not.toBe(key.secret);
    const revoked = await pier.keys.revoke(rolled.id);
    expect(revoked.revoked_at).not.toBeNull();
    const gone = await thrown(new Pier(rolled.secret!, { baseUrl: s.api.url }).orders.list());
    expect(gone).toBeInstanceOf(AuthenticationError);
  });

  test("admin: merchants.create and list, keys.create, dashboardSignInLinks.create, orders.hold, orders.resolve (with the admin key)", async () => {
    const admin = new Pier(s.adminKey, { baseUrl: s.api.url });
    const created = await admin.admin.merchants.create({
      name: "Second shop",
      payout_address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    });
    expect(created.merchant.name).toBe("Second shop");
    expect(created.secret_key).toMatch(/^sk_test_/);
    const listed = await admin.admin.merchants.list({ limit: 100 }).toArray();
    expect(listed[0]).toMatchObject({
      id: created.merchant.id,
      owner_address: created.merchant.payout_address,
    });
    const key = await admin.admin.keys.create({ merchant: created.merchant.id, name: "From the operator" });
    expect(key).toMatchObject({ type: "secret", name: "From the operator", livemode: false });
    expect((await new Pier(key.secret!, { baseUrl: s.api.url }).merchant.retrieve()).id).toBe(
      created.merchant.id,
    );
    const link = await admin.admin.dashboardSignInLinks.create({ merchant: created.merchant.id });
    expect(link).toMatchObject({ object: "dashboard_sign_in_link", merchant: created.merchant.id });

    const order = await escrowedOrder();
    const held = await admin.admin.orders.hold(order.id, { held: true });
    expect(held.lastResponse.statusCode).toBe(202);
    await waitFor("hold on chain", async () => (await pier.orders.retrieve(order.id)).payment?.held === true);
    await admin.admin.orders.resolve(order.id, { refund_amount: "10000000" });
    await waitFor(
      "resolved as refunded",
      async () => (await pier.orders.retrieve(order.id)).status === "refunded",
    );
    // Admin routes refuse merchant keys.
    expect(await thrown(pier.admin.orders.hold(order.id, { held: false }))).toBeInstanceOf(
      AuthenticationError,
    );
  });
});

describe("every route through the client: risk, reconciliation, reports, links, FX, fiat checkout, payouts", () => {
  /** Reached the route (not a 404 for an unknown URL) and got the API's typed answer for a missing object. */
  async function missing(promise: PromiseLike<unknown>) {
    const error = await thrown(promise);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.code).not.toBe("url_not_found");
    expect([400, 404, 409]).toContain(error.statusCode);
  }
  const NO_ID = "xx_000000000000000000000000";

  test("risk rules and reviews; reconciliation findings and runs; reports (JSON and CSV)", async () => {
    const rules = await pier.risk.rules.retrieve();
    expect(rules.lastResponse.statusCode).toBe(200);
    const updated = await pier.risk.rules.update({ rules: (rules as { rules?: object }).rules ?? {} });
    expect(updated.lastResponse.statusCode).toBe(200);
    expect((await pier.risk.rules.update({}, { viaPost: true })).lastResponse.statusCode).toBe(200);
    expect((await pier.risk.reviews.list({ limit: 5 })).object).toBe("list");
    await missing(pier.risk.reviews.retrieve(NO_ID));
    await missing(pier.risk.reviews.releaseHold(NO_ID, { note: "ok" }));
    await missing(pier.risk.reviews.refund(NO_ID, { note: "fraud" }));
    await missing(pier.risk.reviews.dismiss(NO_ID, { note: "fine" }));

    expect((await pier.reconciliation.findings.list()).object).toBe("list");
    await missing(pier.reconciliation.findings.resolve(NO_ID, { note: "checked" }));
    const admin = new Pier(s.adminKey, { baseUrl: s.api.url });
    expect((await admin.reconciliation.runs.create()).lastResponse.statusCode).toBe(200);

    expect((await pier.reports.settlement()).lastResponse.statusCode).toBe(200);
    const csv = await pier.reports.settlement({ format: "csv" });
    expect(typeof csv).toBe("string");
    expect(csv.split("\n")[0]).toContain(",");
    expect((await pier.reports.reconciliation()).lastResponse.statusCode).toBe(200);
    expect(typeof (await pier.reports.reconciliation({ format: "csv" }))).toBe("string");
    expect((await pier.reports.daily()).lastResponse.statusCode).toBe(200);
  });

  test("plans, subscriptions and their public checkout", async () => {
    const plan = await pier.plans.create({ amount: "9.99", currency: "USD", interval: "month" });
    expect(plan).toMatchObject({ object: "plan", amount: "9.99", active: true });
    expect((await pier.plans.retrieve(plan.id)).id).toBe(plan.id);
    expect((await pier.plans.list()).data.map((p) => p.id)).toContain(plan.id);
    const sub = await pier.subscriptions.create({ plan: plan.id, customer: "cus_1" });
    expect(sub).toMatchObject({ object: "subscription", status: "incomplete", plan: plan.id });
    expect((await pier.subscriptions.retrieve(sub.id)).id).toBe(sub.id);
    expect(
      (await pier.subscriptions.list({ plan: plan.id, status: "incomplete" })).data.map((x) => x.id),
    ).toEqual([sub.id]);
    const page = await pier.checkout.subscriptions.retrieve(sub.id);
    expect(page.plan).toMatchObject({ amount: "9.99", currency: "USD" });
    const option = page.options[0]!;
    const account = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const permission = await pier.checkout.subscriptions.requestPermission(sub.id, {
      network: option.network,
      token: option.token,
      account,
    });
    expect(permission.typed_data.message).toMatchObject({ account, allowance: option.amount });
    await expect(
      pier.checkout.subscriptions.authorize(sub.id, {
        network: option.network,
        token: option.token,
        account,
        signature: `0x${"11".repeat(65)}`,
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: "signature_invalid" });
    expect(await pier.subscriptions.cancel(sub.id)).toMatchObject({ status: "canceled" });
    // Never authorized, never charged: no invoices.
    expect((await pier.subscriptions.invoices(sub.id)).data).toEqual([]);
    expect((await pier.invoices.list({ subscription: sub.id })).data).toEqual([]);
    const metrics = await pier.subscriptions.metrics({ months: 2 });
    expect(metrics.months).toHaveLength(2);
    expect(await pier.plans.archive(plan.id)).toMatchObject({ active: false });
  });

  test("payment links and their public checkout; FX quotes; fiat checkout; payouts", async () => {
    const link = await pier.paymentLinks.create({
      amount_type: "fixed",
      amount: "5000000",
      description: "Tip",
    });
    const linkId = (link as { id: string }).id;
    expect((await pier.paymentLinks.retrieve(linkId)).lastResponse.statusCode).toBe(200);
    expect((await pier.paymentLinks.list()).data.map((l) => (l as { id: string }).id)).toContain(linkId);
    expect((await pier.checkout.links.retrieve(linkId)).lastResponse.statusCode).toBe(200);
    const fromLink = await pier.checkout.links.createOrder(linkId, {});
    expect(fromLink.lastResponse.statusCode).toBe(200);
    expect((await pier.paymentLinks.deactivate(linkId)).lastResponse.statusCode).toBe(200);

    const quote = await pier.fxQuotes.create({ currency: "EUR", amount: "10.00" });
    const quoteId = (quote as { id: string }).id;
    expect((await pier.fxQuotes.retrieve(quoteId)).lastResponse.statusCode).toBe(200);

    const order = await pier.orders.create({ amount: "10000000" });
    expect((await pier.checkout.fiat.retrieve(order.id)).lastResponse.statusCode).toBe(200);
    const fiatQuote = await pier.checkout.fiat.createQuote(order.id, { currency: "EUR" });
    expect(fiatQuote.lastResponse.statusCode).toBe(200);
    await missing(pier.checkout.fiat.retrieveSession(order.id, NO_ID));
    await missing(
      pier.checkout.fiat.createSession(order.id, {
        fx_quote: NO_ID,
        return_url: "http://127.0.0.1:5173/done",
      }),
    );

    expect((await pier.payouts.list()).object).toBe("list");
    expect((await pier.fiatSessions.list({ order: order.id })).data).toEqual([]);
    await missing(pier.payouts.retrieve(NO_ID));
    await missing(pier.payouts.create({ fx_quote: NO_ID, recipient: "buyer@example.com" }));
  });
});

describe("errors are typed", () => {
  test("error: 400 names the parameter; 404 is resource_missing; 409 for a state that forbids it", async () => {
    const bad = await thrown(pier.orders.create({ amount: "12.5" }));
    expect(bad).toBeInstanceOf(InvalidRequestError);
    expect(bad).toMatchObject({
      statusCode: 400,
      type: "invalid_request_error",
      code: "parameter_invalid",
      param: "amount",
    });
    expect(bad.requestId).toMatch(/^req_/);

    const missing = await thrown(pier.orders.retrieve("ord_000000000000000000000000"));
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing", param: "id" });

    const order = await pier.orders.create({ amount: "1000000" });
    await pier.orders.cancel(order.id);
    const refused = await thrown(pier.refunds.create({ order: order.id }));
    expect(refused).toBeInstanceOf(InvalidRequestError);
    expect(refused.statusCode).toBe(409);
  });

  test("error: 401 for a bad key; a network failure is a ConnectionError", async () => {
    const unauth = await thrown(new Pier("sk_test_nope", { baseUrl: s.api.url }).orders.list());
    expect(unauth).toBeInstanceOf(AuthenticationError);
    expect(unauth).toMatchObject({ statusCode: 401, type: "authentication_error" });
    const offline = new Pier(s.secretKey, {
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      maxRetries: 1,
      initialRetryDelayMs: 1,
    });
    const down = await thrown(offline.orders.list());
    expect(down).toBeInstanceOf(ConnectionError);
    expect(down.message).toContain("ECONNREFUSED");
    expect(() => new Pier("")).toThrow(TypeError);
  });
});

describe("retries and idempotency (through a fault-injecting proxy)", () => {
  let proxy: FaultProxy;
  let via: Pier;
  beforeAll(async () => {
    proxy = await startFaultProxy(s.api.url);
    via = new Pier(s.secretKey, { baseUrl: proxy.url, maxRetries: 3, initialRetryDelayMs: 5 });
  });
  afterAll(() => proxy?.close());

  function failFirst(
    n: number,
    fault: Parameters<FaultProxy["plan"]>[0] extends never ? never : ReturnType<FaultProxy["plan"]>,
  ) {
    proxy.seen.length = 0;
    proxy.plan = (_req, i) => (i < n ? fault : "forward");
  }

  test("behavior: a GET is retried on 503 and on a dropped connection, then succeeds", async () => {
    failFirst(2, { status: 503 });
    const page = await via.orders.list({ limit: 1 });
    expect(page.lastResponse.attempts).toBe(3);
    expect(proxy.seen).toHaveLength(3);
    failFirst(1, "reset-before");
    expect((await via.merchant.retrieve()).lastResponse.attempts).toBe(2);
  });

  test("behavior: a POST whose answer was lost is retried with the same Idempotency-Key and applied once", async () => {
    failFirst(1, "reset-after");
    const metadata = { run: `lost-${Date.now()}` };
    const order = await via.orders.create({ amount: "3000000", metadata });
    expect(order.lastResponse.attempts).toBe(2);
    expect(order.lastResponse.headers["idempotent-replayed"]).toBe("true");
    const keys = proxy.seen.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).toMatch(/^pier-client-/);
    expect(keys[1]).toBe(keys[0]);
    expect((await pier.orders.list({ metadata })).data.map((o) => o.id)).toEqual([order.id]);
  });

  test("behavior: 429 waits for Retry-After before retrying", async () => {
    failFirst(1, {
      status: 429,
      headers: { "retry-after": "1" },
      body: { error: { type: "rate_limit_error", code: "rate_limited", message: "slow down" } },
    });
    await via.orders.list({ limit: 1 });
    expect(proxy.seen).toHaveLength(2);
    expect(proxy.seen[1]!.at - proxy.seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  test("error: 4xx is not retried; retries stop at maxRetries with the last error", async () => {
    failFirst(0, "forward");
    await thrown(via.orders.retrieve("ord_000000000000000000000000"));
    expect(proxy.seen).toHaveLength(1);
    failFirst(10, {
      status: 429,
      headers: { "retry-after": "0" },
      body: { error: { type: "rate_limit_error", code: "rate_limited", message: "slow down" } },
    });
    const limited = await thrown(via.orders.list());
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).retryAfterSeconds).toBe(0);
    expect(proxy.seen).toHaveLength(4);
    failFirst(1, { status: 503 });
    await thrown(via.webhookEndpoints.del("we_000000000000000000000000"));
    expect(proxy.seen).toHaveLength(1);
  });

  test("behavior: an explicit Idempotency-Key replays; reused with another body it is an IdempotencyError", async () => {
    const idempotencyKey = `order-${Date.now()}`;
    const first = await pier.orders.create({ amount: "2000000" }, { idempotencyKey });
    const again = await pier.orders.create({ amount: "2000000" }, { idempotencyKey });
    expect(again.id).toBe(first.id);
    const reused = await thrown(pier.orders.create({ amount: "2000001" }, { idempotencyKey }));
    expect(reused).toBeInstanceOf(IdempotencyError);
    expect(reused).toMatchObject({ code: "idempotency_key_reused", type: "idempotency_error" });
  });
});

describe("pagination", () => {
  test("behavior: for await visits every order exactly once, one request per page", async () => {
    const metadata = { batch: `page-${Date.now()}` };
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push((await pier.orders.create({ amount: "1000000", metadata })).id);
    const proxy = await startFaultProxy(s.api.url);
    try {
      const via = new Pier(s.secretKey, { baseUrl: proxy.url });
      const seen: string[] = [];
      for await (const order of via.orders.list({ limit: 5, metadata })) seen.push(order.id);
      expect(seen).toEqual([...ids].reverse());
      expect(proxy.seen).toHaveLength(5);
      expect(proxy.seen[1]!.url).toContain(`starting_after=${ids[18]}`);

      const backwards: string[] = [];
      for await (const order of via.orders.list({ limit: 10, metadata, ending_before: ids[0] }))
        backwards.push(order.id);
      expect(new Set(backwards)).toEqual(new Set(ids.slice(1)));
      expect(backwards).toHaveLength(22);
      expect(await via.orders.list({ limit: 100, metadata }).toArray({ max: 7 })).toHaveLength(7);
    } finally {
      await proxy.close();
    }
  });
});

/** Operations of the document that server-side code does not call, by tag or by name. */
const NOT_FOR_SERVER_CLIENTS = {
  // Browser sessions of the merchant dashboard (its team and audit log too); wallet providers' callbacks;
  // Prometheus text.
  tags: ["Dashboard", "Team", "Audit log"],
  ops: ["GET /metrics", "POST /v1/fiat/webhooks/{provider}"],
};

/** "METHOD path" -> the client method that calls it. */
const CLIENT_METHODS: Record<string, string> = {
  "GET /healthz": "health.live",
  "GET /readyz": "health.ready",
  "POST /v1/orders": "orders.create",
  "GET /v1/orders": "orders.list",
  "GET /v1/orders/{id}": "orders.retrieve",
  "POST /v1/orders/{id}/cancel": "orders.cancel",
  "POST /v1/orders/{id}/release": "orders.release",
  "POST /v1/refunds": "refunds.create",
  "GET /v1/refunds": "refunds.list",
  "GET /v1/refunds/{id}": "refunds.retrieve",
  "POST /v1/keys": "keys.create",
  "GET /v1/keys": "keys.list",
  "GET /v1/keys/{id}": "keys.retrieve",
  "POST /v1/keys/{id}/revoke": "keys.revoke",
  "POST /v1/keys/{id}/roll": "keys.roll",
  "POST /v1/webhook_endpoints": "webhookEndpoints.create",
  "GET /v1/webhook_endpoints": "webhookEndpoints.list",
  "GET /v1/webhook_endpoints/{id}": "webhookEndpoints.retrieve",
  "POST /v1/webhook_endpoints/{id}": "webhookEndpoints.update",
  "DELETE /v1/webhook_endpoints/{id}": "webhookEndpoints.del",
  "POST /v1/webhook_endpoints/{id}/rotate_secret": "webhookEndpoints.rotateSecret",
  "GET /v1/events": "events.list",
  "GET /v1/events/{id}": "events.retrieve",
  "GET /v1/events/{id}/deliveries": "events.deliveries",
  "POST /v1/events/{id}/redeliver": "events.redeliver",
  "GET /v1/checkout/{id}": "checkout.retrieve",
  "POST /v1/checkout/{id}/select": "checkout.select",
  "POST /v1/checkout/{id}/relay": "checkout.relay",
  "POST /v1/checkout/{id}/attempts": "checkout.recordAttempt",
  "GET /v1/networks": "networks.list",
  "GET /v1/merchant": "merchant.retrieve",
  "POST /v1/admin/merchants": "admin.merchants.create",
  "GET /v1/admin/merchants": "admin.merchants.list",
  "POST /v1/admin/keys": "admin.keys.create",
  "POST /v1/admin/dashboard_sign_in_links": "admin.dashboardSignInLinks.create",
  "POST /v1/admin/orders/{id}/resolve": "admin.orders.resolve",
  "POST /v1/admin/orders/{id}/hold": "admin.orders.hold",
  "GET /v1/risk/rules": "risk.rules.retrieve",
  "PUT /v1/risk/rules": "risk.rules.update",
  "POST /v1/risk/rules": "risk.rules.update",
  "GET /v1/risk/reviews": "risk.reviews.list",
  "GET /v1/risk/reviews/{id}": "risk.reviews.retrieve",
  "POST /v1/risk/reviews/{id}/release-hold": "risk.reviews.releaseHold",
  "POST /v1/risk/reviews/{id}/refund": "risk.reviews.refund",
  "POST /v1/risk/reviews/{id}/dismiss": "risk.reviews.dismiss",
  "GET /v1/reconciliation/findings": "reconciliation.findings.list",
  "POST /v1/reconciliation/findings/{id}/resolve": "reconciliation.findings.resolve",
  "POST /v1/reconciliation/runs": "reconciliation.runs.create",
  "GET /v1/reports/settlement": "reports.settlement",
  "GET /v1/reports/reconciliation": "reports.reconciliation",
  "GET /v1/reports/daily": "reports.daily",
  "POST /v1/links": "paymentLinks.create",
  "GET /v1/links": "paymentLinks.list",
  "GET /v1/links/{id}": "paymentLinks.retrieve",
  "POST /v1/links/{id}/deactivate": "paymentLinks.deactivate",
  "GET /v1/checkout_links/{id}": "checkout.links.retrieve",
  "POST /v1/checkout_links/{id}/orders": "checkout.links.createOrder",
  "POST /v1/fx/quotes": "fxQuotes.create",
  "GET /v1/fx/quotes/{id}": "fxQuotes.retrieve",
  "GET /v1/checkout/{id}/fiat": "checkout.fiat.retrieve",
  "POST /v1/checkout/{id}/fiat/quotes": "checkout.fiat.createQuote",
  "POST /v1/checkout/{id}/fiat/sessions": "checkout.fiat.createSession",
  "GET /v1/checkout/{id}/fiat/sessions/{session}": "checkout.fiat.retrieveSession",
  "POST /v1/payouts": "payouts.create",
  "GET /v1/payouts": "payouts.list",
  "GET /v1/payouts/{id}": "payouts.retrieve",
  "GET /v1/fiat_sessions": "fiatSessions.list",
  "POST /v1/plans": "plans.create",
  "GET /v1/plans": "plans.list",
  "GET /v1/plans/{id}": "plans.retrieve",
  "POST /v1/plans/{id}/archive": "plans.archive",
  "POST /v1/subscriptions": "subscriptions.create",
  "GET /v1/subscriptions": "subscriptions.list",
  "GET /v1/subscriptions/{id}": "subscriptions.retrieve",
  "POST /v1/subscriptions/{id}/cancel": "subscriptions.cancel",
  "GET /v1/subscriptions/{id}/invoices": "subscriptions.invoices",
  "GET /v1/subscriptions/metrics": "subscriptions.metrics",
  "GET /v1/invoices": "invoices.list",
  "GET /v1/checkout_subscriptions/{id}": "checkout.subscriptions.retrieve",
  "POST /v1/checkout_subscriptions/{id}/permission": "checkout.subscriptions.requestPermission",
  "POST /v1/checkout_subscriptions/{id}/authorize": "checkout.subscriptions.authorize",
};
