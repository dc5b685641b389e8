/**
 * Token units in a reporting currency, exactly (bigint, rounded half up to the currency's minor unit):
 *
 * - at the sale's own rate: a fiat-priced order in its own currency is worth its fiat amount (refunds
 *   and fees in proportion); any other order at the rate stored when it was made, when it was made in
 *   this reporting currency (orders.report_rate, fx/priceOrder.ts);
 * - else at the rate source's current rate (the token is worth one unit of its peg, crossed to the
 *   currency), for orders made before rates were stored or reported in another currency.
 */

import { minorUnits } from "@pier/money/currencies";
import { divRound, formatRatio, parseRatio, type Ratio } from "@pier/money/rational";
import { formatMinorUnits, parseMinorUnits } from "@pier/money/units";
import type { TokenInfo } from "../chain/chainContext.ts";
import type { AppContext } from "../context.ts";
import { pegRateTo } from "../fx/priceOrder.ts";

export interface SaleRates {
  amount: string;
  fiat_amount: string | null;
  fiat_currency: string | null;
  report_currency: string | null;
  report_rate: string | null;
}

export interface Converter {
  currency: string;
  /** The current rate: reporting-currency units per token (through its peg), for display. */
  rate: string;
  rateAsOf: number;
  /** Minor units of the currency for `units` tokens at the current rate. */
  atCurrentRate(units: bigint): bigint;
  /** Minor units for `units` of this order's tokens at the sale's own rate; undefined when it has none. */
  atSaleRate(order: SaleRates, units: bigint): bigint | undefined;
  format(minor: bigint): string;
}

export async function reportingConverter(
  ctx: AppContext,
  currency: string,
  token: Pick<TokenInfo, "decimals" | "peg">,
): Promise<Converter> {
  const rate = await pegRateTo(ctx.fx, currency, undefined, token.peg);
  const tokenScale = 10n ** BigInt(token.decimals);
  const minor = 10n ** BigInt(minorUnits(currency));
  const atRate = (r: Ratio, units: bigint) => divRound(units * r.num * minor, tokenScale * r.den, "half_up");
  return {
    currency,
    rate: formatRatio(rate.rate, 8, "half_even"),
    rateAsOf: Math.floor(rate.asOf.getTime() / 1000),
    atCurrentRate: (units) => atRate(rate.rate, units),
    atSaleRate(order, units) {
      if (order.fiat_currency === currency && order.fiat_amount !== null) {
        const fiatMinor = parseMinorUnits(order.fiat_amount, currency);
        return divRound(units * fiatMinor, BigInt(order.amount), "half_up");
      }
      if (order.report_currency === currency && order.report_rate !== null)
        return atRate(parseRatio(order.report_rate), units);
      return undefined;
    },
    format: (m) => formatMinorUnits(m, currency),
  };
}
