/**
 * CORS for the hosted checkout only: a browser on one of PIER_CORS_ORIGINS (default: the origin of
 * PIER_CHECKOUT_BASE_URL) may call the public checkout routes. Every other route sends no CORS headers,
 * so no other site's page can read merchant data with a key a browser happens to hold.
 */
import cors from "@fastify/cors";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { AppContext } from "../context.ts";

/**
 * Paths the checkout, link and subscription pages call from the browser (all public: no Authorization
 * header is needed); /v1/checkout/links/ and /v1/checkout/subscriptions/ are their old names.
 */
export const CHECKOUT_PATHS = /^\/v1\/checkout(_links\/|_subscriptions\/|\/|\?|$)/;

export const corsPlugin = fp(
  async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
    const allowed = new Set(ctx.config.corsOrigins);
    await app.register(cors, {
      hook: "onRequest",
      delegator: (request: FastifyRequest, callback) => {
        const origin = request.headers.origin;
        const ok = CHECKOUT_PATHS.test(request.url) && typeof origin === "string" && allowed.has(origin);
        callback(null, {
          origin: ok ? origin : false,
          methods: ["GET", "POST"],
          allowedHeaders: ["Content-Type", "Idempotency-Key"],
          exposedHeaders: ["Request-Id", "Retry-After"],
          credentials: false,
          maxAge: 600,
        });
      },
    });
  },
  { name: "pier-cors" },
);
