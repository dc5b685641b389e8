/**
 * OpenAPI 3.1 generated from the route schemas (@fastify/swagger), served at /openapi.json, with an
 * interactive docs page at /docs (Scalar, apiReference.ts: everything served by the API itself, no CDN,
 * fonts, telemetry or hosted proxy; test/browser/apiDocs.test.ts checks it).
 *
 * The document passes `redocly lint` with the recommended rules (redocly.yaml, run by ./scripts/test):
 * every route declares an `operationId` (camelCase verb + resource, e.g. createOrder) and at least one
 * 4xx response, every tag has a description here.
 */
import swagger from "@fastify/swagger";
import type { FastifyInstance } from "fastify";
import type { Config } from "../config.ts";
import { routePermission, sessionReachable } from "../team/routePermissions.ts";
import { registerApiReference } from "./apiReference.ts";

/** Where ./scripts/dev serves the API: the document's server unless PIER_API_PUBLIC_URL is set. */
const LOCAL_API_URL = "http://127.0.0.1:4000";

function servers(publicUrl: string | undefined) {
  return publicUrl
    ? [{ url: publicUrl, description: "This deployment (PIER_API_PUBLIC_URL)" }]
    : [
        {
          url: LOCAL_API_URL,
          description:
            "The local API of ./scripts/dev. A self-hosted deployment names its own URL here once PIER_API_PUBLIC_URL is set.",
        },
      ];
}

export async function registerOpenApi(
  app: FastifyInstance,
  config: Pick<Config, "apiPublicUrl">,
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      servers: servers(config.apiPublicUrl),
      info: {
        title: "Pier API",
        version: "1.0.0",
        license: { name: "MIT", identifier: "MIT" },
        description:
          'Merchant API of Pier, a self-hostable stablecoin payment stack. Authenticate with `Authorization: Bearer sk_test_...`. Every POST accepts `Idempotency-Key`. Errors: `{ "error": { type, code, message, param } }`. Token amounts are strings in the token\'s smallest unit.' +
          "\n\nGuides next to the code, in the repository: one per resource in `api/docs/` (orders.md, refunds.md, events.md, webhook-endpoints.md, keys.md, merchant.md, checkout.md, team.md, admin.md); the escrow contract's per-operation reference in `contracts/docs/PaymentEscrow.md`; the typed client `@pier/client` (`api/client/README.md`: quickstart, webhook recipes) and the developer CLI `pier` (`cli/`).",
      },
      components: {
        securitySchemes: {
          secretKey: {
            type: "http",
            scheme: "bearer",
            description: "A secret or restricted key: sk_test_... / sk_live_...",
          },
          adminKey: {
            type: "http",
            scheme: "bearer",
            description: "PIER_ADMIN_KEY (operator routes under /v1/admin)",
          },
          metricsToken: {
            type: "http",
            scheme: "bearer",
            description: "PIER_METRICS_TOKEN (GET /metrics only)",
          },
          sessionCookie: {
            type: "apiKey",
            in: "cookie",
            name: "pier_session",
            description: "Merchant dashboard session (Sign-In with Ethereum), /v1/dashboard/*",
          },
        },
      },
      security: [{ secretKey: [] }],
      tags: [
        {
          name: "Orders",
          description: "Create orders, follow them from open to settled, cancel or release them early.",
        },
        { name: "Refunds", description: "Full and partial refunds of escrowed or settled orders." },
        { name: "Events", description: "Every state change, stored once, with its webhook deliveries." },
        { name: "Webhook endpoints", description: "Where Pier sends signed events, and their secrets." },
        { name: "API keys", description: "Secret and restricted keys: create, roll, revoke." },
        { name: "Merchant", description: "The merchant the key belongs to." },
        { name: "Checkout", description: "Public, no key." },
        { name: "Payment links", description: "Reusable links from which each payer creates an order." },
        { name: "Networks", description: "The chains and tokens this deployment accepts." },
        { name: "Risk", description: "Risk rules and the review queue of flagged and held payments." },
        { name: "Reconciliation", description: "Mismatches between fiat captures, payments and orders." },
        { name: "Reports", description: "Settlement, reconciliation and daily reports (JSON or CSV)." },
        { name: "Dashboard", description: "The merchant dashboard's sign-in (SIWE, passkeys) and session." },
        { name: "Admin", description: "Guarded by PIER_ADMIN_KEY." },
        { name: "Operations", description: "Liveness, readiness and Prometheus metrics." },
        { name: "FX", description: "Locked currency quotes for fiat payments and payouts." },
        { name: "Fiat", description: "Fiat wallet sessions and their provider webhooks." },
        { name: "Payouts", description: "Merchant withdrawals to a fiat wallet at a quote." },
        { name: "Subscriptions", description: "Plans and subscriptions charged under a spend permission." },
        { name: "Team", description: "Members, roles and invitations (dashboard session only)." },
        { name: "Audit log", description: "Who did what; append-only (dashboard session only)." },
      ],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === "string" ? json.$id : `def-${i}`,
    },
    transform: ({ schema, url, route }) => {
      const auth = (route.config as { auth?: string } | undefined)?.auth;
      if (!schema) return { schema, url };
      // OpenAPI 3.1 lets a non-OAuth requirement list role names: a scoped route names its scope, so
      // clients (and the hardening suite's scope checks) read what each route needs from the document.
      // A route that names its own requirement (GET /metrics) keeps it.
      const security = schema.security
        ? undefined
        : auth === "public"
          ? []
          : auth === "admin"
            ? [{ adminKey: [] }]
            : auth === "session"
              ? [{ sessionCookie: [] }]
              : auth && auth !== "any"
                ? [{ secretKey: [auth] }]
                : undefined;
      // What a dashboard member's role needs here (team/routePermissions.ts), for every route a session reaches.
      const permission =
        auth && sessionReachable(auth)
          ? routePermission([route.method].flat()[0] ?? "GET", url, auth)
          : undefined;
      return {
        schema: {
          ...schema,
          ...(security ? { security } : {}),
          ...(permission ? { "x-pier-permission": permission } : {}),
        },
        url,
      };
    },
  });
  app.get("/openapi.json", { schema: { hide: true }, config: { auth: "public" } }, async () => app.swagger());
  registerApiReference(app);
}
