/**
 * The Stripe adapter's environment. STRIPE_API_HOST/PORT/PROTOCOL point the official SDK elsewhere
 * (a local emulator, stripe-mock, a proxy); unset, it talks to api.stripe.com over https.
 */
import Type from "typebox";
import { readEnv } from "../../lib/env.ts";

export const StripeEnvSchema = Type.Object({
  STRIPE_SECRET_KEY: Type.String({
    pattern: "^(sk|rk)_(test|live)_[A-Za-z0-9_]+$",
    description: "Secret (or restricted) key of your Stripe account.",
  }),
  STRIPE_WEBHOOK_SECRET: Type.String({
    pattern: "^whsec_[A-Za-z0-9_]+$",
    description: "Signing secret of the webhook endpoint Stripe calls.",
  }),
  STRIPE_API_HOST: Type.Optional(
    Type.String({
      minLength: 1,
      description: "Another Stripe API host (an emulator, a proxy). Unset: api.stripe.com.",
    }),
  ),
  STRIPE_API_PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: "Its port." })),
  STRIPE_API_PROTOCOL: Type.Optional(
    Type.Union([Type.Literal("http"), Type.Literal("https")], { description: "Its protocol. Unset: https." }),
  ),
  PIER_FIAT_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    default: 15_000,
    description: "Timeout of each request to the fiat provider (ms).",
  }),
});

export interface StripeConfig {
  secretKey: string;
  webhookSecret: string;
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  timeoutMs: number;
  /** SDK retries on network errors, 409 and 5xx (same Idempotency-Key); default 1. */
  maxNetworkRetries?: number;
  /** Webhook timestamp tolerance; the SDK's 300 s unless set. */
  toleranceSeconds?: number;
}

export function readStripeConfig(env: Record<string, string | undefined>): StripeConfig {
  const e = readEnv(StripeEnvSchema, env, "Stripe");
  return {
    secretKey: e.STRIPE_SECRET_KEY,
    webhookSecret: e.STRIPE_WEBHOOK_SECRET,
    host: e.STRIPE_API_HOST,
    port: e.STRIPE_API_PORT,
    protocol: e.STRIPE_API_PROTOCOL,
    timeoutMs: e.PIER_FIAT_TIMEOUT_MS,
  };
}
