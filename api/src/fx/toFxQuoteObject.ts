/** The API's JSON shape of an FX quote: snake_case, token amounts as integer strings, times in unix s. */
import type { FxQuote } from "./quote.ts";

export interface FxQuoteObject {
  id: string;
  object: "fx_quote";
  fixed: "source" | "target";
  source_currency: string;
  source_amount: string;
  target_token: string;
  target_decimals: number;
  target_amount: string;
  fee_amount: string;
  spread_bps: number;
  mid_rate: string;
  rate: string;
  rate_source: string;
  rate_as_of: number;
  created: number;
  expires_at: number;
  used: boolean;
}

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
