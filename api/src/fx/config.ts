/**
 * FX configuration from the environment, validated once (TypeBox + Ajv, like ../config.ts), and the
 * rate source it selects. Variables (all optional):
 *
 *   PIER_FX_SOURCE                sandbox | file | ecb             default sandbox (refused in live mode)
 *   PIER_FX_RATES_FILE            path of the JSON rates file     required with PIER_FX_SOURCE=file
 *   PIER_FX_ECB_URL               eurofxref XML URL               default the ECB daily file
 *   PIER_FX_REFRESH_SECONDS       cache of the source's snapshot  default 3600
 *   PIER_FX_SPREAD_BPS            spread fee in basis points      default 50
 *   PIER_FX_QUOTE_TTL_SECONDS     how long a quote stays locked   default 900
 *   PIER_FX_MAX_RATE_AGE_SECONDS  older rates are refused         default 345600 (4 days: ECB weekends
 *                                                                 and a holiday)
 *   PIER_FX_TOKEN_SYMBOL / PIER_FX_TOKEN_DECIMALS / PIER_FX_TOKEN_PEG   default tUSDC / 6 / USD
 */
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import Type, { type Static } from "typebox";
import { ConfigError } from "../config.ts";
import { cachedRateSource } from "./cachedRateSource.ts";
import { ECB_DAILY_URL, ecbRateSource } from "./ecbRateSource.ts";
import { fileRateSource } from "./fileRateSource.ts";
import type { SettlementToken } from "./quote.ts";
import type { RateSource } from "./rateSource.ts";
import { sandboxRateSource } from "./sandboxRateSource.ts";

/** The sandbox source's illustrative rates (stamped as current on every read: sandboxRateSource.ts). */
export const SANDBOX_RATES_FILE = fileURLToPath(new URL("./rates.sandbox.json", import.meta.url));

const Int = (min: number, max: number, dflt: number) =>
  Type.Integer({ minimum: min, maximum: max, default: dflt });

export const FxEnvSchema = Type.Object({
  PIER_FX_SOURCE: Type.Union([Type.Literal("sandbox"), Type.Literal("file"), Type.Literal("ecb")], {
    default: "sandbox",
  }),
  PIER_FX_RATES_FILE: Type.Optional(Type.String({ minLength: 1 })),
  PIER_FX_ECB_URL: Type.String({ pattern: "^https?://", default: ECB_DAILY_URL }),
  PIER_FX_REFRESH_SECONDS: Int(1, 86_400, 3_600),
  PIER_FX_SPREAD_BPS: Int(0, 5_000, 50),
  PIER_FX_QUOTE_TTL_SECONDS: Int(10, 86_400, 900),
  PIER_FX_MAX_RATE_AGE_SECONDS: Int(60, 366 * 86_400, 4 * 86_400),
  PIER_FX_TOKEN_SYMBOL: Type.String({ pattern: "^[A-Za-z0-9.]{1,16}$", default: "tUSDC" }),
  PIER_FX_TOKEN_DECIMALS: Int(0, 36, 6),
  PIER_FX_TOKEN_PEG: Type.String({ pattern: "^[A-Z]{3}$", default: "USD" }),
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
  token: SettlementToken;
}

const validate = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, strict: false }).compile<
  Static<typeof FxEnvSchema>
>(FxEnvSchema);

export function loadFxConfig(source: Record<string, string | undefined> = process.env): FxConfig {
  const env: Record<string, unknown> = {};
  for (const key of Object.keys(FxEnvSchema.properties)) {
    const value = source[key];
    if (value !== undefined && value !== "") env[key] = value;
  }
  if (!validate(env)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath.replace(/^\//, "")}: ${e.message}`);
    throw new ConfigError(`invalid FX configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = env as Static<typeof FxEnvSchema>;
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
    token: {
      symbol: e.PIER_FX_TOKEN_SYMBOL,
      decimals: e.PIER_FX_TOKEN_DECIMALS,
      peggedTo: e.PIER_FX_TOKEN_PEG,
    },
  };
}

/**
 * The registry of rate sources: one entry per source name. `sandbox` is for test mode only (the rates are
 * illustrative and always current); `file` and `ecb` carry real as-of times and go stale.
 */
const SOURCES: Record<FxConfig["source"], (config: FxConfig) => RateSource> = {
  sandbox: () => sandboxRateSource(SANDBOX_RATES_FILE),
  file: (c) => fileRateSource(c.ratesFile!),
  ecb: (c) => cachedRateSource(ecbRateSource({ url: c.ecbUrl }), c.refreshSeconds * 1000),
};

export function createRateSource(config: FxConfig): RateSource {
  return SOURCES[config.source](config);
}
