/** An in-memory FxQuoteStore for unit tests; it applies the same consumeDecision as the Postgres store. */

import type { FxQuote } from "../../api/src/fx/quote.ts";
import { consumeDecision, type FxQuoteStore } from "../../api/src/fx/quoteStore.ts";

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
