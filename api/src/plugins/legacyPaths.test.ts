/** Renamed routes keep answering at their old paths, which stay out of the OpenAPI document. */
import swagger from "@fastify/swagger";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { legacyPaths } from "./legacyPaths.ts";

const app = Fastify({ logger: false });

beforeAll(async () => {
  await app.register(swagger, { openapi: { openapi: "3.1.0", info: { title: "t", version: "1" } } });
  await app.register(legacyPaths);
  await app.register(async (scoped) => {
    // A hook of the declaring plugin: the old path must run it too.
    scoped.addHook("onRequest", async (_req, reply) => {
      reply.header("x-scoped", "yes");
    });
    scoped.get("/v1/checkout_links/:id", { schema: { operationId: "getCheckoutLink" } }, async (req) => ({
      id: (req.params as { id: string }).id,
    }));
    scoped.post("/v1/checkout_subscriptions/:id/authorize", async () => ({ ok: true }));
    scoped.get("/v1/checkout/:id", async () => ({ order: true }));
  });
  await app.ready();
});
afterAll(() => app.close());

describe("legacyPaths", () => {
  test("default: the old path answers what the new one does, with the same hooks", async () => {
    for (const url of ["/v1/checkout_links/pl_1", "/v1/checkout/links/pl_1"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(200);
      expect(res.json(), url).toEqual({ id: "pl_1" });
      expect(res.headers["x-scoped"], url).toBe("yes");
    }
    const head = await app.inject({ method: "HEAD", url: "/v1/checkout/links/pl_1" });
    expect(head.statusCode).toBe(200);
    const old = await app.inject({ method: "POST", url: "/v1/checkout/subscriptions/sub_1/authorize" });
    expect(old.json()).toEqual({ ok: true });
  });

  test("behavior: only the new paths are in the OpenAPI document; other routes are not copied", async () => {
    const paths = Object.keys((app.swagger() as { paths: Record<string, unknown> }).paths);
    expect(paths.sort()).toEqual([
      "/v1/checkout/{id}",
      "/v1/checkout_links/{id}",
      "/v1/checkout_subscriptions/{id}/authorize",
    ]);
    expect(app.printRoutes({ commonPrefix: false })).not.toMatch(/checkout\/checkout/);
  });
});
