/** /healthz (the process answers), /readyz (database, chain and indexer are usable), /metrics. */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import type { AppContext } from "../context.ts";
import { indexerProgress } from "../indexer/indexerProgress.ts";
import { WEBHOOK_QUEUE } from "../jobs/queues.ts";

/** How long /readyz waits for the chain's latest block before calling the RPC unreachable. */
const READY_RPC_TIMEOUT_MS = 3_000;

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Ready = Type.Object({
  status: Type.String({ enum: ["ready", "not_ready"] }),
  checks: Type.Object({ database: Check, chain: Check, indexer: Check }),
});

export default async function healthRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/healthz",
    {
      config: { auth: "public" },
      schema: {
        tags: ["Operations"],
        summary: "Liveness",
        response: { 200: Type.Object({ status: Type.Literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      config: { auth: "public" },
      schema: {
        tags: ["Operations"],
        summary: "Readiness: database, chain, indexer lag",
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_req, reply) => {
      const database = await ctx.pool
        .query("SELECT 1")
        .then(() => ({ ok: true }))
        .catch((e: Error) => ({ ok: false, detail: `database: ${e.message}` }));
      // Bounded: a hung RPC (the client retries for tens of seconds) must make readiness fail, not hang.
      const head = await Promise.race([
        ctx.head.refresh(),
        new Promise<undefined>((resolve) =>
          setTimeout(() => resolve(undefined), READY_RPC_TIMEOUT_MS).unref(),
        ),
      ]).catch(() => undefined);
      const chain = head
        ? { ok: true, detail: `head ${head.number}` }
        : { ok: false, detail: "RPC unreachable" };
      let indexer: { ok: boolean; detail?: string } = { ok: false, detail: "no progress recorded yet" };
      if (database.ok) {
        const progress = await indexerProgress(ctx.pool, ctx.tables, ctx.chain.chainId);
        if (progress && head) {
          const lag = Math.max(0, Number(head.number - progress.blockNumber));
          ctx.metrics.indexerLag.set(lag);
          indexer = { ok: lag <= ctx.config.maxIndexerLagBlocks, detail: `lag ${lag} blocks` };
        }
      }
      const ok = database.ok && chain.ok && indexer.ok;
      return reply
        .code(ok ? 200 : 503)
        .send({ status: ok ? "ready" : "not_ready", checks: { database, chain, indexer } });
    },
  );

  app.get(
    "/metrics",
    {
      config: { auth: "public" },
      schema: { tags: ["Operations"], summary: "Prometheus metrics", hide: false },
    },
    async (_req, reply) => {
      const queue = await ctx.boss.getQueue(WEBHOOK_QUEUE).catch(() => null);
      if (queue) ctx.metrics.queueDepth.set({ queue: WEBHOOK_QUEUE }, queue.queuedCount);
      const { rows } = await ctx.pool
        .query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'")
        .catch(() => ({ rows: [{ n: 0 }] }));
      ctx.metrics.queueDepth.set({ queue: "webhook_deliveries_pending" }, rows[0]?.n ?? 0);
      reply.header("content-type", ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );
}
