/**
 * The fiat bridge's and FX's long-lived parts, built once by the composition root (bootstrap.ts): the
 * quote service over the configured rate source and Postgres, and the selected wallet provider (or why
 * fiat wallets are off). The sandbox without its key (set by ./scripts/dev) leaves fiat off: fiat routes
 * answer 503 `fiat_unavailable` instead of the API refusing to boot; an explicitly selected provider
 * with bad variables is a ConfigError at boot (config.ts).
 */
import type pg from "pg";
import type { ChainContext } from "../chain/chainContext.ts";
import type { Config } from "../config.ts";
import type { AppContext } from "../context.ts";
import { UnavailableError } from "../errors.ts";
import type { FiatProvider } from "../fiat/provider.ts";
import { createFiatProvider, type ProviderDeps } from "../fiat/registry.ts";
import { createRateSource } from "../fx/config.ts";
import { pgQuoteStore } from "../fx/pgQuoteStore.ts";
import type { FxDeps } from "../fx/quoteService.ts";
import { ConfigError } from "../lib/env.ts";

/** The quote service: the configured rate source, quotes in Postgres, the chain's settlement token. */
export function createFx(
  config: Config,
  chain: Pick<ChainContext, "livemode" | "token">,
  pool: pg.Pool,
): FxDeps {
  // Sandbox rates are illustrative and always "current": quoting real money with them would be wrong.
  if (chain.livemode && config.fx.source === "sandbox")
    throw new ConfigError(
      "PIER_FX_SOURCE=sandbox (the default) serves illustrative test-mode rates and is refused in live mode: set PIER_FX_SOURCE=ecb, or file with PIER_FX_RATES_FILE",
    );
  return {
    config: {
      spreadBps: config.fx.spreadBps,
      quoteTtlSeconds: config.fx.quoteTtlSeconds,
      maxRateAgeSeconds: config.fx.maxRateAgeSeconds,
      token: { symbol: chain.token.symbol, decimals: chain.token.decimals, peggedTo: chain.token.peg },
    },
    source: createRateSource(config.fx),
    store: pgQuoteStore(pool),
  };
}

/** The configured wallet provider, or why fiat wallets are off (no provider, or no treasury on this chain). */
export function createFiat(
  config: Config,
  chain: Pick<ChainContext, "signers">,
  deps: ProviderDeps = {},
): AppContext["fiat"] {
  const selection = config.fiat;
  if (selection.off !== undefined) return { reason: selection.off };
  if (!chain.signers.treasury || !chain.signers.bridge)
    return { reason: "the fiat bridge needs PIER_TREASURY_KEY and PIER_BRIDGE_ADDRESS on this chain" };
  return { provider: createFiatProvider(selection, deps) };
}

/** The configured provider, or 503 `fiat_unavailable` with the reason. */
export function requireProvider(ctx: AppContext): FiatProvider {
  if (!ctx.fiat.provider)
    throw new UnavailableError("fiat_unavailable", `Fiat wallets are unavailable: ${ctx.fiat.reason}`);
  return ctx.fiat.provider;
}
