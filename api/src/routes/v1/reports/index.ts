/** /v1/reports/settlement and /v1/reports/reconciliation, as JSON or CSV (`format=csv`). */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import type { AppContext } from "../../../context.ts";
import { Finding } from "../../../reconciliation/findingSchema.ts";
import { toCsv } from "../../../reports/csv.ts";
import { RECONCILIATION_COLUMNS, reconciliationReport } from "../../../reports/reconciliationReport.ts";
import { SETTLEMENT_COLUMNS, settlementReport } from "../../../reports/settlementReport.ts";
import { errors, TokenAmount } from "../../../schemas/common.ts";

const Day = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}$",
  format: "date",
  description: "UTC day, YYYY-MM-DD.",
});
const Format = Type.Optional(Type.String({ enum: ["json", "csv"], default: "json" }));
const Csv = Type.String({ description: "RFC 4180 CSV with a header row." });
const Fiat = Type.String({
  pattern: "^[0-9]+(\\.[0-9]+)?$",
  description: "Decimal string in the reporting currency.",
});

const SettlementDay = Type.Object({
  date: Day,
  merchant: Type.String(),
  orders: Type.Integer(),
  gross: TokenAmount,
  refunds: TokenAmount,
  fees: TokenAmount,
  net: TokenAmount,
  released: TokenAmount,
  in_escrow: TokenAmount,
  currency: Type.String(),
  gross_fiat: Fiat,
  refunds_fiat: Fiat,
  fees_fiat: Fiat,
  net_fiat: Fiat,
  reporting_currency: Type.String(),
  valued_at: Type.String({
    enum: ["sale", "current", "mixed"],
    description:
      "sale: every order that day valued at its own rate (its fiat price, or the rate stored when it was made); current: at fx_rate; mixed: some of each.",
  }),
});

const SettlementReport = Type.Object({
  object: Type.Literal("settlement_report"),
  livemode: Type.Boolean(),
  merchant: Type.String(),
  from: Day,
  to: Day,
  currency: Type.String(),
  token_decimals: Type.Integer(),
  reporting_currency: Type.String(),
  fx_rate: Type.String({
    description:
      "The current rate, reporting-currency units per token (through its peg): used only for orders without a rate of their own in this currency.",
  }),
  fx_rate_as_of: Type.Integer(),
  data: Type.Array(SettlementDay),
  totals: Type.Object({
    orders: Type.Integer(),
    gross: TokenAmount,
    refunds: TokenAmount,
    fees: TokenAmount,
    net: TokenAmount,
    released: TokenAmount,
    in_escrow: TokenAmount,
    gross_fiat: Fiat,
    net_fiat: Fiat,
  }),
});

const ReconciliationReport = Type.Object({
  object: Type.Literal("reconciliation_report"),
  livemode: Type.Boolean(),
  generated: Type.Integer(),
  last_run: Type.Union([
    Type.Object({ id: Type.String(), finished: Type.Union([Type.Integer(), Type.Null()]) }),
    Type.Null(),
  ]),
  open: Type.Integer(),
  by_kind: Type.Record(Type.String(), Type.Object({ open: Type.Integer(), resolved: Type.Integer() })),
  findings: Type.Array(Finding),
});

const both = <T extends Parameters<typeof Type.Object>[0]>(schema: ReturnType<typeof Type.Object<T>>) => ({
  200: {
    description: "JSON, or CSV with format=csv",
    content: { "application/json": { schema }, "text/csv": { schema: Csv } },
  },
});

export default async function reportRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/reports/settlement",
    {
      config: { auth: "orders:read" },
      schema: {
        tags: ["Reports"],
        summary: "Settlement report per day",
        description:
          "Per UTC day of payment: orders paid, gross, refunds, fees charged, net, released and still in escrow, in token units and in the reporting currency (`currency`, default the merchant's reporting_currency from /v1/risk/rules), each sale at its own rate: a fiat-priced order at its fiat price, any other at the rate stored when it was made in that currency; orders without one at the current rate (`valued_at`). Default: the last 30 days; at most 366.",
        querystring: Type.Object(
          {
            from: Type.Optional(Day),
            to: Type.Optional(Day),
            currency: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
            format: Format,
          },
          { additionalProperties: false },
        ),
        response: { ...both(SettlementReport), ...errors(400, 401, 403) },
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
        tags: ["Reports"],
        summary: "Reconciliation report",
        description:
          "The last reconciliation run, counts per kind and every finding (open and resolved unless `status` is given). CSV: one finding per row.",
        querystring: Type.Object(
          { status: Type.Optional(Type.String({ enum: ["open", "resolved"] })), format: Format },
          { additionalProperties: false },
        ),
        response: { ...both(ReconciliationReport), ...errors(400, 401, 403) },
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
