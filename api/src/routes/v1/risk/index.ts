/** /v1/risk: the merchant's risk rules and the review queue (flags and holds, release, refund, dismiss). */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import type { AuditAction } from "../../../audit/actions.ts";
import { audit } from "../../../audit/auditLog.ts";
import type { AppContext } from "../../../context.ts";
import type { Db } from "../../../db/pool.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import type { Principal } from "../../../keys/apiKeys.ts";
import {
  dismissReview,
  getReview,
  listReviews,
  refundReview,
  releaseHold,
  toReviewObject,
} from "../../../risk/reviews.ts";
import { getRiskSettings, updateRiskSettings } from "../../../risk/riskSettings.ts";
import { errors, IdempotencyHeaders, IdParams, ListOf, ListQuery } from "../../../schemas/common.ts";
import { ReviewNoteBody, RiskReview, RiskSettings, RiskSettingsBody } from "../../../schemas/risk.ts";

type ReviewObject = ReturnType<typeof toReviewObject>;
const Params = IdParams("^rrv_[0-9A-Za-z]{24}$", "Review id (rrv_...)");
export default async function riskRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const settingsObject = (livemode: boolean, s: Awaited<ReturnType<typeof getRiskSettings>>) => ({
    object: "risk_settings" as const,
    livemode,
    rules: s.rules,
    reporting_currency: s.reportingCurrency,
  });

  app.get(
    "/v1/risk/rules",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "getRiskRules",
        tags: ["Risk"],
        summary: "The merchant's risk rules",
        description: "Every rule with its thresholds and action; rules never set show their defaults.",
        response: { 200: RiskSettings, ...errors(401, 403) },
      },
    },
    async (req) =>
      settingsObject(
        req.principal.livemode,
        await getRiskSettings(ctx, ctx.pool, req.principal.merchantId, req.principal.livemode, {
          fresh: true,
        }),
      ),
  );

  const rulesDescription =
    "Each rule given replaces that rule whole; rules left out keep their current settings. Applies to orders and payments from now on (other API processes within 2 s). PUT and POST do the same (POST for clients that only send POST).";
  for (const method of ["PUT", "POST"] as const) {
    app.route({
      method,
      url: "/v1/risk/rules",
      config: { auth: "orders:write" },
      schema: {
        tags: ["Risk"],
        operationId: method === "PUT" ? "updateRiskRules" : "updateRiskRulesByPost",
        summary: method === "PUT" ? "Change risk rules" : "Change risk rules (POST form)",
        description: rulesDescription,
        ...(method === "POST" ? { headers: IdempotencyHeaders } : {}),
        body: RiskSettingsBody,
        response: { 200: RiskSettings, ...errors(400, 401, 403) },
      },
      handler: (req, reply) =>
        idempotent(ctx, req, reply, 200, async (tx) => {
          const before = await getRiskSettings(ctx, tx, req.principal.merchantId, req.principal.livemode, {
            fresh: true,
          });
          const after = await updateRiskSettings(ctx, tx, req.principal.merchantId, req.principal.livemode, {
            rules: req.body.rules,
            reportingCurrency: req.body.reporting_currency,
          });
          await audit(tx, req, "risk.rules_changed", null, {
            before: { rules: before.rules, reporting_currency: before.reportingCurrency },
            after: { rules: after.rules, reporting_currency: after.reportingCurrency },
          });
          return settingsObject(req.principal.livemode, after);
        }),
    });
  }

  app.get(
    "/v1/risk/reviews",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "listRiskReviews",
        tags: ["Risk"],
        summary: "The review queue",
        description: "Newest first; `status=open&outcome=hold` is what waits for a decision.",
        querystring: Type.Object(
          {
            ...ListQuery,
            status: Type.Optional(Type.String({ enum: ["open", "released", "refunded", "dismissed"] })),
            outcome: Type.Optional(Type.String({ enum: ["flag", "hold"] })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ListOf(RiskReview, "A page of reviews"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listReviews(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map(toReviewObject),
        has_more: page.hasMore,
        url: "/v1/risk/reviews",
      };
    },
  );

  app.get(
    "/v1/risk/reviews/:id",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "getRiskReview",
        tags: ["Risk"],
        summary: "Retrieve a review",
        params: Params,
        response: { 200: RiskReview, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => toReviewObject(await getReview(ctx.pool, req.principal, req.params.id)),
  );

  const action = (
    path: string,
    operationId: string,
    summary: string,
    description: string,
    scope: "orders:write" | "refunds:write",
    audited: AuditAction,
    run: (tx: Db, r: { principal: Principal; id: string; note?: string }) => Promise<ReviewObject>,
  ) =>
    app.post(
      `/v1/risk/reviews/:id/${path}`,
      {
        config: { auth: scope },
        schema: {
          tags: ["Risk"],
          operationId,
          summary,
          description,
          headers: IdempotencyHeaders,
          params: Params,
          body: ReviewNoteBody,
          response: { 200: RiskReview, ...errors(400, 401, 403, 404, 409) },
        },
      },
      (req, reply) =>
        idempotent(ctx, req, reply, 200, async (tx) => {
          const review = await run(tx, { principal: req.principal, id: req.params.id, note: req.body?.note });
          await audit(tx, req, audited, review.id, {
            order: review.order,
            status: review.status,
            note: req.body?.note ?? null,
          });
          return review;
        }),
    );

  action(
    "release-hold",
    "releaseRiskReviewHold",
    "Release a held payment",
    "Queues the operator's setHold(false); the keeper then settles the payment when its escrow period has ended. 409 hold_pending while the hold itself is not on chain yet.",
    "orders:write",
    "risk.review_release_hold",
    async (tx, r) => toReviewObject(await releaseHold(ctx, tx, r.principal, r.id, r.note)),
  );
  action(
    "refund",
    "refundRiskReview",
    "Refund a held or flagged payment",
    "Refunds what remains to the payer (a refund object, `refund.succeeded` follows) and closes the review.",
    "refunds:write",
    "risk.review_refund",
    async (tx, r) => toReviewObject(await refundReview(ctx, tx, r.principal, r.id, r.note)),
  );
  action(
    "dismiss",
    "dismissRiskReview",
    "Dismiss a flag",
    "Records that a flag was reviewed; nothing changes on chain.",
    "orders:write",
    "risk.review_dismiss",
    async (tx, r) => toReviewObject(await dismissReview(tx, r.principal, r.id, r.note)),
  );
}
