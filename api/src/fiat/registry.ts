/**
 * The one list of fiat wallet providers. Adding a provider is one entry here (its config reader and
 * adapter factory) and its own folder; nothing else changes. The active provider comes from the API's
 * configuration (config.ts calls selectFiatProvider once at boot):
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
import { readEnv } from "../lib/env.ts";
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

export const FiatSelectionSchema = Type.Object({
  PIER_FIAT_PROVIDER: Type.Optional(
    Type.Union(
      FIAT_PROVIDERS.map((p) => Type.Literal(p.name)),
      {
        description:
          "The fiat wallet provider. Unset: PayPal or Stripe credentials in the environment select that provider, else the local sandbox simulator (off until PIER_SANDBOX_API_KEY is set, as ./scripts/dev does).",
      },
    ),
  ),
});

/** The provider the configuration selects, with its validated settings; or why fiat wallets are off. */
export type FiatSelection =
  | { name: FiatProviderName; settings: unknown; off?: undefined }
  | { name: FiatProviderName; settings?: undefined; off: string };

/**
 * Reads the selection and only the selected provider's variables (ConfigError when they are bad). An
 * explicitly selected provider must be configured; the implicit sandbox without its key is simply off.
 */
export function selectFiatProvider(env: Record<string, string | undefined>): FiatSelection {
  const { PIER_FIAT_PROVIDER: explicit } = readEnv(FiatSelectionSchema, env, "fiat provider");
  const name = fiatProviderNameOf(env);
  if (name === "sandbox" && !explicit && !env.PIER_SANDBOX_API_KEY)
    return { name, off: "no fiat wallet provider is configured (PIER_SANDBOX_API_KEY is unset)" };
  const definition = FIAT_PROVIDERS.find((p) => p.name === name)! as ProviderDefinition<unknown>;
  return { name, settings: definition.readConfig(env) };
}

/** The provider's name the environment selects (PIER_FIAT_PROVIDER, else the credentials present). */
export function fiatProviderNameOf(env: Record<string, string | undefined>): FiatProviderName {
  const { PIER_FIAT_PROVIDER: explicit } = readEnv(FiatSelectionSchema, env, "fiat provider");
  if (explicit) return explicit;
  if (env.PAYPAL_CLIENT_ID || env.PAYPAL_CLIENT_SECRET) return "paypal";
  if (env.STRIPE_SECRET_KEY) return "stripe";
  return "sandbox";
}

/** The adapter of a selection made by selectFiatProvider. */
export function createFiatProvider(
  selection: FiatSelection & { settings: unknown },
  deps: ProviderDeps = {},
): FiatProvider {
  const definition = FIAT_PROVIDERS.find((p) => p.name === selection.name)! as ProviderDefinition<unknown>;
  return definition.create(selection.settings, deps);
}
