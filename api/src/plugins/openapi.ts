/**
 * OpenAPI 3.1 generated from the route schemas (@fastify/swagger), served at /openapi.json, with an
 * interactive docs page at /docs (Scalar, its script served locally: no CDN).
 */
import swagger from "@fastify/swagger";
import scalar from "@scalar/fastify-api-reference";
import type { FastifyInstance } from "fastify";
import { routePermission, sessionReachable } from "../team/routePermissions.ts";

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Pier API",
        version: "1.0.0",
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
        { name: "Orders" },
        { name: "Refunds" },
        { name: "Events" },
        { name: "Webhook endpoints" },
        { name: "API keys" },
        { name: "Merchant" },
        { name: "Checkout", description: "Public, no key." },
        { name: "Admin", description: "Guarded by PIER_ADMIN_KEY." },
        { name: "Operations" },
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
      const security =
        auth === "public"
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
  await app.register(scalar, { routePrefix: "/docs", configuration: { title: "Pier API" } });
}
