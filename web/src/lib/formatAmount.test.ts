import { describe, expect, test } from "vitest";
import { formatCountdown, formatFiat, formatToken, formatTokenAmount, shortHex } from "./formatAmount.ts";

describe("formatTokenAmount", () => {
  test("default: whole tokens get two decimals", () => {
    expect(formatTokenAmount(10_000_000n, 6, { locale: "en-US" })).toBe("10.00");
  });
  test("behavior: keeps every significant decimal, never rounds", () => {
    expect(formatTokenAmount("1", 6, { locale: "en-US" })).toBe("0.000001");
    expect(formatTokenAmount(1_234_567_891n, 6, { locale: "en-US" })).toBe("1,234.567891");
  });
  test("behavior: exact beyond float precision", () => {
    const units = 123_456_789_012_345_678_901_234_567n;
    expect(formatTokenAmount(units, 18, { locale: "en-US" })).toBe("123,456,789.012345678901234567");
  });
  test("behavior: groups with the locale's separators", () => {
    expect(formatTokenAmount(1_234_500_000n, 6, { locale: "de-DE" })).toBe("1.234,50");
  });
  test("behavior: zero-decimal tokens and negatives", () => {
    expect(formatTokenAmount(1500n, 0, { locale: "en-US" })).toBe("1,500");
    expect(formatTokenAmount(-2_500_000n, 6, { locale: "en-US" })).toBe("-2.50");
  });
  test("error: a non-integer string is refused", () => {
    expect(() => formatTokenAmount("1.5", 6)).toThrow();
  });
});

test("formatToken: appends the symbol", () => {
  expect(formatToken("25000000", { decimals: 6, symbol: "tUSDC" }, { locale: "en-US" })).toBe("25.00 tUSDC");
});

test("formatFiat: exact decimal strings in the currency", () => {
  expect(formatFiat("12.5", "USD", "en-US")).toBe("$12.50");
  expect(formatFiat("9007199254740993.01", "USD", "en-US")).toBe("$9,007,199,254,740,993.01");
  expect(formatFiat("1000", "JPY", "en-US")).toBe("¥1,000");
});

test("formatCountdown", () => {
  expect(formatCountdown(59)).toBe("0:59");
  expect(formatCountdown(3725)).toBe("1:02:05");
  expect(formatCountdown(-3)).toBe("0:00");
  expect(formatCountdown(3 * 86_400)).toBe("3 days");
});

test("shortHex", () => {
  expect(shortHex("0x1234567890abcdef1234567890abcdef12345678")).toBe("0x1234…5678");
});
