/**
 * Token units in a merchant's reporting currency, through api/src/fx (the same rate source as FX
 * quotes, PIER_FX_*): the settlement token is worth one unit of its peg (PIER_FX_TOKEN_PEG), crossed
 * to the reporting currency at the source's current rate, rounded half up to the currency's minor unit.
 */

import { minorUnits } from "@pier/money/currencies";
import { divRound, formatRatio } from "@pier/money/rational";
import { formatMinorUnits } from "@pier/money/units";
import type { AppContext } from "../context.ts";
import { createRateSource, type FxConfig, loadFxConfig } from "../fx/config.ts";
import { type CrossRate, crossRate, type RateSource } from "../fx/rateSource.ts";

const sources = new WeakMap<AppContext, { config: FxConfig; source: RateSource }>();

function fxOf(ctx: AppContext) {
  let fx = sources.get(ctx);
  if (!fx) {
    const config = loadFxConfig(process.env);
    fx = { config, source: createRateSource(config) };
    sources.set(ctx, fx);
  }
  return fx;
}

export interface Converter {
  currency: string;
  rate: string;
  rateAsOf: number;
  convert(units: bigint): string;
}

export async function reportingConverter(ctx: AppContext, currency: string): Promise<Converter> {
  const fx = fxOf(ctx);
  const rate: CrossRate =
    currency === fx.config.token.peggedTo
      ? { rate: { num: 1n, den: 1n }, asOf: new Date(), source: "peg" }
      : crossRate(await fx.source.snapshot(), fx.config.token.peggedTo, currency, "currency");
  const decimals = BigInt(ctx.chain.token.decimals);
  const minor = 10n ** BigInt(minorUnits(currency));
  return {
    currency,
    rate: formatRatio(rate.rate, 8, "half_even"),
    rateAsOf: Math.floor(rate.asOf.getTime() / 1000),
    convert: (units) =>
      formatMinorUnits(
        divRound(units * rate.rate.num * minor, 10n ** decimals * rate.rate.den, "half_up"),
        currency,
      ),
  };
}
