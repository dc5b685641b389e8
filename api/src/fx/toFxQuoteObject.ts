/**
 * The API's JSON shape of an FX quote (its schema: schemas/fx.ts): snake_case, token amounts
 * as integer strings, times in unix s.
 */
import type { Static } from "typebox";
import type { FxQuote as FxQuoteSchema } from "../schemas/fx.ts";
import type { FxQuote } from "./quote.ts";

export type FxQuoteObject = Static<typeof FxQuoteSchema>;

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export function toFxQuoteObject(q: FxQuote): FxQuoteObject {
  return {
    id: q.id,
    object: "fx_quote",
    fixed: q.fixed,
    source_currency: q.sourceCurrency,
    source_amount: q.sourceAmount,
    target_token: q.token.symbol,
    target_decimals: q.token.decimals,
    target_amount: q.targetUnits.toString(),
    fee_amount: q.feeUnits.toString(),
    spread_bps: q.spreadBps,
    mid_rate: q.midRate,
    rate: q.rate,
    rate_source: q.rateSource,
    rate_as_of: unix(q.rateAsOf),
    created: unix(q.createdAt),
    expires_at: unix(q.expiresAt),
    used: q.usedBy !== undefined,
  };
}
