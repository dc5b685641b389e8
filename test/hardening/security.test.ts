/**
 * Security checks over every route of the OpenAPI document: tenant isolation (A's key on B's ids is a
 * 404 resource_missing, as is any path id not in Pier's format), restricted-key scopes (a key without the route's scope is a 403, one with it gets past auth),
 * keys and webhook secrets never in responses after creation nor in the API's log, provider webhooks
 * that are forged, tampered, late, truncated or oversized refused and logged with nothing changed, CORS
 * only on the checkout routes for configured origins, and rate limits (429 + Retry-After).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { signatureHeader } from "../../api/src/webhooks/signature.ts";
import { apiClient } from "../harness/apiClient.ts";
import { changedTables, snapshotSchema } from "./lib/dbSnapshot.ts";
import type { Operation } from "./lib/openapiModel.ts";
import { FIAT_ENV, quiesce, startTwoMerchants, type TwoMerchants } from "./lib/twoMerchants.ts";

const CHECKOUT_ORIGIN = "http://127.0.0.1:5173";
let t: TwoMerchants;
let starting: Promise<TwoMerchants>;

beforeAll(async () => {
  starting = startTwoMerchants({ PIER_CORS_ORIGINS: `${CHECKOUT_ORIGIN},https://shop.example` });
  t = await starting;
});
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
});

const fill = (op: Operation, id: string) => op.path.replace(/\{[^}]+\}/g, encodeURIComponent(id));
const keyOps = () => t.operations.filter((op) => op.auth.kind === "key");
const bodyFor = (op: Operation) => (op.method === "GET" || op.method === "DELETE" ? undefined : {});

async function call(op: Operation, path: string, key: string) {
  const client = apiClient(t.s.api.url, key);
  if (op.method === "GET") return client.get(path);
  if (op.method === "DELETE") return client.delete(path);
  return client.post(path, bodyFor(op));
}

describe("tenant isolation", () => {
  test("behavior: merchant A's key on every route with merchant B's ids answers 404", async () => {
    const checked: string[] = [];
    const leaks: string[] = [];
    for (const op of keyOps()) {
      if (!op.pathParams.length) continue;
      const ids = t.foreignIds.get(op.path.split("/{")[0]!);
      if (!ids) continue;
      for (const id of ids.slice(0, 2)) {
        const res = await call(op, fill(op, id), t.a.secretKey);
        checked.push(`${op.id} ${id}`);
        if (
          res.status !== 404 ||
          res.body?.error?.type !== "invalid_request_error" ||
          res.body?.error?.code !== "resource_missing"
        )
          leaks.push(`${op.id} ${id} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(leaks).toEqual([]);
    // Orders, refunds, events, webhook endpoints and keys at least, each on read and write routes.
    expect(new Set(checked.map((c) => c.split(" ")[1]!.split("/")[2])).size).toBeGreaterThanOrEqual(5);
    expect(checked.length).toBeGreaterThanOrEqual(15);
  });

  test("behavior: on every route with an id in its path, an id not in Pier's format is 404 resource_missing", async () => {
    const withIds = t.operations.filter((op) => op.pathParams.length && op.auth.kind !== "session");
    // Every kind of resource route: orders, refunds, events, endpoints, keys, links, plans,
    // subscriptions, payouts, quotes, reviews, findings, the checkouts, admin and provider webhooks.
    expect(withIds.length).toBeGreaterThanOrEqual(40);
    const credentials = (op: Operation) =>
      op.auth.kind === "key" ? t.a.secretKey : op.auth.kind === "admin" ? t.s.adminKey : undefined;
    const wrong: string[] = [];
    for (const op of withIds) {
      // A foreign prefix, a truncated id, a SQL probe, a NUL and an id longer than the router allows.
      for (const id of ["evt_x", "ord_123", "x' OR '1'='1", "ord_\u0000", `ord_${"a".repeat(200)}`]) {
        const client = apiClient(t.s.api.url, credentials(op));
        const path = fill(op, id);
        const body = bodyFor(op);
        const res =
          op.method === "GET"
            ? await client.get(path)
            : op.method === "DELETE"
              ? await client.delete(path)
              : await client.post(path, body);
        const e = res.body?.error;
        if (res.status !== 404 || e?.type !== "invalid_request_error" || e?.code !== "resource_missing")
          wrong.push(
            `${op.id} ${JSON.stringify(id).slice(0, 20)} -> ${res.status} ${JSON.stringify(res.body)}`,
          );
        else if (id.length < 100 && e.param !== op.pathParams[0])
          wrong.push(`${op.id}: param ${e.param}, expected ${op.pathParams[0]}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("behavior: B's objects never appear in A's lists", async () => {
    const foreign = [...t.foreignIds.values()].flat();
    for (const op of keyOps()) {
      if (op.method !== "GET" || op.pathParams.length) continue;
      const res = await call(
        op,
        `${op.path}${op.query.some((q) => q.name === "limit") ? "?limit=100" : ""}`,
        t.a.secretKey,
      );
      expect(res.status, op.id).toBeLessThan(500);
      for (const id of foreign) expect(JSON.stringify(res.body), `${op.id} shows ${id}`).not.toContain(id);
    }
  });
});

describe("restricted keys", () => {
  test("behavior: every scoped route refuses a key without its scope (403) and admits one with it", async () => {
    const scoped = keyOps().filter((op) => op.auth.kind === "key" && op.auth.scope);
    expect(scoped.length).toBeGreaterThanOrEqual(20);
    const scopes = [...new Set(scoped.map((op) => (op.auth as { scope: string }).scope))];
    const keyWith = new Map<string, string>();
    for (const scope of scopes) {
      const res = await t.a.client.post("/v1/keys", { type: "restricted", scopes: [scope] });
      expect(res.status, scope).toBe(200);
      keyWith.set(scope, res.body.secret);
    }
    const problems: string[] = [];
    for (const op of scoped) {
      const scope = (op.auth as { scope: string }).scope;
      const [resource, action] = scope.split(":");
      // A key holding a different resource's scope, or only `read` for a `write` route.
      const other =
        action === "write"
          ? (keyWith.get(`${resource}:read`) ??
            keyWith.get(scopes.find((s) => !s.startsWith(`${resource}:`))!)!)
          : keyWith.get(scopes.find((s) => !s.startsWith(`${resource}:`))!)!;
      const path = fill(op, "ord_000000000000000000000000");
      const denied = await call(op, path, other);
      if (denied.status !== 403 || denied.body?.error?.code !== "insufficient_scope")
        problems.push(
          `${op.id} without ${scope} -> ${denied.status} ${JSON.stringify(denied.body).slice(0, 150)}`,
        );
      const allowed = await call(op, path, keyWith.get(scope)!);
      if (allowed.status === 401 || allowed.status === 403 || allowed.status >= 500)
        problems.push(
          `${op.id} with ${scope} -> ${allowed.status} ${JSON.stringify(allowed.body).slice(0, 150)}`,
        );
    }
    expect(problems).toEqual([]);
  });
});

describe("secrets", () => {
  test("behavior: keys and webhook secrets never appear in later responses or in the API's log", async () => {
    const secrets = [t.a.secretKey, t.b.secretKey, t.a.restrictedKey, t.b.webhookSecret, t.s.adminKey];
    // Make the API log every kind of line it writes for keys: good, malformed and revoked credentials.
    await apiClient(t.s.api.url).get("/v1/orders", {
      headers: { authorization: `Bearer ${t.a.secretKey} x` },
    });
    await apiClient(t.s.api.url).get("/v1/orders", { headers: { authorization: `Basic ${t.b.secretKey}` } });
    await apiClient(t.s.api.url, `${t.a.secretKey}0`).get("/v1/orders");
    const rolled = await t.a.client.post("/v1/keys", { type: "restricted", scopes: ["orders:read"] });
    secrets.push(rolled.body.secret);
    await t.a.client.post(`/v1/keys/${rolled.body.id}/revoke`);
    await apiClient(t.s.api.url, rolled.body.secret).get("/v1/orders");

    for (const [who, key] of [
      ["A", t.a.secretKey],
      ["B", t.b.secretKey],
    ] as const) {
      for (const op of keyOps()) {
        if (op.method !== "GET") continue;
        const ids = op.pathParams.length
          ? who === "B"
            ? (t.foreignIds.get(op.path.split("/{")[0]!) ?? [])
            : []
          : [""];
        for (const id of ids.slice(0, 2)) {
          const res = await call(op, id ? fill(op, id) : op.path, key);
          const text = JSON.stringify(res.body);
          for (const secret of secrets) expect(text, `${op.id} as ${who}`).not.toContain(secret);
        }
      }
    }
    const log = readFileSync(join(t.s.stack.dir, "api.log"), "utf8");
    expect(log.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(log.includes(secret), "a secret in the API log").toBe(false);
  });
});

describe("provider webhooks", () => {
  test("behavior: forged, tampered, late, truncated and oversized webhooks are refused, logged, and change nothing", async () => {
    const routes = t.operations.filter(
      (op) => op.auth.kind === "public" && /webhook/.test(op.path) && op.method === "POST",
    );
    expect(routes.length).toBeGreaterThanOrEqual(1);
    await quiesce(t.s);
    const before = await snapshotSchema(t.s.stack.db, "pier_api");
    const secret = FIAT_ENV.PIER_SANDBOX_WEBHOOK_SECRET;
    const now = Math.floor(Date.now() / 1000);
    const event = JSON.stringify({
      id: "evt_sandbox_hardening",
      type: "capture.completed",
      data: { session: "x" },
    });
    const cases: [string, string, string | undefined][] = [
      ["forged", event, signatureHeader(["not-the-secret-at-all"], now, event)],
      ["tampered", event.replace("x", "y"), signatureHeader([secret], now, event)],
      ["late (replayed)", event, signatureHeader([secret], now - 3600, event)],
      ["truncated", event.slice(0, 20), signatureHeader([secret], now, event)],
      ["unsigned", event, undefined],
      ["oversized", JSON.stringify({ pad: "x".repeat(300_000) }), signatureHeader([secret], now, "x")],
    ];
    const requestIds: string[] = [];
    for (const op of routes) {
      for (const provider of ["sandbox", "paypal", "stripe"]) {
        for (const [name, body, sig] of cases) {
          const res = await fetch(`${t.s.api.url}${fill(op, provider)}`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              ...(sig ? { "pier-sandbox-signature": sig } : {}),
            },
            body,
          });
          const json = (await res.json()) as { error?: { type: string; code: string } };
          expect(res.status, `${op.id} ${provider} ${name}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${op.id} ${provider} ${name}`).toBeLessThan(500);
          expect(json.error?.type, `${op.id} ${provider} ${name}`).toBe("invalid_request_error");
          requestIds.push(res.headers.get("request-id")!);
        }
      }
    }
    const after = await snapshotSchema(t.s.stack.db, "pier_api");
    expect(changedTables(before, after)).toEqual([]);
    const log = readFileSync(join(t.s.stack.dir, "api.log"), "utf8");
    for (const id of requestIds) expect(log, `request ${id} logged`).toContain(id);
  });
});

describe("CORS", () => {
  const preflight = (path: string, origin: string) =>
    fetch(`${t.s.api.url}${path}`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "GET" },
    });

  test("behavior: the checkout routes admit configured origins only; no other route sends CORS headers", async () => {
    const order = t.foreignIds.get("/v1/orders")![0]!;
    for (const origin of [CHECKOUT_ORIGIN, "https://shop.example"]) {
      const pre = await preflight(`/v1/checkout/${order}`, origin);
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe(origin);
      const get = await fetch(`${t.s.api.url}/v1/checkout/${order}`, { headers: { origin } });
      expect(get.status).toBe(200);
      expect(get.headers.get("access-control-allow-origin")).toBe(origin);
    }
    const evil = await fetch(`${t.s.api.url}/v1/checkout/${order}`, {
      headers: { origin: "https://evil.example" },
    });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const evilPre = await preflight(`/v1/checkout/${order}`, "https://evil.example");
    expect(evilPre.headers.get("access-control-allow-origin")).toBeNull();
    for (const op of t.operations.filter((o) => !o.path.startsWith("/v1/checkout"))) {
      const path = fill(op, "x");
      const pre = await preflight(path, CHECKOUT_ORIGIN);
      expect(pre.headers.get("access-control-allow-origin"), op.id).toBeNull();
      const res = await fetch(`${t.s.api.url}${path}`, {
        method: op.method === "GET" ? "GET" : "HEAD",
        headers: { origin: CHECKOUT_ORIGIN },
      });
      expect(res.headers.get("access-control-allow-origin"), op.id).toBeNull();
    }
  });
});

describe("rate limits", () => {
  test("behavior: over the limit a key gets 429 with Retry-After in the error shape; other keys and health do not", async () => {
    const limited = await t.s.startApi({ PIER_RATE_LIMIT_MAX: "5", PIER_RATE_LIMIT_WINDOW_MS: "60000" });
    const a = apiClient(limited.url, t.a.secretKey);
    const statuses: number[] = [];
    let last = await a.get("/v1/orders");
    statuses.push(last.status);
    for (let i = 0; i < 7; i++) {
      last = await a.get("/v1/orders");
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(last.body.error).toMatchObject({ type: "rate_limit_error", code: "rate_limited" });
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last.headers.get("request-id")).toMatch(/^req_/);
    expect((await apiClient(limited.url, t.b.secretKey).get("/v1/orders")).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await fetch(`${limited.url}/healthz`)).status).toBe(200);
  });
});
