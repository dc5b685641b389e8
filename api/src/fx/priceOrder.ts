/**
 * Orders priced in money rather than token units: a merchant gives `fiat_amount` + `fiat_currency`
 * (EUR, JPY, any currency the rate source quotes) and the order asks for the token amount worth it at
 * the mid rate, rounded half up to the token's smallest unit. The rate is locked into the order (its
 * terms are signed for that amount) and stored with it, so reports value the sale at its own rate. Same
 * rate source, staleness rule and errors as fiat-checkout quotes (quoteService.ts).
 *
 * Also the rate a sale is reported at: units of the merchant's reporting currency per 1 unit of the
 * token's peg, taken from the same snapshot when the order is created (reports/settlementReport.ts).
 */
import { assertPayableCurrency, minorUnits } from "@pier/money/currencies";
import { divRound, formatRatio, ratio } from "@pier/money/rational";
import { parseMinorUnits } from "@pier/money/units";
import { InvalidAmountError, StaleRateError } from "./errors.ts";
import type { FxDeps } from "./quoteService.ts";
import { type CrossRate, crossRate, type RateSnapshot } from "./rateSource.ts";

/** Rates are stored and shown with this many decimals (exact enough for any currency pair). */
export const RATE_PLACES = 12;

/** The token an order is priced in (default: the fx settings' settlement token). */
export interface PricedToken {
  decimals: number;
  peggedTo: string;
}

export interface OrderPrice {
  units: bigint;
  /** Whole tokens per 1 unit of the currency, as used. */
  rate: string;
  rateAsOf: Date;
  rateSource: string;
}

/** The token amount of `amount` `currency` at the current mid rate; refuses stale rates and extra digits. */
export async function priceInTokens(
  fx: FxDeps,
  currency: string,
  amount: string,
  now: Date = fx.now?.() ?? new Date(),
  token: PricedToken = fx.config.token,
): Promise<OrderPrice> {
  assertPayableCurrency(currency, "fiat_currency");
  const minor = parseMinorUnits(amount, currency, "fiat_amount");
  if (minor === 0n) throw new InvalidAmountError("fiat_amount must be greater than zero", "fiat_amount");
  const peg = token.peggedTo;
  const rate =
    currency === peg
      ? par(now)
      : fresh(fx, await fx.source.snapshot(), currency, peg, now, "fiat_currency", peg);
  const units = divRound(
    minor * rate.rate.num * 10n ** BigInt(token.decimals),
    rate.rate.den * 10n ** BigInt(minorUnits(currency)),
    "half_up",
  );
  return {
    units,
    rate: formatRatio(rate.rate, RATE_PLACES, "half_even"),
    rateAsOf: rate.asOf,
    rateSource: rate.source,
  };
}

/** Units of `currency` per 1 unit of the token's peg, now (the reporting rate of a sale made now). */
export async function pegRateTo(
  fx: FxDeps,
  currency: string,
  now: Date = fx.now?.() ?? new Date(),
  peg: string = fx.config.token.peggedTo,
): Promise<CrossRate> {
  return currency === peg
    ? par(now)
    : fresh(fx, await fx.source.snapshot(), peg, currency, now, "currency", peg);
}

function par(now: Date): CrossRate {
  return { rate: ratio(1n), asOf: now, source: "peg" };
}

function fresh(
  fx: FxDeps,
  snapshot: RateSnapshot,
  from: string,
  to: string,
  now: Date,
  param: string,
  peg: string,
): CrossRate {
  const rate = crossRate(snapshot, from, to, param);
  const ageSeconds = (now.getTime() - rate.asOf.getTime()) / 1000;
  if (ageSeconds > fx.config.maxRateAgeSeconds)
    throw new StaleRateError(from === peg ? to : from, rate.asOf, fx.config.maxRateAgeSeconds);
  return rate;
}
