import { describe, expect, test } from "vitest";
import {
  assertPayableCurrency,
  ISO_4217_MINOR_UNITS,
  isCurrency,
  isPayableCurrency,
  minorUnits,
  WITHDRAWN_CURRENCIES,
} from "./currencies.ts";
import { CurrencyError } from "./errors.ts";

describe("minorUnits", () => {
  test("default: ISO 4217 decimals for the common and the unusual", () => {
    const expected = {
      USD: 2,
      EUR: 2,
      JPY: 0,
      KRW: 0,
      KWD: 3,
      BHD: 3,
      TND: 3,
      CLF: 4,
      UYW: 4,
      ISK: 0,
      UGX: 0,
      MGA: 2,
      XCG: 2,
    };
    for (const [code, decimals] of Object.entries(expected)) expect(minorUnits(code), code).toBe(decimals);
  });

  test("behavior: the table has every active code, each 0-4 decimals", () => {
    const codes = Object.keys(ISO_4217_MINOR_UNITS);
    expect(codes.length).toBeGreaterThanOrEqual(155);
    for (const c of codes) {
      expect(c).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(ISO_4217_MINOR_UNITS[c]);
    }
  });

  test("error: unknown codes, codes without minor units and prototype names are refused", () => {
    for (const code of ["XAU", "usd", "toString", "__proto__", ""]) {
      expect(() => minorUnits(code), code).toThrow(CurrencyError);
      expect(isCurrency(code), code).toBe(false);
    }
    const error = (() => {
      try {
        minorUnits("XAU", "fiat_currency");
      } catch (e) {
        return e as CurrencyError;
      }
    })();
    expect(error).toMatchObject({ currency: "XAU", reason: "unknown", field: "fiat_currency" });
  });

  test("error: withdrawn codes format but are not payable", () => {
    expect(minorUnits("SLL")).toBe(2);
    for (const code of WITHDRAWN_CURRENCIES) {
      expect(isCurrency(code)).toBe(true);
      expect(isPayableCurrency(code)).toBe(false);
      expect(() => assertPayableCurrency(code)).toThrow(CurrencyError);
    }
    expect(() => assertPayableCurrency("EUR")).not.toThrow();
    expect(() => assertPayableCurrency("XAU", "currency")).toThrow(/Currency not supported: 'XAU'/);
  });
});
