/**
 * /healthz (the process answers), /readyz (database, chain and indexer are usable; the transaction
 * senders are moving), /metrics.
 *
 * /readyz answers 503 `not_ready` when the database, the chain RPC or the indexer is unusable: the
 * process cannot serve. A signer whose transactions are stuck (chain/senderStatus.ts) makes it 200
 * `degraded`, with the `senders` check not ok and each stuck transaction and why in `senders`: the API
 * still serves every request, so a load balancer must keep it, but monitoring and `pier status` should
 * flag it (and pier_api_chain_tx_stuck in /metrics pages the operator).
 */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { senderStatus, setSenderGauges } from "../chain/senderStatus.ts";
import type { AppContext } from "../context.ts";
import { indexerProgress } from "../indexer/indexerProgress.ts";
import { WEBHOOK_QUEUE } from "../jobs/queues.ts";
import { SenderReport } from "../schemas/senderReport.ts";

/** How long /readyz waits for the chain's latest block before calling the RPC unreachable. */
const READY_RPC_TIMEOUT_MS = 3_000;

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Ready = Type.Object({
  status: Type.String({
    enum: ["ready", "degraded", "not_ready"],
    description: "degraded (200): serving, but a signer's transactions are stuck; not_ready: 503.",
  }),
  checks: Type.Object({ database: Check, chain: Check, indexer: Check, senders: Check }),
  senders: Type.Array(SenderReport, { description: "One transaction sender per signer key and chain." }),
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
        summary: "Readiness: database, chain, indexer lag, transaction senders",
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
      let senders: Awaited<ReturnType<typeof senderStatus>> = {
        ok: false,
        detail: "unknown: the database is unusable",
        senders: [],
      };
      if (database.ok) {
        senders = await senderStatus(ctx).catch((e: Error) => ({
          ok: false,
          detail: `cannot read the senders' state: ${e.message}`,
          senders: [],
        }));
        setSenderGauges(ctx, senders);
      }
      const ok = database.ok && chain.ok && indexer.ok;
      return reply.code(ok ? 200 : 503).send({
        status: !ok ? "not_ready" : senders.ok ? "ready" : "degraded",
        checks: { database, chain, indexer, senders: { ok: senders.ok, detail: senders.detail } },
        senders: senders.senders,
      });
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
      await senderStatus(ctx)
        .then((health) => setSenderGauges(ctx, health))
        .catch(() => {});
      reply.header("content-type", ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );
}
