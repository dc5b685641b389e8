/** /v1/reports/settlement and /v1/reports/reconciliation, as JSON or CSV (`format=csv`). */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import type { AppContext } from "../../../context.ts";
import { toCsv } from "../../../reports/csv.ts";
import { RECONCILIATION_COLUMNS, reconciliationReport } from "../../../reports/reconciliationReport.ts";
import { SETTLEMENT_COLUMNS, settlementReport } from "../../../reports/settlementReport.ts";
import { ChainId, errors } from "../../../schemas/common.ts";
import {
  Format,
  jsonOrCsv,
  ReconciliationReport,
  ReportDay,
  SettlementReport,
} from "../../../schemas/report.ts";

export default async function reportRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/reports/settlement",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "getSettlementReport",
        tags: ["Reports"],
        summary: "Settlement report per day",
        description:
          "Per UTC day of payment: orders paid, gross, refunds, fees charged, net, released and still in escrow, in token units and in the reporting currency (`currency`, default the merchant's reporting_currency from /v1/risk/rules), each sale at its own rate: a fiat-priced order at its fiat price, any other at the rate stored when it was made in that currency; orders without one at the current rate (`valued_at`). Default: the last 30 days; at most 366. One network and token per report (`network`, `token`; default the first of each), so token units are never summed across tokens.",
        querystring: Type.Object(
          {
            from: Type.Optional(ReportDay),
            to: Type.Optional(ReportDay),
            currency: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
            network: Type.Optional(ChainId("Chain id; default the first network served.")),
            token: Type.Optional(
              Type.String({
                pattern: "^0x[0-9a-fA-F]{40}$",
                description: "Token address on `network`; default its first token. One report per token.",
              }),
            ),
            format: Format,
          },
          { additionalProperties: false },
        ),
        response: { ...jsonOrCsv(SettlementReport), ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const report = await settlementReport(ctx, ctx.pool, req.principal, req.query);
      if (req.query.format !== "csv") return report;
      reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="settlement-${report.from}-${report.to}.csv"`);
      return toCsv(SETTLEMENT_COLUMNS, report.data);
    },
  );

  app.get(
    "/v1/reports/reconciliation",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "getReconciliationReport",
        tags: ["Reports"],
        summary: "Reconciliation report",
        description:
          "The last reconciliation run, counts per kind and every finding (open and resolved unless `status` is given). CSV: one finding per row.",
        querystring: Type.Object(
          { status: Type.Optional(Type.String({ enum: ["open", "resolved"] })), format: Format },
          { additionalProperties: false },
        ),
        response: { ...jsonOrCsv(ReconciliationReport), ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const status = req.query.status as "open" | "resolved" | undefined;
      const report = await reconciliationReport(ctx.pool, req.principal, status);
      if (req.query.format !== "csv") return report;
      reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="reconciliation.csv"');
      return toCsv(RECONCILIATION_COLUMNS, report.findings);
    },
  );
}
