/** The error envelope for errors that never reach a domain function: crashes, parsing, unknown routes. */
import { assertPayableCurrency } from "@pier/money/currencies";
import { parseMinorUnits } from "@pier/money/units";
import Fastify from "fastify";
import Type from "typebox";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { NotFoundError } from "../errors.ts";
import { IdParams, TokenAmount } from "../schemas/common.ts";
import { OrderIdPattern } from "../schemas/order.ts";
import { errorHandler } from "./errorHandler.ts";

const app = Fastify({ logger: false, genReqId: () => "req_test" });

beforeAll(async () => {
  await app.register(errorHandler, { token: { symbol: "EURC", decimals: 6 } });
  app.get("/boom", async () => {
    throw new Error("connect ECONNREFUSED postgres://pier:hunter2@10.0.0.5/pier");
  });
  app.get("/missing", async () => {
    throw new NotFoundError("order", "ord_x");
  });
  app.get("/yen", async () => parseMinorUnits("10.5", "JPY", "fiat_amount"));
  app.get("/gold", async () => assertPayableCurrency("XAU"));
  app.post("/json", async (req) => req.body);
  app.post("/refund", { schema: { body: Type.Object({ amount: TokenAmount }) } }, async (req) => req.body);
  app.post(
    "/order",
    {
      schema: {
        body: Type.Object({ amount: Type.Optional(TokenAmount), fiat_amount: Type.Optional(Type.String()) }),
      },
    },
    async (req) => req.body,
  );
  app.post(
    "/orders/:id/cancel",
    {
      schema: {
        params: IdParams(OrderIdPattern, "Order id (ord_...)"),
        body: Type.Object({ reason: Type.String() }),
      },
    },
    async (req) => req.params,
  );
  await app.ready();
});
afterAll(() => app.close());

describe("errorHandler", () => {
  test("error: an unexpected error is a generic 500 that leaks nothing", async () => {
    const res = await app.inject({ method: "GET", url: "/boom" });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.error).toMatchObject({ type: "api_error", code: "internal_error" });
    expect(res.body).not.toContain("hunter2");
    expect(res.body).not.toContain("ECONNREFUSED");
    expect(body.error.message).toContain("req_test");
  });
  test("default: ApiErrors keep their status, code and param", async () => {
    const res = await app.inject({ method: "GET", url: "/missing" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: {
        type: "invalid_request_error",
        code: "resource_missing",
        message: "No such order: 'ord_x'",
        param: "id",
      },
    });
  });
  test("error: @pier/money's refusals are 400s naming the field", async () => {
    const yen = await app.inject({ method: "GET", url: "/yen" });
    expect(yen.statusCode).toBe(400);
    expect(yen.json()).toEqual({
      error: {
        type: "invalid_request_error",
        code: "amount_invalid",
        message: "JPY has 0 decimal places; '10.5' has more",
        param: "fiat_amount",
      },
    });
    const gold = await app.inject({ method: "GET", url: "/gold" });
    expect(gold.statusCode).toBe(400);
    expect(gold.json().error).toMatchObject({ code: "currency_not_supported", param: "currency" });
  });
  test("error: malformed JSON and unknown routes", async () => {
    const bad = await app.inject({
      method: "POST",
      url: "/json",
      payload: "{",
      headers: { "content-type": "application/json" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("invalid_json");
    const none = await app.inject({ method: "GET", url: "/nope?x=1" });
    expect(none.statusCode).toBe(404);
    expect(none.json().error).toMatchObject({ code: "url_not_found", message: "No route for GET /nope" });
  });
  test("error: a token amount that is not whole token units is explained in words, not as a pattern", async () => {
    const refund = await app.inject({ method: "POST", url: "/refund", payload: { amount: "25.5" } });
    expect(refund.statusCode).toBe(400);
    expect(refund.json().error).toEqual({
      type: "invalid_request_error",
      code: "parameter_invalid",
      message: `Invalid body 'amount': amount is in token units, a whole number as a string: 25 EURC is "25000000"`,
      param: "amount",
    });
    const order = await app.inject({ method: "POST", url: "/order", payload: { amount: "0x10" } });
    expect(order.json().error.message).toBe(
      `Invalid body 'amount': amount is in token units, a whole number as a string: 25 EURC is "25000000". ` +
        `For a decimal amount in a currency, send fiat_amount (e.g. "25.00") with fiat_currency (e.g. "USD") instead`,
    );
    expect(order.body).not.toContain("pattern");
  });

  test("error: a path id not in Pier's format is 404 resource_missing, before the body is looked at", async () => {
    for (const id of ["nope", "re_000000000000000000000000", "ord_short"]) {
      const res = await app.inject({
        method: "POST",
        url: `/orders/${id}/cancel`,
        payload: { reason: { a: 1 } },
      });
      expect(res.statusCode, id).toBe(404);
      expect(res.json(), id).toEqual({
        error: {
          type: "invalid_request_error",
          code: "resource_missing",
          message: `No such order: '${id}'`,
          param: "id",
        },
      });
    }
    // A well-formed id reaches body validation: a bad body field stays a 400 naming the field.
    const body = await app.inject({
      method: "POST",
      url: `/orders/ord_${"a".repeat(24)}/cancel`,
      payload: { reason: { a: 1 } },
    });
    expect(body.statusCode).toBe(400);
    expect(body.json().error).toMatchObject({ code: "parameter_invalid", param: "reason" });
  });
});
