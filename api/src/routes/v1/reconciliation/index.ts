/** /v1/reconciliation: stored mismatches between orders, on-chain payments and fiat; resolve; run now. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { audit } from "../../../audit/auditLog.ts";
import type { AppContext } from "../../../context.ts";
import { UnavailableError } from "../../../errors.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { listFindings, resolveFinding, toFindingObject } from "../../../reconciliation/findings.ts";
import { runReconciliation } from "../../../reconciliation/runReconciliation.ts";
import { errors, IdempotencyHeaders, IdParams, ListOf, ListQuery } from "../../../schemas/common.ts";
import { Finding, ReconciliationRun } from "../../../schemas/reconciliation.ts";

export default async function reconciliationRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const FindingRef = Finding;

  app.get(
    "/v1/reconciliation/findings",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "listReconciliationFindings",
        tags: ["Reconciliation"],
        summary: "List reconciliation findings",
        querystring: Type.Object(
          {
            ...ListQuery,
            status: Type.Optional(Type.String({ enum: ["open", "resolved"] })),
            kind: Type.Optional(Type.String({ pattern: "^[a-z_]{1,40}$" })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ListOf(FindingRef, "A page of findings"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listFindings(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map(toFindingObject),
        has_more: page.hasMore,
        url: "/v1/reconciliation/findings",
      };
    },
  );

  app.post(
    "/v1/reconciliation/findings/:id/resolve",
    {
      config: { auth: "orders:write" },
      schema: {
        operationId: "resolveReconciliationFinding",
        tags: ["Reconciliation"],
        summary: "Resolve a finding",
        description:
          "Records who resolved it, when, and the note. A resolved finding seen again stays resolved.",
        headers: IdempotencyHeaders,
        params: IdParams("^rcf_[0-9A-Za-z]{24}$", "Finding id (rcf_...)"),
        body: Type.Object(
          { note: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: FindingRef, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const finding = toFindingObject(
          await resolveFinding(tx, req.principal, req.params.id, req.body.note),
        );
        await audit(tx, req, "reconciliation_finding.resolved", finding.id, { note: req.body.note });
        return finding;
      }),
  );

  app.post(
    "/v1/reconciliation/runs",
    {
      config: { auth: "admin" },
      schema: {
        operationId: "createReconciliationRun",
        tags: ["Reconciliation"],
        summary: "Run reconciliation now (operator)",
        description:
          "The same pass the scheduled job runs (PIER_RECONCILIATION_CRON). 503 reconciliation_busy while another pass is running.",
        headers: IdempotencyHeaders,
        response: { 200: ReconciliationRun, ...errors(401, 403, 503) },
      },
    },
    async () => {
      const run = await runReconciliation(ctx);
      if (!run)
        throw new UnavailableError("reconciliation_busy", "A reconciliation pass is running; retry shortly");
      return run;
    },
  );
}
