/**
 * GET /metrics: the Prometheus metrics, behind `Authorization: Bearer <PIER_METRICS_TOKEN>`. They show
 * treasury and credited balances, traffic and signer state, so nobody else may read them; with no token
 * configured the route is off (403 metrics_disabled), the way admin routes are without PIER_ADMIN_KEY.
 * Prometheus scrape config: ops/README.md (Alerts).
 */
import { timingSafeEqual } from "node:crypto";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import Type from "typebox";
import { senderStatus, setSenderGauges } from "../chain/senderStatus.ts";
import type { AppContext } from "../context.ts";
import { AuthenticationError, PermissionError } from "../errors.ts";
import { WEBHOOK_QUEUE } from "../jobs/queues.ts";
import { hashSecret } from "../keys/apiKeys.ts";
import { bearerToken } from "../plugins/auth.ts";

/** Refuses the request unless it carries the metrics token (compared as hashes, in constant time). */
function metricsGuard(token: string | undefined) {
  const expected = token ? Buffer.from(hashSecret(token), "hex") : undefined;
  return async (request: FastifyRequest) => {
    if (!expected)
      throw new PermissionError("metrics_disabled", "Metrics are off: PIER_METRICS_TOKEN is not set");
    const given = bearerToken(request);
    if (!given)
      throw new AuthenticationError(
        "api_key_missing",
        "Metrics need 'Authorization: Bearer <metrics token>'",
      );
    if (!timingSafeEqual(Buffer.from(hashSecret(given), "hex"), expected))
      throw new AuthenticationError("api_key_invalid", "Invalid metrics token");
  };
}

export default async function metricsRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/metrics",
    {
      // Not an API key: the route checks its own token (onRequest below).
      config: { auth: "public" },
      onRequest: metricsGuard(ctx.config.metricsToken),
      schema: {
        tags: ["Operations"],
        operationId: "getMetrics",
        summary: "Prometheus metrics",
        description:
          "Prometheus text format. Needs `Authorization: Bearer <PIER_METRICS_TOKEN>`; off (403 metrics_disabled) while that variable is unset.",
        security: [{ metricsToken: [] }],
        response: {
          200: {
            description: "The metrics in the Prometheus text exposition format",
            content: { "text/plain": { schema: Type.String() } },
          },
          401: Type.Ref("Error", { description: "No or a wrong metrics token" }),
          403: Type.Ref("Error", { description: "PIER_METRICS_TOKEN is not set: metrics are off" }),
        },
      },
    },
    async (_req, reply) => {
      const queue = await ctx.boss.getQueue(WEBHOOK_QUEUE).catch(() => null);
      if (queue) ctx.metrics.queueDepth.set({ queue: WEBHOOK_QUEUE }, queue.queuedCount);
      const { rows } = await ctx.pool
        .query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'")
        .catch(() => ({ rows: [{ n: 0 }] }));
      ctx.metrics.queueDepth.set({ queue: "webhook_deliveries_pending" }, rows[0]?.n ?? 0);
      await senderStatus(ctx)
        .then((health) => setSenderGauges(ctx, health))
        .catch(() => {});
      reply.header("content-type", ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );
}
