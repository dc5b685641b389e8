/**
 * FX settings (a part of the API's one configuration: config.ts composes this schema) and the rate
 * source they select. The settlement token's symbol and decimals come from the chain and its peg from
 * PIER_TOKEN_PEG (config.ts): bootstrap.ts builds the quote service with them.
 */
import { fileURLToPath } from "node:url";
import Type from "typebox";
import { ConfigError, readEnv } from "../lib/env.ts";
import { cachedRateSource } from "./cachedRateSource.ts";
import { ECB_DAILY_URL, ecbRateSource } from "./ecbRateSource.ts";
import { fileRateSource } from "./fileRateSource.ts";
import type { RateSource } from "./rateSource.ts";
import { sandboxRateSource } from "./sandboxRateSource.ts";

/** The sandbox source's illustrative rates (stamped as current on every read: sandboxRateSource.ts). */
export const SANDBOX_RATES_FILE = fileURLToPath(new URL("./rates.sandbox.json", import.meta.url));

const Int = (min: number, max: number, dflt: number, description: string) =>
  Type.Integer({ minimum: min, maximum: max, default: dflt, description });

export const FxEnvSchema = Type.Object({
  PIER_FX_SOURCE: Type.Union([Type.Literal("sandbox"), Type.Literal("file"), Type.Literal("ecb")], {
    default: "sandbox",
    description:
      "Where FX rates come from: `sandbox` (illustrative rates stamped as current; test mode only, refused in live mode), `file` (PIER_FX_RATES_FILE, each rate with its as-of time) or `ecb` (the ECB's daily reference rates).",
  }),
  PIER_FX_RATES_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Required with PIER_FX_SOURCE=file: `{"base":"USD","rates":{"EUR":{"rate":"0.86","asOf":"<ISO 8601>"}}}`, re-read on every quote.',
    }),
  ),
  PIER_FX_ECB_URL: Type.String({
    pattern: "^https?://",
    default: ECB_DAILY_URL,
    description: "The ECB eurofxref daily XML (PIER_FX_SOURCE=ecb).",
  }),
  PIER_FX_REFRESH_SECONDS: Int(1, 86_400, 3_600, "How long the ECB snapshot is cached."),
  PIER_FX_SPREAD_BPS: Int(0, 5_000, 50, "Spread fee of a fiat checkout's quote, in basis points."),
  PIER_FX_QUOTE_TTL_SECONDS: Int(10, 86_400, 900, "How long a quote's rate stays locked."),
  PIER_FX_MAX_RATE_AGE_SECONDS: Int(
    60,
    366 * 86_400,
    4 * 86_400,
    "Rates older than this are refused (fx_rate_stale); 4 days covers ECB weekends and a holiday.",
  ),
});

export interface FxConfig {
  source: "sandbox" | "file" | "ecb";
  /** The file source's rates file (set when source is `file`). */
  ratesFile?: string;
  ecbUrl: string;
  refreshSeconds: number;
  spreadBps: number;
  quoteTtlSeconds: number;
  maxRateAgeSeconds: number;
}

export function loadFxConfig(source: Record<string, string | undefined>): FxConfig {
  const e = readEnv(FxEnvSchema, source, "FX");
  if (e.PIER_FX_SOURCE === "file" && !e.PIER_FX_RATES_FILE)
    throw new ConfigError(
      "invalid FX configuration:\n  PIER_FX_RATES_FILE is required with PIER_FX_SOURCE=file",
    );
  return {
    source: e.PIER_FX_SOURCE,
    ratesFile: e.PIER_FX_RATES_FILE,
    ecbUrl: e.PIER_FX_ECB_URL,
    refreshSeconds: e.PIER_FX_REFRESH_SECONDS,
    spreadBps: e.PIER_FX_SPREAD_BPS,
    quoteTtlSeconds: e.PIER_FX_QUOTE_TTL_SECONDS,
    maxRateAgeSeconds: e.PIER_FX_MAX_RATE_AGE_SECONDS,
  };
}

const FILE_CACHE_MS = 1_000;

/**
 * The registry of rate sources: one entry per source name. `sandbox` is for test mode only (the rates are
 * illustrative and always current); `file` and `ecb` carry real as-of times and go stale.
 */
const SOURCES: Record<FxConfig["source"], (config: FxConfig) => RateSource> = {
  // Files are read at most once a second: orders read a rate on every create (their reporting rate).
  sandbox: () => cachedRateSource(sandboxRateSource(SANDBOX_RATES_FILE), FILE_CACHE_MS),
  file: (c) => cachedRateSource(fileRateSource(c.ratesFile!), FILE_CACHE_MS),
  ecb: (c) => cachedRateSource(ecbRateSource({ url: c.ecbUrl }), c.refreshSeconds * 1000),
};

export function createRateSource(config: FxConfig): RateSource {
  return SOURCES[config.source](config);
}
