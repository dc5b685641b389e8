/**
 * The one list of fiat wallet providers. Adding a provider is one entry here (its config reader and
 * adapter factory) and its own folder; nothing else changes. The active provider comes from the
 * environment:
 *
 *   PIER_FIAT_PROVIDER   sandbox | paypal | stripe     default sandbox
 *   sandbox: PIER_SANDBOX_URL, PIER_SANDBOX_API_KEY, PIER_SANDBOX_WEBHOOK_SECRET
 *   paypal:  PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_BASE_URL, PAYPAL_WEBHOOK_ID
 *   stripe:  STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_HOST, STRIPE_API_PORT, STRIPE_API_PROTOCOL
 *   all:     PIER_FIAT_TIMEOUT_MS (per provider request, default 15000)
 *
 * Only the selected provider's variables are read, and they are validated at boot (ConfigError).
 */
import Type from "typebox";
import { readEnv } from "./env.ts";
import { paypalAdapter } from "./paypal/adapter.ts";
import { readPayPalConfig } from "./paypal/config.ts";
import type { FiatProvider, FiatProviderName } from "./provider.ts";
import { sandboxAdapter } from "./sandbox/adapter.ts";
import { readSandboxConfig } from "./sandbox/config.ts";
import { stripeAdapter } from "./stripe/adapter.ts";
import { readStripeConfig } from "./stripe/config.ts";

export interface ProviderDeps {
  /** Replaces global fetch for the hand-written transports (sandbox, PayPal). */
  fetch?: typeof fetch;
  /** Clock in ms, for webhook time tolerances. */
  now?: () => number;
}

export interface ProviderDefinition<C> {
  name: FiatProviderName;
  readConfig(env: Record<string, string | undefined>): C;
  create(config: C, deps: ProviderDeps): FiatProvider;
}

const define = <C>(d: ProviderDefinition<C>) => d;

export const FIAT_PROVIDERS = [
  define({ name: "sandbox", readConfig: readSandboxConfig, create: (c, d) => sandboxAdapter(c, d) }),
  define({ name: "paypal", readConfig: readPayPalConfig, create: (c, d) => paypalAdapter(c, d) }),
  define({
    name: "stripe",
    readConfig: readStripeConfig,
    create: (c, d) => stripeAdapter(c, { now: d.now }),
  }),
] as const;

export const fiatProviderNames = (): FiatProviderName[] => FIAT_PROVIDERS.map((p) => p.name);

const SelectionSchema = Type.Object({
  PIER_FIAT_PROVIDER: Type.Union(
    FIAT_PROVIDERS.map((p) => Type.Literal(p.name)),
    { default: "sandbox" },
  ),
});

/** The provider the environment selects, configured from the environment. Throws ConfigError. */
export function createFiatProvider(
  env: Record<string, string | undefined> = process.env,
  deps: ProviderDeps = {},
): FiatProvider {
  const { PIER_FIAT_PROVIDER: name } = readEnv(SelectionSchema, env, "fiat provider");
  const definition = FIAT_PROVIDERS.find((p) => p.name === name)! as ProviderDefinition<unknown>;
  return definition.create(definition.readConfig(env), deps);
}
