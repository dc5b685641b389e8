/**
 * The Pier API as a Fastify plugin: validation, errors, auth, rate limits, OpenAPI and every route.
 * server.ts (the only file that listens) and the tests register it on their own Fastify instance.
 */
import fastifyCookie from "@fastify/cookie";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { takeRandomBytes } from "./lib/ids.ts";
import { parseQuerystring } from "./lib/querystring.ts";
import { auth } from "./plugins/auth.ts";
import { corsPlugin } from "./plugins/cors.ts";
import { errorHandler } from "./plugins/errorHandler.ts";
import { lazySerializers, lazyValidator } from "./plugins/lazyCompilers.ts";
import { legacyPaths } from "./plugins/legacyPaths.ts";
import { nulBytes } from "./plugins/nulBytes.ts";
import { observability } from "./plugins/observability.ts";
import { registerOpenApi } from "./plugins/openapi.ts";
import { clientErrorHandler, frameworkErrors } from "./plugins/protocolErrors.ts";
import { rateLimit } from "./plugins/rateLimit.ts";
import fiatWebhookRoutes from "./routes/fiat-webhooks/index.ts";
import healthRoutes from "./routes/health.ts";
import metricsRoutes from "./routes/metrics.ts";
import adminRoutes from "./routes/v1/admin/index.ts";
import auditRoutes from "./routes/v1/audit/index.ts";
import checkoutRoutes from "./routes/v1/checkout/index.ts";
import checkoutLinkRoutes from "./routes/v1/checkout/links.ts";
import checkoutSubscriptionRoutes from "./routes/v1/checkout/subscriptions.ts";
import dashboardRoutes from "./routes/v1/dashboard/index.ts";
import signInLinkRoutes from "./routes/v1/dashboard/signInLinks.ts";
import eventRoutes from "./routes/v1/events/index.ts";
import checkoutFiatRoutes from "./routes/v1/fiat/index.ts";
import merchantFiatRoutes from "./routes/v1/fiat/merchant.ts";
import fxRoutes from "./routes/v1/fx/index.ts";
import keyRoutes from "./routes/v1/keys/index.ts";
import linkRoutes from "./routes/v1/links/index.ts";
import merchantRoutes from "./routes/v1/merchant/index.ts";
import networkRoutes from "./routes/v1/networks/index.ts";
import orderRoutes from "./routes/v1/orders/index.ts";
import payoutRoutes from "./routes/v1/payouts/index.ts";
import planRoutes from "./routes/v1/plans/index.ts";
import reconciliationRoutes from "./routes/v1/reconciliation/index.ts";
import refundRoutes from "./routes/v1/refunds/index.ts";
import dailyReportRoutes from "./routes/v1/reports/daily.ts";
import reportRoutes from "./routes/v1/reports/index.ts";
import riskRoutes from "./routes/v1/risk/index.ts";
import subscriptionRoutes from "./routes/v1/subscriptions/index.ts";
import teamRoutes from "./routes/v1/team/index.ts";
import webhookEndpointRoutes from "./routes/v1/webhook-endpoints/index.ts";
import { ErrorResponse } from "./schemas/common.ts";
import { Order } from "./schemas/order.ts";

/** Options of the Fastify instance that hosts the app (logger, request ids, query parsing). */
export function fastifyOptions(config: Pick<Config, "logLevel">): FastifyServerOptions {
  return {
    logger: {
      level: config.logLevel,
      redact: { paths: ["req.headers.authorization"], censor: "[redacted]" },
    },
    genReqId: () => `req_${takeRandomBytes(12).toString("hex")}`,
    requestIdHeader: false,
    // Request log lines carry `requestId` (the Request-Id header's value) rather than Fastify's `reqId`.
    logController: new LogController({ requestIdLogLabel: "requestId" }),
    routerOptions: { querystringParser: parseQuerystring },
    bodyLimit: 256 * 1024,
    trustProxy: false,
    // Errors raised before Fastify's hooks run get the API's error shape and a Request-Id too.
    frameworkErrors,
    clientErrorHandler,
    schemaController: { compilersFactory: { buildSerializer: lazySerializers } },
  };
}

/**
 * Bodies are validated strictly (no type coercion: a token amount sent as a JSON number is refused, it
 * may already have lost precision); query strings, path parameters and headers are text and coerced.
 */
function validators() {
  const base = { allErrors: false, strict: false, removeAdditional: false, useDefaults: true } as const;
  const body = new Ajv({ ...base, coerceTypes: false });
  const text = new Ajv({ ...base, coerceTypes: "array" });
  addFormats.default(body);
  addFormats.default(text);
  return { body, text };
}

export default async function pierApp(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { body, text } = validators();
  app.setValidatorCompiler(({ schema, httpPart }) =>
    lazyValidator(httpPart === "body" ? body : text, schema),
  );
  // The API speaks JSON only: any other body is a 415, not a string that fails validation later.
  app.removeContentTypeParser("text/plain");
  app.addSchema(ErrorResponse);
  app.addSchema(Order);

  await app.register(errorHandler, { token: ctx.networks.default.token });
  await app.register(observability, { ctx });
  await app.register(corsPlugin, { ctx });
  await app.register(rateLimit, { ctx });
  // Only the dashboard session uses cookies (unsigned: the value is a random token looked up hashed).
  await app.register(fastifyCookie);
  await app.register(auth, { ctx });
  await app.register(nulBytes);
  await registerOpenApi(app, ctx.config);
  await app.register(legacyPaths);

  await app.register(healthRoutes, { ctx });
  await app.register(metricsRoutes, { ctx });
  await app.register(orderRoutes, { ctx });
  await app.register(refundRoutes, { ctx });
  await app.register(keyRoutes, { ctx });
  await app.register(webhookEndpointRoutes, { ctx });
  await app.register(eventRoutes, { ctx });
  await app.register(checkoutRoutes, { ctx });
  await app.register(merchantRoutes, { ctx });
  await app.register(adminRoutes, { ctx });
  await app.register(riskRoutes, { ctx });
  await app.register(reconciliationRoutes, { ctx });
  await app.register(reportRoutes, { ctx });
  await app.register(linkRoutes, { ctx });
  await app.register(checkoutLinkRoutes, { ctx });
  await app.register(dashboardRoutes, { ctx });
  await app.register(signInLinkRoutes, { ctx });
  await app.register(dailyReportRoutes, { ctx });
  await app.register(fxRoutes, { ctx });
  await app.register(networkRoutes, { ctx });
  await app.register(checkoutFiatRoutes, { ctx });
  await app.register(merchantFiatRoutes, { ctx });
  await app.register(fiatWebhookRoutes, { ctx });
  await app.register(payoutRoutes, { ctx });
  await app.register(planRoutes, { ctx });
  await app.register(subscriptionRoutes, { ctx });
  await app.register(checkoutSubscriptionRoutes, { ctx });
  await app.register(teamRoutes, { ctx });
  await app.register(auditRoutes, { ctx });
}
