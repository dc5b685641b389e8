import { AmountError, CurrencyError } from "@pier/money/errors";
import { parseRatio } from "@pier/money/rational";
import { parseMinorUnits } from "@pier/money/units";
import { describe, expect, test } from "vitest";
import { InvalidAmountError, QuoteExpiredError, StaleRateError, UnsupportedCurrencyError } from "./errors.ts";
import { assertQuoteUsable, computeQuote, type QuoteParams } from "./quote.ts";
import { crossRate, type RateSnapshot } from "./rateSource.ts";

const asOf = new Date("2026-11-25T14:00:00Z");
const now = new Date("2026-11-25T15:00:00Z");

/** USD-based test rates chosen so expected amounts can be checked by hand. */
function snapshot(): RateSnapshot {
  const rate = (published: string) => ({ perBase: parseRatio(published), published, asOf });
  return {
    source: "test",
    base: "USD",
    rates: new Map([
      ["EUR", rate("0.8")], // 1.25 USD per EUR
      ["JPY", rate("150")], // 1/150 USD per JPY
      ["KWD", rate("0.3")], // 10/3 USD per KWD
      ["CLF", rate("0.025")], // 40 USD per CLF
    ]),
    fetchedAt: asOf,
  };
}

function params(currency: string, p: Partial<QuoteParams>): QuoteParams {
  return {
    sourceCurrency: currency,
    rate: crossRate(snapshot(), currency, "USD"),
    spreadBps: 0,
    ttlSeconds: 900,
    maxRateAgeSeconds: 86_400,
    now,
    ...p,
  };
}

