import { describe, expect, test } from "vitest";
import { convertToTokenUnits, formatUnits, minorUnits, parseDecimal } from "./decimal.ts";

describe("decimal money", () => {
  test("default: exact conversion to token units", () => {
    expect(convertToTokenUnits("12.34", "1.08", 6)).toBe(13_327_200n);
    expect(convertToTokenUnits("0.1", "3", 6)).toBe(300_000n);
    expect(convertToTokenUnits("99999999999999.99", "1", 6)).toBe(99_999_999_999_999_990_000n);
  });
  test("behavior: rounds half up at the token's smallest unit", () => {
    expect(convertToTokenUnits("1", "0.0000005", 6)).toBe(1n);
    expect(convertToTokenUnits("1", "0.00000049", 6)).toBe(0n);
    expect(convertToTokenUnits("1500", "0.0067", 6)).toBe(10_050_000n);
  });
  test("behavior: currencies' minor units; formatting", () => {
    expect(minorUnits("JPY")).toBe(0);
    expect(minorUnits("KWD")).toBe(3);
    expect(minorUnits("EUR")).toBe(2);
    expect(formatUnits(13_327_200n, 6)).toBe("13.3272");
    expect(formatUnits(5n, 6)).toBe("0.000005");
  });
  test("error: not a plain decimal", () => {
    expect(() => parseDecimal("1e3")).toThrow();
    expect(() => parseDecimal("-1")).toThrow();
    expect(() => parseDecimal("1.")).toThrow();
  });
});
