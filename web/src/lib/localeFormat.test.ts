import { describe, expect, test } from "vitest";
import { formatCountdown, formatDuration, formatters, intlLocale } from "./localeFormat.ts";

const tUSDC = { symbol: "tUSDC", decimals: 6 };
const wei = { symbol: "DAI", decimals: 18 };

describe("formatters", () => {
  test("default: token amounts keep every digit, with the language's separators", () => {
    expect(formatters("en").token("1234567890123456789012345", wei)).toBe("1,234,567.890123456789012345 DAI");
    expect(formatters("de").token("1234567890123456789012345", wei)).toBe("1.234.567,890123456789012345 DAI");
    expect(formatters("fr").token(12_000_000n, tUSDC)).toBe("12,00 tUSDC");
    expect(formatters("ar").token(12_000_000n, tUSDC)).toBe("12.00 tUSDC");
  });

  test("behavior: fiat in the language's currency format, exactly", () => {
    expect(formatters("en").fiat("10.43", "EUR")).toBe("€10.43");
    expect(formatters("de").fiat("10.43", "EUR")).toBe("10,43\u00a0€");
    expect(formatters("ja").fiat("1200", "JPY")).toBe("￥1,200");
  });

  test("behavior: Arabic keeps Western digits in dates and numbers", () => {
    expect(intlLocale("ar")).toBe("ar-u-nu-latn");
    expect(intlLocale("zh-CN")).toBe("zh-CN");
    expect(formatters("ar").dateTime(1_900_000_000)).toMatch(/2030/);
  });
});

describe("durations", () => {
  test("default: the largest whole unit, in words of the language", () => {
    expect(formatDuration(7 * 86_400, "en")).toBe("7 days");
    expect(formatDuration(7 * 86_400, "de")).toBe("7 Tage");
    expect(formatDuration(3 * 3_600 + 5, "en")).toBe("3 hours");
    expect(formatDuration(90, "en")).toBe("1 minute");
    expect(formatDuration(-5, "en")).toBe("0 seconds");
  });

  test("behavior: countdowns below 48 h are a clock, above in days", () => {
    expect(formatCountdown(3725, "en")).toBe("1:02:05");
    expect(formatCountdown(59, "en")).toBe("0:59");
    expect(formatCountdown(3 * 86_400, "fr")).toBe("3\u00a0jours");
  });
});
