/**
 * The two FX operations the API exposes, glued from the pure parts: createQuote (read rates, compute,
 * store) and useQuote (check and consume a stored quote for one fiat session). Routes call these; the
 * lead wires the store (pgQuoteStore) and the source (createRateSource) once at boot.
 */

import type { FxConfig } from "./config.ts";
import { computeQuote, type FxQuote, type SettlementToken } from "./quote.ts";
import type { FxQuoteStore } from "./quoteStore.ts";
import { crossRate, type RateSource } from "./rateSource.ts";

export interface FxDeps {
  config: Pick<FxConfig, "spreadBps" | "quoteTtlSeconds" | "maxRateAgeSeconds"> & { token: SettlementToken };
  source: RateSource;
  store: FxQuoteStore;
  now?: () => Date;
}

export type QuoteRequest =
  | { currency: string; sourceAmount: string; targetUnits?: undefined }
  | { currency: string; targetUnits: bigint; sourceAmount?: undefined };

/** A quote into `token` (default: the settlement token of the configuration, the first network's). */
export async function createQuote(
  deps: FxDeps,
  req: QuoteRequest,
  token: SettlementToken = deps.config.token,
): Promise<FxQuote> {
  const now = deps.now?.() ?? new Date();
  const snapshot = await deps.source.snapshot();
  const quote = computeQuote({
    sourceCurrency: req.currency,
    sourceAmount: req.sourceAmount,
    targetUnits: req.targetUnits,
    rate: crossRate(snapshot, req.currency, token.peggedTo),
    spreadBps: deps.config.spreadBps,
    ttlSeconds: deps.config.quoteTtlSeconds,
    maxRateAgeSeconds: deps.config.maxRateAgeSeconds,
    token,
    now,
  });
  await deps.store.insert(quote);
  return quote;
}

/** Consumes a quote for `usedBy` (a fiat session or order id); expired/used/missing throw typed errors. */
export function useQuote(
  deps: Pick<FxDeps, "store" | "now">,
  quoteId: string,
  usedBy: string,
): Promise<FxQuote> {
  return deps.store.consume(quoteId, usedBy, deps.now?.() ?? new Date());
}
