import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { formatAmount, formatFiat, formatToken, formatTokenPlain } from "./display.ts";
import { AmountError } from "./errors.ts";
import { decimalToUnits } from "./units.ts";

const tUSDC = { decimals: 6, symbol: "tUSDC" };

describe("formatAmount", () => {
  test("default: whole tokens get two decimals", () => {
    expect(formatAmount(10_000_000n, 6, { locale: "en-US" })).toBe("10.00");
  });

  test("behavior: keeps every significant decimal, never rounds", () => {
    expect(formatAmount("1", 6, { locale: "en-US" })).toBe("0.000001");
    expect(formatAmount(1_234_567_891n, 6, { locale: "en-US" })).toBe("1,234.567891");
  });

  test("behavior: exact beyond float precision", () => {
    const units = 123_456_789_012_345_678_901_234_567n;
    expect(formatAmount(units, 18, { locale: "en-US" })).toBe("123,456,789.012345678901234567");
  });

  test("behavior: groups with the locale's separators", () => {
    expect(formatAmount(1_234_500_000n, 6, { locale: "de-DE" })).toBe("1.234,50");
  });

  test("behavior: zero-decimal tokens, negatives, no padding", () => {
    expect(formatAmount(1500n, 0, { locale: "en-US" })).toBe("1,500");
    expect(formatAmount(-2_500_000n, 6, { locale: "en-US" })).toBe("-2.50");
    expect(formatAmount(2_500_000n, 6, { locale: "en-US", minFraction: 0 })).toBe("2.5");
  });

  test("behavior: what is shown parses back to the same units (en-US and de-DE)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
        fc.integer({ min: 0, max: 36 }),
        (units, d) => {
          const en = formatAmount(units, d, { locale: "en-US" }).replaceAll(",", "");
          expect(decimalToUnits(en, d)).toBe(units);
          const de = formatAmount(units, d, { locale: "de-DE" }).replaceAll(".", "").replace(",", ".");
          expect(decimalToUnits(de, d)).toBe(units);
          expect(decimalToUnits(formatTokenPlain(units, { decimals: d, symbol: "T" }).slice(0, -2), d)).toBe(
            units,
          );
        },
      ),
    );
  });

  test("error: a non-integer string is refused", () => {
    expect(() => formatAmount("1.5", 6)).toThrow(AmountError);
  });
});

test("formatToken: appends the symbol", () => {
  expect(formatToken("25000000", tUSDC, { locale: "en-US" })).toBe("25.00 tUSDC");
});

test("formatTokenPlain: what the CLI prints", () => {
  expect(formatTokenPlain("25000000", tUSDC)).toBe("25 tUSDC");
  expect(formatTokenPlain(13_327_200n, tUSDC)).toBe("13.3272 tUSDC");
  expect(formatTokenPlain(1_234_500_000_000n, tUSDC)).toBe("1234500 tUSDC");
});

describe("formatFiat", () => {
  test("default: exact decimal strings in the currency", () => {
    expect(formatFiat("12.5", "USD", "en-US")).toBe("$12.50");
    expect(formatFiat("9007199254740993.01", "USD", "en-US")).toBe("$9,007,199,254,740,993.01");
    expect(formatFiat("1000", "JPY", "en-US")).toBe("¥1,000");
  });

  test("behavior: ISO minor units, never rounded to Intl's own digits", () => {
    // Intl's data gives IQD 0 digits; ISO 4217 gives 3.
    expect(formatFiat("1.234", "IQD", "en-US")).toMatch(/1\.234$/);
    expect(formatFiat("1.2345", "CLF", "en-US")).toMatch(/1\.2345$/);
    expect(formatFiat("12.345", "USD", "en-US")).toBe("$12.345");
    expect(formatFiat("100.00", "JPY", "en-US")).toBe("¥100");
    expect(formatFiat("12.500", "EUR", "en-US")).toBe("€12.50");
  });

  test("behavior: a code Intl does not know prints plainly", () => {
    expect(formatFiat("12.50", "ZZ", "en-US")).toBe("12.50 ZZ");
  });

  test("error: not a plain decimal", () => {
    expect(() => formatFiat("1e3", "USD")).toThrow(AmountError);
  });
});
