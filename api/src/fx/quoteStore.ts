/**
 * Where quotes are kept between being offered and being used: Postgres in production (pgQuoteStore.ts,
 * table in migration 0003_fiat.sql); unit tests use test/harness/memoryQuoteStore.ts.
 *
 * `consume` is the one state change: it atomically marks an unexpired, unused quote as used by one
 * session or order (`usedBy`). Consuming again with the same `usedBy` returns the quote (idempotent
 * retries); with another `usedBy` it is QuoteAlreadyUsedError; past expiry it is QuoteExpiredError.
 */
import { NotFoundError } from "../errors.ts";
import { QuoteAlreadyUsedError, QuoteExpiredError } from "./errors.ts";
import type { FxQuote } from "./quote.ts";

export interface FxQuoteStore {
  insert(quote: FxQuote): Promise<void>;
  get(id: string): Promise<FxQuote | undefined>;
  consume(id: string, usedBy: string, now: Date): Promise<FxQuote>;
}

/** The decision consume() makes, shared by every store so they agree exactly. */
export function consumeDecision(quote: FxQuote | undefined, id: string, usedBy: string, now: Date): FxQuote {
  if (!quote) throw new NotFoundError("fx_quote", id, "fx_quote");
  if (quote.usedBy !== undefined) {
    if (quote.usedBy === usedBy) return quote;
    throw new QuoteAlreadyUsedError(id);
  }
  if (now.getTime() >= quote.expiresAt.getTime()) throw new QuoteExpiredError(id, quote.expiresAt);
  return { ...quote, usedBy, usedAt: now };
}
