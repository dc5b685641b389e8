/**
 * /v1/plans against a real stack (Postgres, Hardhat, the API as a process): create with every validation
 * error (400 naming the parameter, nothing stored), idempotent replay, list, retrieve, archive, and
 * another merchant's plans staying invisible.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field.
type Json = any;

let s: ApiStack;

beforeAll(async () => {
  s = await startApiStack();
}, 240_000);
afterAll(async () => {
  await s?.stop();
});

const BASE = { amount: "9.99", currency: "USD", interval: "month" };

async function create(body: Record<string, unknown>, key?: string): Promise<Json> {
  const res = await s.client.post("/v1/plans", body, key ? { idempotencyKey: key } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function planCount(): Promise<number> {
  const res = await s.client.get("/v1/plans?limit=100");
  return res.body.data.length;
}

describe("POST /v1/plans", () => {
  test("default: a monthly plan with defaults", async () => {
    const plan = await create(BASE);
    expect(plan).toMatchObject({
      object: "plan",
      livemode: false,
      active: true,
      amount: "9.99",
      currency: "USD",
      interval: "month",
      interval_count: 1,
      anchor_day: null,
      trial_days: 0,
      cycles: null,
      description: null,
      metadata: {},
    });
    expect(plan.id).toMatch(/^plan_[0-9A-Za-z]{24}$/);
    expect(typeof plan.created).toBe("number");
  });

  test("behavior: every option, and the amount in the currency's canonical form", async () => {
    const plan = await create({
      amount: "120.5",
      currency: "USD",
      interval: "year",
      interval_count: 2,
      anchor_day: 31,
      trial_days: 14,
      cycles: 3,
      description: "Gold",
      metadata: { tier: "gold" },
    });
    expect(plan).toMatchObject({
      amount: "120.50",
      interval: "year",
      interval_count: 2,
      anchor_day: 31,
      trial_days: 14,
      cycles: 3,
      description: "Gold",
      metadata: { tier: "gold" },
    });
  });

  test("behavior: the same Idempotency-Key replays the plan; another body with it is refused", async () => {
    const first = await s.client.post("/v1/plans", BASE, { idempotencyKey: "plan-key-1" });
    const again = await s.client.post("/v1/plans", BASE, { idempotencyKey: "plan-key-1" });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const other = await s.client.post(
      "/v1/plans",
      { ...BASE, amount: "1" },
      { idempotencyKey: "plan-key-1" },
    );
    expect(other.status).toBe(400);
    expect(other.body.error.code).toBe("idempotency_key_reused");
  });

  const invalid: [string, Record<string, unknown>, string, string?][] = [
    ["no amount", { currency: "USD", interval: "month" }, "amount"],
    ["a number amount", { ...BASE, amount: 9.99 }, "amount"],
    ["a zero amount", { ...BASE, amount: "0" }, "amount", "parameter_invalid"],
    ["more decimals than the currency", { ...BASE, amount: "9.999" }, "amount", "amount_invalid"],
    ["a negative amount", { ...BASE, amount: "-1" }, "amount"],
    ["a lower-case currency", { ...BASE, currency: "usd" }, "currency"],
    ["a currency no token is pegged to", { ...BASE, currency: "EUR" }, "currency", "currency_not_supported"],
    ["an unknown interval", { ...BASE, interval: "quarter" }, "interval"],
    ["interval_count 0", { ...BASE, interval_count: 0 }, "interval_count"],
    ["13 months", { ...BASE, interval_count: 13 }, "interval_count", "parameter_invalid"],
    ["53 weeks", { ...BASE, interval: "week", interval_count: 53 }, "interval_count", "parameter_invalid"],
    ["4 years", { ...BASE, interval: "year", interval_count: 4 }, "interval_count", "parameter_invalid"],
    ["366 days", { ...BASE, interval: "day", interval_count: 366 }, "interval_count"],
    [
      "anchor_day on a week plan",
      { ...BASE, interval: "week", anchor_day: 1 },
      "anchor_day",
      "parameter_invalid",
    ],
    ["anchor_day 0", { ...BASE, anchor_day: 0 }, "anchor_day"],
    ["anchor_day 32", { ...BASE, anchor_day: 32 }, "anchor_day"],
    ["trial_days 731", { ...BASE, trial_days: 731 }, "trial_days"],
    ["trial_days -1", { ...BASE, trial_days: -1 }, "trial_days"],
    ["cycles 0", { ...BASE, cycles: 0 }, "cycles"],
    ["cycles 1001", { ...BASE, cycles: 1001 }, "cycles"],
    ["a long description", { ...BASE, description: "x".repeat(1001) }, "description"],
    [
      "too much metadata",
      { ...BASE, metadata: Object.fromEntries([...Array(51)].map((_, i) => [`k${i}`, "v"])) },
      "metadata",
    ],
    ["an unknown field", { ...BASE, price: "1" }, "price"],
  ];

  test.each(invalid)(
    "error: %s is a 400 naming the parameter, nothing stored",
    async (_, body, param, code) => {
      const before = await planCount();
      const res = await s.client.post("/v1/plans", body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.type).toBe("invalid_request_error");
      expect(res.body.error.param).toBe(param);
      if (code) expect(res.body.error.code).toBe(code);
      expect(await planCount()).toBe(before);
    },
  );
});

describe("GET /v1/plans, GET /v1/plans/:id, POST /v1/plans/:id/archive", () => {
  test("default: list newest first with cursors; retrieve", async () => {
    const a = await create({ ...BASE, description: "a" });
    const b = await create({ ...BASE, description: "b" });
    const page = await s.client.get("/v1/plans?limit=1");
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ object: "list", has_more: true, url: "/v1/plans" });
    expect(page.body.data[0].id).toBe(b.id);
    const next = await s.client.get(`/v1/plans?limit=1&starting_after=${b.id}`);
    expect(next.body.data[0].id).toBe(a.id);
    const got = await s.client.get(`/v1/plans/${a.id}`);
    expect(got.body).toEqual(a);
  });

  test("behavior: archive makes the plan inactive, twice changes nothing", async () => {
    const plan = await create(BASE);
    const archived = await s.client.post(`/v1/plans/${plan.id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body).toEqual({ ...plan, active: false });
    const again = await s.client.post(`/v1/plans/${plan.id}/archive`);
    expect(again.body).toEqual(archived.body);
  });

  test("error: unknown, malformed and another merchant's plan ids", async () => {
    const plan = await create(BASE);
    const other = await s.newMerchant("Other shop");
    expect((await other.client.get(`/v1/plans/${plan.id}`)).status).toBe(404);
    expect((await other.client.post(`/v1/plans/${plan.id}/archive`)).status).toBe(404);
    expect((await other.client.get("/v1/plans")).body.data).toEqual([]);
    const missing = await s.client.get(`/v1/plans/plan_${"a".repeat(24)}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("resource_missing");
    expect((await s.client.get("/v1/plans/plan_x")).body.error).toMatchObject({ code: "resource_missing" });
    expect((await s.client.withKey(undefined).get("/v1/plans")).status).toBe(401);
  });
});