describe("computeQuote", () => {
  test("default: EUR amount -> tUSDC with a 50 bps spread", () => {
    const q = computeQuote(params("EUR", { sourceAmount: "10", spreadBps: 50 }));
    expect(q.id).toMatch(/^fxq_[0-9A-Za-z]{24}$/);
    expect(q.fixed).toBe("source");
    expect(q.sourceAmount).toBe("10.00");
    expect(q.targetUnits).toBe(12_437_500n); // 12.5 tUSDC gross, minus 0.5 %
    expect(q.feeUnits).toBe(62_500n);
    expect(q.midRate).toBe("1.25");
    expect(q.rate).toBe("1.24375");
    expect(q.token).toEqual({ symbol: "tUSDC", decimals: 6, peggedTo: "USD" });
    expect(q.rateAsOf).toEqual(asOf);
    expect(q.expiresAt.getTime() - q.createdAt.getTime()).toBe(900_000);
  });

  test("behavior: fixing the target charges the customer the smallest covering amount, rounded up", () => {
    const exact = computeQuote(params("EUR", { targetUnits: 12_437_500n, spreadBps: 50 }));
    expect(exact.fixed).toBe("target");
    expect(exact.sourceAmount).toBe("10.00");
    expect(exact.feeUnits).toBe(62_500n);

    const one = computeQuote(params("EUR", { targetUnits: 1_000_000n, spreadBps: 50 }));
    expect(one.sourceAmount).toBe("0.81"); // 0.804... EUR rounded up to the cent
    expect(one.targetUnits).toBe(1_000_000n);
    expect(one.feeUnits).toBe(12_500n); // 1.0125 gross - 1 net: the fee absorbs the rounding
  });

  test("behavior: JPY has no minor unit", () => {
    const q = computeQuote(params("JPY", { sourceAmount: "1000" }));
    expect(q.sourceAmount).toBe("1000");
    expect(q.targetUnits).toBe(6_666_666n); // 6.666666.. tUSDC, rounded down
    expect(computeQuote(params("JPY", { targetUnits: 1_000_000n })).sourceAmount).toBe("150");
    expect(computeQuote(params("JPY", { targetUnits: 1_000_001n })).sourceAmount).toBe("151");
  });

  test("behavior: KWD has three decimals", () => {
    const q = computeQuote(params("KWD", { sourceAmount: "1.234" }));
    expect(q.sourceAmount).toBe("1.234");
    expect(q.targetUnits).toBe(4_113_333n);
    expect(computeQuote(params("KWD", { targetUnits: 1_000_000n })).sourceAmount).toBe("0.300");
    expect(computeQuote(params("KWD", { targetUnits: 1_000_001n })).sourceAmount).toBe("0.301");
  });

  test("behavior: CLF has four decimals", () => {
    expect(computeQuote(params("CLF", { sourceAmount: "0.0001" })).targetUnits).toBe(4_000n);
  });

  test("behavior: USD to a USD-pegged token is 1:1 before the spread", () => {
    const q = computeQuote(params("USD", { sourceAmount: "12.34", spreadBps: 100 }));
    expect(q.midRate).toBe("1");
    expect(q.targetUnits).toBe(12_216_600n);
    expect(q.feeUnits).toBe(123_400n);
  });

  test("behavior: rounding never favours the payer (source -> target -> source is stable)", () => {
    for (const amount of ["0.01", "0.99", "1.23", "99.99", "1234.56"]) {
      const fwd = computeQuote(params("EUR", { sourceAmount: amount, spreadBps: 37 }));
      const back = computeQuote(params("EUR", { targetUnits: fwd.targetUnits, spreadBps: 37 }));
      expect(parseMinorUnits(back.sourceAmount, "EUR")).toBeLessThanOrEqual(
        parseMinorUnits(fwd.sourceAmount, "EUR"),
      );
      expect(back.feeUnits * 10_000n).toBeGreaterThanOrEqual(
        (back.targetUnits + back.feeUnits) * 37n - 10_000n,
      );
    }
  });

  test("error: more decimals than the currency has (a 400 amount_invalid through fromMoneyError)", () => {
    expect(() => computeQuote(params("JPY", { sourceAmount: "10.5" }))).toThrow(AmountError);
    expect(() => computeQuote(params("KWD", { sourceAmount: "1.2345" }))).toThrow(AmountError);
    expect(() => computeQuote(params("EUR", { sourceAmount: "0.001" }))).toThrow(AmountError);
  });

  test("error: zero, both or neither amounts", () => {
    expect(() => computeQuote(params("EUR", { sourceAmount: "0" }))).toThrow(InvalidAmountError);
    expect(() => computeQuote(params("EUR", { targetUnits: 0n }))).toThrow(InvalidAmountError);
    expect(() => computeQuote(params("EUR", {}))).toThrow(InvalidAmountError);
    expect(() => computeQuote(params("EUR", { sourceAmount: "1", targetUnits: 1n }))).toThrow(
      InvalidAmountError,
    );
  });

  test("error: a currency the source does not quote", () => {
    expect(() => crossRate(snapshot(), "GBP", "USD")).toThrow(UnsupportedCurrencyError);
    expect(() => computeQuote(params("EUR", { sourceCurrency: "XAU", sourceAmount: "1" }))).toThrow(
      CurrencyError,
    );
  });

  test("error: a rate older than the max age is refused", () => {
    const late = new Date(asOf.getTime() + 3_601_000);
    const error = (() => {
      try {
        computeQuote(params("EUR", { sourceAmount: "1", now: late, maxRateAgeSeconds: 3600 }));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StaleRateError);
    expect(error).toMatchObject({ statusCode: 503, code: "fx_rate_stale", currency: "EUR" });
    expect(() =>
      computeQuote(params("EUR", { sourceAmount: "1", now: late, maxRateAgeSeconds: 3602 })),
    ).not.toThrow();
  });
});

describe("assertQuoteUsable", () => {
  test("default: usable until the expiry instant", () => {
    const q = computeQuote(params("EUR", { sourceAmount: "1", ttlSeconds: 60 }));
    expect(() => assertQuoteUsable(q, new Date(q.expiresAt.getTime() - 1))).not.toThrow();
  });

  test("error: an expired quote is refused with QuoteExpiredError", () => {
    const q = computeQuote(params("EUR", { sourceAmount: "1", ttlSeconds: 60 }));
    expect(() => assertQuoteUsable(q, q.expiresAt)).toThrow(QuoteExpiredError);
    try {
      assertQuoteUsable(q, new Date(q.expiresAt.getTime() + 1000));
    } catch (e) {
      expect(e).toMatchObject({ statusCode: 409, code: "fx_quote_expired", param: "fx_quote" });
      expect((e as Error).message).toContain(q.id);
    }
  });
});
