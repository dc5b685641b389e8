import { expect, test } from "vitest";
import { formatCountdown, ratioToPercent, shortHex } from "./format.ts";

test("formatCountdown", () => {
  expect(formatCountdown(59)).toBe("0:59");
  expect(formatCountdown(3725)).toBe("1:02:05");
  expect(formatCountdown(-3)).toBe("0:00");
  expect(formatCountdown(3 * 86_400)).toBe("3 days");
});

test("shortHex", () => {
  expect(shortHex("0x1234567890abcdef1234567890abcdef12345678")).toBe("0x1234…5678");
});

test("ratioToPercent: moves the point two places, keeps two decimals", () => {
  expect(ratioToPercent("1.0000")).toBe("100.00%");
  expect(ratioToPercent("0.0525")).toBe("5.25%");
  expect(ratioToPercent("0.0050")).toBe("0.50%");
  expect(ratioToPercent("0.0000")).toBe("0.00%");
  expect(ratioToPercent("0.3333")).toBe("33.33%");
});
