import { describe, expect, test } from "vitest";
import { memoryQuoteStore } from "../../../test/harness/memoryQuoteStore.ts";
import { NotFoundError } from "../errors.ts";
import { loadFxConfig, SANDBOX_RATES_FILE } from "./config.ts";
import { QuoteAlreadyUsedError, QuoteExpiredError, UnsupportedCurrencyError } from "./errors.ts";
import { TUSDC } from "./quote.ts";
import { createQuote, useQuote } from "./quoteService.ts";
import { sandboxRateSource } from "./sandboxRateSource.ts";
import { toFxQuoteObject } from "./toFxQuoteObject.ts";

function deps(at: string) {
  let t = new Date(at);
  return {
    config: { ...loadFxConfig({}), token: TUSDC },
    source: sandboxRateSource(SANDBOX_RATES_FILE, () => t),
    store: memoryQuoteStore(),
    now: () => t,
    advance(ms: number) {
      t = new Date(t.getTime() + ms);
    },
  };
}

describe("createQuote / useQuote", () => {
  test("default: quote from the sandbox rates, stored, then used once", async () => {
    const d = deps("2026-11-25T15:00:00Z");
    const q = await createQuote(d, { currency: "EUR", targetUnits: 25_000_000n });
    expect(q.targetUnits).toBe(25_000_000n);
    expect(q.rateSource).toBe("sandbox:rates.sandbox.json");
    const obj = toFxQuoteObject(q);
    expect(obj).toMatchObject({
      object: "fx_quote",
      source_currency: "EUR",
      target_amount: "25000000",
      used: false,
    });
    expect(obj.expires_at - obj.created).toBe(900);
    d.advance(60_000);
    expect((await useQuote(d, q.id, "fs_a")).usedBy).toBe("fs_a");
    await expect(useQuote(d, q.id, "fs_b")).rejects.toBeInstanceOf(QuoteAlreadyUsedError);
  });

  test("error: an expired quote is refused with a clear error", async () => {
    const d = deps("2026-11-25T15:00:00Z");
    const q = await createQuote(d, { currency: "GBP", sourceAmount: "20.00" });
    d.advance(900_000);
    const error = await useQuote(d, q.id, "fs_a").catch((e) => e);
    expect(error).toBeInstanceOf(QuoteExpiredError);
    expect(error.toBody()).toEqual({
      type: "invalid_request_error",
      code: "fx_quote_expired",
      message: `FX quote ${q.id} expired at 2026-11-25T15:15:00.000Z; request a new quote`,
      param: "fx_quote",
    });
  });

  test("error: unknown quote id and unquoted currency", async () => {
    const d = deps("2026-11-25T15:00:00Z");
    await expect(useQuote(d, "fxq_nope", "fs")).rejects.toBeInstanceOf(NotFoundError);
    await expect(createQuote(d, { currency: "ZMW", sourceAmount: "1" })).rejects.toBeInstanceOf(
      UnsupportedCurrencyError,
    );
  });
});
