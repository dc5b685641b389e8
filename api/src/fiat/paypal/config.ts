/** The PayPal adapter's environment. The base URL defaults to PayPal's sandbox: live is opt-in. */
import Type from "typebox";
import { readEnv } from "../../lib/env.ts";

export const PayPalEnvSchema = Type.Object({
  PAYPAL_CLIENT_ID: Type.String({ minLength: 1, description: "OAuth2 client id of your PayPal REST app." }),
  PAYPAL_CLIENT_SECRET: Type.String({ minLength: 1, description: "Its client secret." }),
  PAYPAL_BASE_URL: Type.String({
    pattern: "^https?://",
    default: "https://api-m.sandbox.paypal.com",
    description: "PayPal's API: the sandbox unless you set the live one.",
  }),
  PAYPAL_WEBHOOK_ID: Type.String({ pattern: "^[A-Za-z0-9]+$", description: "Id of our webhook at PayPal." }),
  PIER_FIAT_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    default: 15_000,
    description: "Timeout of each request to the fiat provider (ms).",
  }),
});

export interface PayPalConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  webhookId: string;
  timeoutMs: number;
  /** Max age of a webhook's PAYPAL-TRANSMISSION-TIME; 300 s unless set. */
  toleranceSeconds?: number;
}

export function readPayPalConfig(env: Record<string, string | undefined>): PayPalConfig {
  const e = readEnv(PayPalEnvSchema, env, "PayPal");
  return {
    baseUrl: e.PAYPAL_BASE_URL.replace(/\/+$/, ""),
    clientId: e.PAYPAL_CLIENT_ID,
    clientSecret: e.PAYPAL_CLIENT_SECRET,
    webhookId: e.PAYPAL_WEBHOOK_ID,
    timeoutMs: e.PIER_FIAT_TIMEOUT_MS,
  };
}
