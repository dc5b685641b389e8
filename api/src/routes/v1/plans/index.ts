/** /v1/plans: recurring prices subscriptions are made from (create, list, retrieve, archive). */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { audit } from "../../../audit/auditLog.ts";
import type { AppContext } from "../../../context.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { errors, IdempotencyHeaders, IdParams, ListOf, ListQuery } from "../../../schemas/common.ts";
import { CreatePlanBody, Plan, PlanIdPattern } from "../../../schemas/plan.ts";
import { archivePlan, createPlan, getPlan, listPlans, toPlanObject } from "../../../subscriptions/plans.ts";

const Params = IdParams(PlanIdPattern, "Plan id (plan_...)");

export default async function planRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/v1/plans",
    {
      config: { auth: "orders:write" },
      schema: {
        operationId: "createPlan",
        tags: ["Subscriptions"],
        summary: "Create a plan",
        description:
          "A recurring price: `amount` of `currency` every `interval_count` `interval`s, with an optional anchor day, trial and number of cycles. 400 currency_not_supported when no token of the key's mode is pegged to `currency`.",
        headers: IdempotencyHeaders,
        body: CreatePlanBody,
        response: { 200: Plan, ...errors(400, 401, 403, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) =>
        toPlanObject(await createPlan(ctx, tx, req.principal, req.body)),
      ),
  );

  app.get(
    "/v1/plans",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "listPlans",
        tags: ["Subscriptions"],
        summary: "List plans",
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: { 200: ListOf(Plan, "A page of plans, newest first"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listPlans(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map(toPlanObject),
        has_more: page.hasMore,
        url: "/v1/plans",
      };
    },
  );

  app.get(
    "/v1/plans/:id",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "getPlan",
        tags: ["Subscriptions"],
        summary: "Retrieve a plan",
        params: Params,
        response: { 200: Plan, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => toPlanObject(await getPlan(ctx.pool, req.principal, req.params.id)),
  );

  app.post(
    "/v1/plans/:id/archive",
    {
      config: { auth: "orders:write" },
      schema: {
        operationId: "archivePlan",
        tags: ["Subscriptions"],
        summary: "Archive a plan",
        description:
          "New subscriptions to it are refused (409 plan_inactive); existing subscriptions continue. Archiving an archived plan changes nothing.",
        headers: IdempotencyHeaders,
        params: Params,
        response: { 200: Plan, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const { plan, changed } = await archivePlan(tx, req.principal, req.params.id);
        if (changed) await audit(tx, req, "plan.archived", plan.id);
        return toPlanObject(plan);
      }),
  );
}
