/**
 * Where quotes are kept between being offered and being used. The lead backs it with Postgres
 * (pgQuoteStore.ts, table in migration 0003_fiat.sql); memoryQuoteStore serves tests and a store-less dev run.
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

export function memoryQuoteStore(): FxQuoteStore {
  const quotes = new Map<string, FxQuote>();
  return {
    async insert(quote) {
      if (quotes.has(quote.id)) throw new Error(`duplicate fx quote id ${quote.id}`);
      quotes.set(quote.id, { ...quote });
    },
    async get(id) {
      const q = quotes.get(id);
      return q && { ...q };
    },
    async consume(id, usedBy, now) {
      const next = consumeDecision(quotes.get(id), id, usedBy, now);
      quotes.set(id, next);
      return { ...next };
    },
  };
}
