import { describe, expect, test } from "vitest";
import { div, divRound, formatRatio, parseRatio, ratio } from "./rational.ts";

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
    expect(() => parseRatio("1e5")).toThrow(RangeError);
    expect(() => parseRatio("-1")).toThrow(RangeError);
  });
});
