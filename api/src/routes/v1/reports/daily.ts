/** GET /v1/reports/daily: the merchant's daily volume, payments, fees, refunds and releases. */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { tokenOn } from "../../../chain/chainContext.ts";
import type { AppContext } from "../../../context.ts";
import { InvalidRequestError } from "../../../errors.ts";
import { getMerchant } from "../../../merchants/merchants.ts";
import { dailyReport } from "../../../reports/dailyReport.ts";
import { errors } from "../../../schemas/common.ts";
import { DailyDay, DailyReport } from "../../../schemas/report.ts";

const MAX_DAYS = 366;

export default async function dailyReportRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/v1/reports/daily",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "getDailyReport",
        tags: ["Reports"],
        summary: "Daily figures from the chain",
        description:
          "Per UTC day and token, from the indexer: volume paid into escrow, payments escrowed, fees, refunds and net released. Default: the last 30 days; at most 366 days.",
        querystring: Type.Object(
          { from: Type.Optional(DailyDay), to: Type.Optional(DailyDay) },
          { additionalProperties: false },
        ),
        response: {
          200: DailyReport,
          ...errors(400, 401, 403),
        },
      },
    },
    async (req) => {
      const to = req.query.to ?? new Date().toISOString().slice(0, 10);
      const from = req.query.from ?? new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
      const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
      if (Number.isNaN(span) || span < 0 || span >= MAX_DAYS) {
        throw new InvalidRequestError(
          "parameter_invalid",
          `'from' must be a valid day on or before 'to', at most ${MAX_DAYS} days apart`,
          "from",
        );
      }
      const merchant = await getMerchant(ctx.pool, req.principal.merchantId);
      // Every network's days, each row one network and token (never summed across tokens).
      const perNetwork = await Promise.all(
        ctx.networks.list.map(async (net) => {
          const rows = await dailyReport(ctx.pool, {
            indexerSchema: ctx.config.indexerSchema,
            chainId: net.chainId,
            payoutAddress: merchant.payout_address,
            from,
            to,
          });
          return rows.map((r) => {
            const known = tokenOn(net, r.token);
            return {
              object: "daily_report" as const,
              chain_id: net.chainId,
              ...r,
              symbol: known?.symbol ?? null,
              decimals: known?.decimals ?? null,
            };
          });
        }),
      );
      return {
        object: "list" as const,
        url: "/v1/reports/daily",
        has_more: false,
        data: perNetwork.flat().sort((a, b) => a.day.localeCompare(b.day) || a.chain_id - b.chain_id),
      };
    },
  );
}
