/**
 * /v1/subscriptions: a customer's subscription to a plan (create, list, retrieve, cancel, its invoices),
 * /v1/invoices (every charge) and /v1/subscriptions/metrics (MRR and churn).
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { audit } from "../../../audit/auditLog.ts";
import type { AppContext } from "../../../context.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { errors, IdempotencyHeaders, IdParams, ListOf } from "../../../schemas/common.ts";
import {
  CancelSubscriptionBody,
  CreateSubscriptionBody,
  Invoice,
  ListInvoicesQuery,
  ListSubscriptionsQuery,
  MetricsQuery,
  Subscription,
  SubscriptionIdPattern,
  SubscriptionMetrics,
} from "../../../schemas/subscription.ts";
import { listAllInvoices, listInvoices, toInvoiceObject } from "../../../subscriptions/invoices.ts";
import { subscriptionMetrics } from "../../../subscriptions/metrics.ts";
import {
  cancelSubscription,
  createSubscription,
  getSubscription,
  listSubscriptions,
  toSubscriptionObject,
} from "../../../subscriptions/subscriptions.ts";

const Params = IdParams(SubscriptionIdPattern, "Subscription id (sub_...)");

export default async function subscriptionRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/v1/subscriptions",
    {
      config: { auth: "orders:write" },
      schema: {
        operationId: "createSubscription",
        tags: ["Subscriptions"],
        summary: "Create a subscription",
        description:
          "Status `incomplete` until the customer signs the spend permission on the hosted page `url`. 404 when the plan is not yours, 409 plan_inactive when it is archived. Event: subscription.created.",
        headers: IdempotencyHeaders,
        body: CreateSubscriptionBody,
        response: { 200: Subscription, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) =>
        toSubscriptionObject(ctx, await createSubscription(ctx, tx, req.principal, req.body)),
      ),
  );

  app.get(
    "/v1/subscriptions",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "listSubscriptions",
        tags: ["Subscriptions"],
        summary: "List subscriptions",
        description: "Newest first; filter by `status` and `plan`.",
        querystring: ListSubscriptionsQuery,
        response: { 200: ListOf(Subscription, "A page of subscriptions"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listSubscriptions(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map((s) => toSubscriptionObject(ctx, s)),
        has_more: page.hasMore,
        url: "/v1/subscriptions",
      };
    },
  );

  app.get(
    "/v1/subscriptions/:id",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "getSubscription",
        tags: ["Subscriptions"],
        summary: "Retrieve a subscription",
        params: Params,
        response: { 200: Subscription, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => toSubscriptionObject(ctx, await getSubscription(ctx.pool, req.principal, req.params.id)),
  );

  app.post(
    "/v1/subscriptions/:id/cancel",
    {
      config: { auth: "orders:write" },
      schema: {
        operationId: "cancelSubscription",
        tags: ["Subscriptions"],
        summary: "Cancel a subscription",
        description:
          "Now (status `canceled`; event subscription.canceled) or with `at_period_end: true` when the current period ends (`cancel_at_period_end`, status unchanged; event subscription.updated). 409 subscription_canceled / subscription_ended when already over; 409 subscription_incomplete for at_period_end before the customer authorized. Pier stops charging; the customer may also revoke the permission on chain.",
        headers: IdempotencyHeaders,
        params: Params,
        body: CancelSubscriptionBody,
        response: { 200: Subscription, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const atPeriodEnd = req.body?.at_period_end ?? false;
        const { subscription, changed } = await cancelSubscription(
          ctx,
          tx,
          req.principal,
          req.params.id,
          atPeriodEnd,
        );
        if (changed)
          await audit(tx, req, "subscription.canceled", subscription.id, {
            at_period_end: atPeriodEnd,
            status: subscription.status,
          });
        return toSubscriptionObject(ctx, subscription);
      }),
  );

  app.get(
    "/v1/subscriptions/:id/invoices",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "listSubscriptionInvoices",
        tags: ["Subscriptions"],
        summary: "List a subscription's invoices",
        description:
          "One invoice per charged cycle, newest first: its order, status (open, failed with next_attempt_at, paid, uncollectible), attempts and the last error.",
        params: Params,
        response: { 200: ListOf(Invoice, "A subscription's invoices"), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => ({
      object: "list" as const,
      data: (await listInvoices(ctx.pool, req.principal, req.params.id)).map(toInvoiceObject),
      has_more: false,
      url: `/v1/subscriptions/${req.params.id}/invoices`,
    }),
  );

  app.get(
    "/v1/invoices",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "listInvoices",
        tags: ["Subscriptions"],
        summary: "List invoices",
        description:
          "Every subscription's invoices, newest first; `status=failed` lists the charges waiting for a retry, `uncollectible` those given up.",
        querystring: ListInvoicesQuery,
        response: { 200: ListOf(Invoice, "A page of invoices"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listAllInvoices(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map(toInvoiceObject),
        has_more: page.hasMore,
        url: "/v1/invoices",
      };
    },
  );

  app.get(
    "/v1/subscriptions/metrics",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "getSubscriptionMetrics",
        tags: ["Subscriptions"],
        summary: "Monthly recurring revenue and churn",
        description:
          "Per calendar month (UTC), oldest first, the last `months` (default 12): paying subscriptions at the month's end, new, churned, churn rate and MRR per currency.",
        querystring: MetricsQuery,
        response: { 200: SubscriptionMetrics, ...errors(400, 401, 403) },
      },
    },
    (req) => subscriptionMetrics(ctx, ctx.pool, req.principal, req.query.months ?? 12),
  );
}
