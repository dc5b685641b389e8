/**
 * Rate limits per API key (per client IP for unauthenticated calls): PIER_RATE_LIMIT_MAX requests per
 * PIER_RATE_LIMIT_WINDOW_MS, answered with 429, Retry-After and the usual error shape. Health, readiness
 * and metrics are exempt.
 */
import rateLimitPlugin from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { AppContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import { hashSecret } from "../keys/apiKeys.ts";

const EXEMPT = new Set(["/healthz", "/readyz", "/metrics"]);

export const rateLimit = fp(
  async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
    await app.register(rateLimitPlugin, {
      global: true,
      max: ctx.config.rateLimit.max,
      timeWindow: ctx.config.rateLimit.windowMs,
      hook: "onRequest",
      allowList: (request) => EXEMPT.has(request.routeOptions.url ?? ""),
      keyGenerator: (request) => {
        const header = request.headers.authorization;
        return header ? `key:${hashSecret(header)}` : `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, context) => {
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
        return new ApiError(
          429,
          "rate_limit_error",
          "rate_limited",
          `Too many requests: retry in ${seconds} s`,
          {
            headers: { "retry-after": String(seconds) },
          },
        );
      },
    });
  },
  { name: "pier-rate-limit" },
);
