/**
 * /healthz (the process answers), /readyz (database, chain and indexer are usable; the transaction
 * senders are moving). /metrics is in metrics.ts.
 *
 * /readyz answers 503 `not_ready` when the database is unusable, or when no network is usable (its RPC
 * or its indexing): the process cannot serve. Each network is checked on its own (`networks`, by chain
 * id): one failing while another works makes it 200 `degraded`, and orders on the others go on. A
 * signer whose transactions are stuck (chain/senderStatus.ts) also makes it `degraded`, with the `senders` check not ok and each stuck transaction and why in `senders`: the API
 * still serves every request, so a load balancer must keep it, but monitoring and `pier status` should
 * flag it (and pier_api_chain_tx_stuck in /metrics pages the operator).
 */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import type { ChainContext } from "../chain/chainContext.ts";
import { senderStatus, setSenderGauges } from "../chain/senderStatus.ts";
import type { AppContext } from "../context.ts";
import { indexerProgress } from "../indexer/indexerProgress.ts";
import { SenderReport } from "../schemas/senderReport.ts";

/** How long /readyz waits for the chain's latest block before calling the RPC unreachable. */
const READY_RPC_TIMEOUT_MS = 3_000;

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Ready = Type.Object({
  status: Type.String({
    enum: ["ready", "degraded", "not_ready"],
    description:
      "degraded (200): serving, but a network is down or a signer's transactions are stuck; not_ready: 503.",
  }),
  checks: Type.Object({ database: Check, chain: Check, indexer: Check, senders: Check }),
  networks: Type.Record(
    Type.String({ description: "Chain id" }),
    Type.Object({ name: Type.String(), ok: Type.Boolean(), chain: Check, indexer: Check }),
    { description: "Each network's RPC and indexing: a network that is not ok degrades only itself." },
  ),
  senders: Type.Array(SenderReport, { description: "One transaction sender per signer key and chain." }),
});

/** The one refusal a health route has: a query string with a NUL character (plugins/nulBytes.ts). */
const BadQuery = Type.Ref("Error", { description: "Invalid query string (a NUL character)" });

interface CheckT {
  ok: boolean;
  detail?: string;
}

/** One network's RPC head (bounded wait) and its indexer's lag behind it. */
async function networkReadiness(ctx: AppContext, net: ChainContext, databaseOk: boolean) {
  // Bounded: a hung RPC (the client retries for tens of seconds) must make readiness fail, not hang.
  const head = await Promise.race([
    net.head.refresh(),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), READY_RPC_TIMEOUT_MS).unref()),
  ]).catch(() => undefined);
  const chain: CheckT = head
    ? { ok: true, detail: `head ${head.number}` }
    : { ok: false, detail: "RPC unreachable" };
  let indexer: CheckT = { ok: false, detail: "no progress recorded yet" };
  if (databaseOk) {
    const progress = await indexerProgress(ctx.pool, ctx.tables, net.chainId);
    if (progress && head) {
      const lag = Math.max(0, Number(head.number - progress.blockNumber));
      ctx.metrics.indexerLag.set({ chain_id: String(net.chainId) }, lag);
      indexer = { ok: lag <= ctx.config.maxIndexerLagBlocks, detail: `lag ${lag} blocks` };
    } else if (!head) indexer = { ok: false, detail: "unknown: the RPC is unreachable" };
  }
  return { chainId: net.chainId, name: net.name, ok: chain.ok && indexer.ok, chain, indexer };
}

/** One check over every network: ok when all are; the detail names each (by chain id when several). */
function summarise(checks: (readonly [number, CheckT])[]): CheckT {
  if (checks.length === 1) return checks[0]![1];
  return {
    ok: checks.every(([, c]) => c.ok),
    detail: checks
      .map(([id, c]) => `${id}: ${c.ok ? "ok" : "not ok"}${c.detail ? `, ${c.detail}` : ""}`)
      .join("; "),
  };
}

export default async function healthRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/healthz",
    {
      config: { auth: "public" },
      schema: {
        operationId: "getHealth",
        tags: ["Operations"],
        summary: "Liveness",
        response: { 200: Type.Object({ status: Type.Literal("ok") }), 400: BadQuery },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      config: { auth: "public" },
      schema: {
        operationId: "getReadiness",
        tags: ["Operations"],
        summary: "Readiness: database, chain, indexer lag, transaction senders",
        response: { 200: Ready, 400: BadQuery, 503: Ready },
      },
    },
    async (_req, reply) => {
      const database = await ctx.pool
        .query("SELECT 1")
        .then(() => ({ ok: true }))
        .catch((e: Error) => ({ ok: false, detail: `database: ${e.message}` }));
      const networks = await Promise.all(
        ctx.networks.list.map((net) => networkReadiness(ctx, net, database.ok)),
      );
      const chain = summarise(networks.map((n) => [n.chainId, n.chain] as const));
      const indexer = summarise(networks.map((n) => [n.chainId, n.indexer] as const));
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
      const usable = networks.filter((n) => n.ok).length;
      const ok = database.ok && usable > 0;
      const whole = usable === networks.length && senders.ok;
      return reply.code(ok ? 200 : 503).send({
        status: !ok ? "not_ready" : whole ? "ready" : "degraded",
        checks: { database, chain, indexer, senders: { ok: senders.ok, detail: senders.detail } },
        networks: Object.fromEntries(
          networks.map((n) => [
            String(n.chainId),
            { name: n.name, ok: n.ok, chain: n.chain, indexer: n.indexer },
          ]),
        ),
        senders: senders.senders,
      });
    },
  );
}
