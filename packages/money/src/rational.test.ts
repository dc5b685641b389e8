import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { AmountError } from "./errors.ts";
import { convertToTokenUnits, div, divRound, formatRatio, parseRatio, ratio } from "./rational.ts";
import { decimalToUnits, unitsToDecimal } from "./units.ts";

describe("divRound", () => {
  test("default: exact division needs no rounding", () => {
    for (const mode of ["floor", "ceil", "half_up", "half_even"] as const)
      expect(divRound(10n, 5n, mode)).toBe(2n);
  });

  test("behavior: each direction on a remainder", () => {
    expect(divRound(7n, 2n, "floor")).toBe(3n);
    expect(divRound(7n, 2n, "ceil")).toBe(4n);
    expect(divRound(7n, 2n, "half_up")).toBe(4n);
    expect(divRound(7n, 2n, "half_even")).toBe(4n);
    expect(divRound(5n, 2n, "half_even")).toBe(2n);
    expect(divRound(5n, 2n, "half_up")).toBe(3n);
    expect(divRound(1n, 3n, "ceil")).toBe(1n);
    expect(divRound(2n, 3n, "half_up")).toBe(1n);
  });

  test("behavior: every mode lands on a neighbour of the exact quotient", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 200n }),
        fc.bigInt({ min: 1n, max: 2n ** 100n }),
        (n, d) => {
          const floor = divRound(n, d, "floor");
          const ceil = divRound(n, d, "ceil");
          expect(floor * d <= n && n < (floor + 1n) * d).toBe(true);
          expect(ceil - floor).toBe(n % d === 0n ? 0n : 1n);
          for (const mode of ["half_up", "half_even"] as const)
            expect([floor, ceil]).toContain(divRound(n, d, mode));
        },
      ),
    );
  });

  test("error: negative or zero denominators", () => {
    expect(() => divRound(1n, 0n, "floor")).toThrow(RangeError);
    expect(() => divRound(-1n, 2n, "floor")).toThrow(RangeError);
  });
});

describe("ratios", () => {
  test("default: parse, divide and format exactly", () => {
    expect(parseRatio("1.0773")).toEqual({ num: 10773n, den: 10000n });
    expect(div(parseRatio("1.25"), parseRatio("150"))).toEqual(ratio(1n, 120n));
    expect(formatRatio(ratio(1n, 3n), 12, "half_even")).toBe("0.333333333333");
    expect(formatRatio(ratio(2n, 3n), 4, "floor")).toBe("0.6666");
    expect(formatRatio(ratio(5n, 2n), 0, "half_even")).toBe("2");
    expect(formatRatio(ratio(3n, 2n), 3, "floor")).toBe("1.5");
  });

  test("error: not a plain decimal", () => {
    expect(() => parseRatio("1e5")).toThrow(AmountError);
    expect(() => parseRatio("-1")).toThrow(AmountError);
  });
});

describe("convertToTokenUnits", () => {
  test("default: exact conversion to token units", () => {
    expect(convertToTokenUnits("12.34", "1.08", 6)).toBe(13_327_200n);
    expect(convertToTokenUnits("0.1", "3", 6)).toBe(300_000n);
    expect(convertToTokenUnits("99999999999999.99", "1", 6)).toBe(99_999_999_999_999_990_000n);
    expect(convertToTokenUnits("1500", "0.0067", 6)).toBe(10_050_000n);
  });

  test("behavior: rounds half up at the token's smallest unit, or as asked", () => {
    expect(convertToTokenUnits("1", "0.0000005", 6)).toBe(1n);
    expect(convertToTokenUnits("1", "0.00000049", 6)).toBe(0n);
    expect(convertToTokenUnits("1", "0.0000005", 6, "floor")).toBe(0n);
    expect(convertToTokenUnits("1", "0.0000001", 6, "ceil")).toBe(1n);
  });

  test("behavior: at rate 1 an amount the token can hold converts exactly, for any decimals", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 36 }),
        fc.bigInt({ min: 0n, max: 2n ** 128n }),
        (decimals, units) => {
          const amount = unitsToDecimal(units, decimals);
          expect(convertToTokenUnits(amount, "1", decimals)).toBe(units);
          expect(convertToTokenUnits(amount, "1.0", decimals, "floor")).toBe(
            decimalToUnits(amount, decimals),
          );
        },
      ),
    );
  });

  test("error: not a plain decimal", () => {
    expect(() => convertToTokenUnits("1e3", "1", 6)).toThrow(AmountError);
    expect(() => convertToTokenUnits("1", "-1", 6)).toThrow(AmountError);
    expect(() => convertToTokenUnits("1.", "1", 6)).toThrow(AmountError);
  });
});
