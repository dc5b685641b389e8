/**
 * The fiat bridge's dependencies, built once per AppContext (boot calls `loadFiat`): the selected wallet
 * provider and the FX quote service over Postgres. Provider selection (registry.ts) with one convenience:
 * when PIER_FIAT_PROVIDER is unset, PayPal or Stripe credentials in the environment select that
 * provider, else the sandbox. The sandbox without its key and secret (set by ./scripts/dev) leaves fiat
 * off: fiat routes answer 503 `fiat_unavailable` instead of the API refusing to boot. An explicitly
 * selected provider with bad variables is a ConfigError at boot.
 */
import { ConfigError } from "../config.ts";
import type { AppContext } from "../context.ts";
import { UnavailableError } from "../errors.ts";
import type { FiatProvider } from "../fiat/provider.ts";
import { createFiatProvider, type ProviderDeps } from "../fiat/registry.ts";
import { createRateSource, loadFxConfig } from "../fx/config.ts";
import { pgQuoteStore } from "../fx/pgQuoteStore.ts";
import type { FxDeps } from "../fx/quoteService.ts";

export interface Fiat {
  /** Undefined when no provider is configured (see `reason`). */
  provider?: FiatProvider;
  reason?: string;
  fx: FxDeps;
}

const cache = new WeakMap<AppContext, Fiat>();

export function selectedProviderName(env: Record<string, string | undefined>): string {
  if (env.PIER_FIAT_PROVIDER) return env.PIER_FIAT_PROVIDER;
  if (env.PAYPAL_CLIENT_ID || env.PAYPAL_CLIENT_SECRET) return "paypal";
  if (env.STRIPE_SECRET_KEY) return "stripe";
  return "sandbox";
}

export function loadFiat(
  ctx: AppContext,
  env: Record<string, string | undefined> = process.env,
  deps: ProviderDeps = {},
): Fiat {
  const existing = cache.get(ctx);
  if (existing) return existing;
  const fxConfig = loadFxConfig(env);
  // Sandbox rates are illustrative and always "current": quoting real money with them would be wrong.
  if (ctx.chain.livemode && fxConfig.source === "sandbox")
    throw new ConfigError(
      "PIER_FX_SOURCE=sandbox (the default) serves illustrative test-mode rates and is refused in live mode: set PIER_FX_SOURCE=ecb, or file with PIER_FX_RATES_FILE",
    );
  const fx: FxDeps = { config: fxConfig, source: createRateSource(fxConfig), store: pgQuoteStore(ctx.pool) };
  const name = selectedProviderName(env);
  let fiat: Fiat;
  if (name === "sandbox" && !env.PIER_FIAT_PROVIDER && !env.PIER_SANDBOX_API_KEY) {
    fiat = { fx, reason: "no fiat wallet provider is configured (PIER_SANDBOX_API_KEY is unset)" };
  } else if (!ctx.chain.signers.treasury || !ctx.chain.signers.bridge) {
    fiat = { fx, reason: "the fiat bridge needs PIER_TREASURY_KEY and PIER_BRIDGE_ADDRESS on this chain" };
  } else {
    fiat = { fx, provider: createFiatProvider({ ...env, PIER_FIAT_PROVIDER: name }, deps) };
  }
  if (fiat.reason) ctx.log.info({ reason: fiat.reason }, "fiat wallets disabled");
  else ctx.log.info({ provider: fiat.provider?.name }, "fiat wallets enabled");
  cache.set(ctx, fiat);
  return fiat;
}

/** The configured provider, or 503 `fiat_unavailable` with the reason. */
export function requireProvider(ctx: AppContext): FiatProvider {
  const fiat = loadFiat(ctx);
  if (!fiat.provider)
    throw new UnavailableError("fiat_unavailable", `Fiat wallets are unavailable: ${fiat.reason}`);
  return fiat.provider;
}

export function fxOf(ctx: AppContext): FxDeps {
  return loadFiat(ctx).fx;
}
