/**
 * Request ids and request metrics: every response carries `Request-Id` (also on every log line of the
 * request), and each request is counted and timed by route template.
 */
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { AppContext } from "../context.ts";

export const observability = fp(
  async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
    app.addHook("onRequest", async (request, reply) => {
      reply.header("Request-Id", request.id);
    });
    app.addHook("onResponse", async (request, reply) => {
      const route = request.routeOptions.url ?? "unmatched";
      ctx.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
      ctx.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
  },
  { name: "pier-observability" },
);
