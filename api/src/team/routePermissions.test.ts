import Fastify from "fastify";
import { describe, expect, test } from "vitest";
import type { AppContext } from "../context.ts";
import { auth } from "../plugins/auth.ts";
import { routePermission } from "./routePermissions.ts";

describe("routePermission", () => {
  test("default: a scoped route needs its scope; the table overrides coarse scopes", () => {
    expect(routePermission("GET", "/v1/orders", "orders:read")).toBe("orders:read");
    expect(routePermission("HEAD", "/v1/orders", "orders:read")).toBe("orders:read");
    expect(routePermission("POST", "/v1/orders/:id/release", "orders:write")).toBe("orders:release");
    expect(routePermission("GET", "/v1/reports/daily", "orders:read")).toBe("reports:read");
  });

  test("error: an 'any' or 'session' route outside the table has no permission", () => {
    expect(routePermission("GET", "/v1/something-new", "any")).toBeUndefined();
    expect(routePermission("POST", "/v1/dashboard/new-thing", "session")).toBeUndefined();
  });
});

describe("registration", () => {
  // The auth plugin reads only the admin key when it registers; no request is made here.
  const ctx = { config: { adminKey: undefined } } as unknown as AppContext;

  test("error: a route a session can reach without a permission refuses to register", async () => {
    const app = Fastify();
    await app.register(auth, { ctx });
    expect(() => app.get("/v1/unmapped", { config: { auth: "any" } }, async () => ({}))).toThrow(
      /GET \/v1\/unmapped .* has no role permission/,
    );
    expect(() =>
      app.post("/v1/dashboard/unmapped", { config: { auth: "session" } }, async () => ({})),
    ).toThrow(/has no role permission/);
    await app.close();
  });

  test("behavior: public, admin, scoped and mapped routes register", async () => {
    const app = Fastify();
    await app.register(auth, { ctx });
    app.get("/v1/public-thing", { config: { auth: "public" } }, async () => ({}));
    app.post("/v1/admin/thing", { config: { auth: "admin" } }, async () => ({}));
    app.get("/v1/orders", { config: { auth: "orders:read" } }, async () => ({}));
    app.get("/v1/merchant", { config: { auth: "any" } }, async () => ({}));
    await expect(app.ready()).resolves.toBeDefined();
    await app.close();
  });
});
