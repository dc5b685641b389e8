import { describe, expect, test } from "vitest";
import { formatMinorUnits, normalizeAmount, toMinorUnits } from "./amounts.ts";
import { assertPayableCurrency, ISO_4217_MINOR_UNITS, isCurrency, minorUnits } from "./currencies.ts";
import { InvalidAmountError, UnsupportedCurrencyError } from "./errors.ts";

describe("minorUnits", () => {
  test("default: ISO 4217 decimals for the common and the unusual", () => {
    expect(minorUnits("USD")).toBe(2);
    expect(minorUnits("EUR")).toBe(2);
    expect(minorUnits("JPY")).toBe(0);
    expect(minorUnits("KRW")).toBe(0);
    expect(minorUnits("KWD")).toBe(3);
    expect(minorUnits("BHD")).toBe(3);
    expect(minorUnits("TND")).toBe(3);
    expect(minorUnits("CLF")).toBe(4);
    expect(minorUnits("UYW")).toBe(4);
    expect(minorUnits("ISK")).toBe(0);
    expect(minorUnits("UGX")).toBe(0);
    expect(minorUnits("MGA")).toBe(2);
    expect(minorUnits("XCG")).toBe(2);
  });

  test("behavior: the table has every active code, each 0-4 decimals", () => {
    const codes = Object.keys(ISO_4217_MINOR_UNITS);
    expect(codes.length).toBeGreaterThanOrEqual(155);
    for (const c of codes) {
      expect(c).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(ISO_4217_MINOR_UNITS[c]);
    }
  });

  test("error: unknown codes and codes without minor units are refused", () => {
    expect(() => minorUnits("XAU")).toThrow(UnsupportedCurrencyError);
    expect(() => minorUnits("usd")).toThrow(UnsupportedCurrencyError);
    expect(isCurrency("toString")).toBe(false);
  });

  test("error: withdrawn codes format but are not payable", () => {
    expect(minorUnits("SLL")).toBe(2);
    expect(() => assertPayableCurrency("SLL")).toThrow(UnsupportedCurrencyError);
    expect(() => assertPayableCurrency("EUR")).not.toThrow();
  });
});

describe("toMinorUnits / formatMinorUnits", () => {
  test("default: round trip in each currency's own decimals", () => {
    expect(toMinorUnits("12.3", "EUR")).toBe(1230n);
    expect(formatMinorUnits(1230n, "EUR")).toBe("12.30");
    expect(toMinorUnits("1234", "JPY")).toBe(1234n);
    expect(formatMinorUnits(1234n, "JPY")).toBe("1234");
    expect(toMinorUnits("1.234", "KWD")).toBe(1234n);
    expect(formatMinorUnits(5n, "KWD")).toBe("0.005");
    expect(formatMinorUnits(12345n, "CLF")).toBe("1.2345");
    expect(normalizeAmount("7.5", "BHD")).toBe("7.500");
  });

  test("behavior: trailing zeros beyond the minor unit are harmless", () => {
    expect(toMinorUnits("100.00", "JPY")).toBe(100n);
    expect(toMinorUnits("0.10", "USD")).toBe(10n);
  });

  test("error: more decimals than the currency has is refused, never rounded", () => {
    expect(() => toMinorUnits("10.5", "JPY")).toThrow(InvalidAmountError);
    expect(() => toMinorUnits("1.2345", "KWD")).toThrow(/KWD has 3 decimal places/);
    expect(() => toMinorUnits("0.001", "USD")).toThrow(InvalidAmountError);
  });

  test("error: not a plain decimal", () => {
    for (const bad of ["-1", "1e3", " 1", "1.", ".5", "", "1,00", "NaN"])
      expect(() => toMinorUnits(bad, "USD"), bad).toThrow(InvalidAmountError);
  });
});
