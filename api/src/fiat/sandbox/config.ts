/** The sandbox wallet adapter's environment. The simulator (main.ts) reads the same variables. */
import Type from "typebox";
import { readEnv } from "../../lib/env.ts";

export const SandboxEnvSchema = Type.Object({
  PIER_SANDBOX_URL: Type.String({
    pattern: "^https?://",
    default: "http://127.0.0.1:4010",
    description: "The sandbox wallet simulator (./scripts/dev starts it).",
  }),
  PIER_SANDBOX_API_KEY: Type.String({ minLength: 16, description: "Bearer key the simulator expects." }),
  PIER_SANDBOX_WEBHOOK_SECRET: Type.String({ minLength: 16, description: "HMAC secret of its webhooks." }),
  PIER_FIAT_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    default: 15_000,
    description: "Timeout of each request to the fiat provider (ms).",
  }),
});

export interface SandboxConfig {
  baseUrl: string;
  apiKey: string;
  webhookSecret: string;
  timeoutMs: number;
  /** Webhook timestamp tolerance; 300 s like Pier's own webhooks. */
  toleranceSeconds?: number;
}

export function readSandboxConfig(env: Record<string, string | undefined>): SandboxConfig {
  const e = readEnv(SandboxEnvSchema, env, "sandbox wallet");
  return {
    baseUrl: e.PIER_SANDBOX_URL.replace(/\/+$/, ""),
    apiKey: e.PIER_SANDBOX_API_KEY,
    webhookSecret: e.PIER_SANDBOX_WEBHOOK_SECRET,
    timeoutMs: e.PIER_FIAT_TIMEOUT_MS,
  };
}
