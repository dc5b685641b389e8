import { expect, test } from "vitest";
import { parseAmountInput } from "./amountInput.ts";

test("default: what was typed, in token units, exactly", () => {
  expect(parseAmountInput(" 12.5 ", 6)).toEqual({ units: 12_500_000n });
  expect(parseAmountInput("0.000001", 6)).toEqual({ units: 1n });
  expect(parseAmountInput("9.990", 2)).toEqual({ units: 999n });
});

test("error: what is wrong, in words; nothing is rounded", () => {
  expect(parseAmountInput("1.0000001", 6)).toEqual({ error: "At most 6 decimals." });
  expect(parseAmountInput("0", 6)).toEqual({ error: "The amount must be more than zero." });
  for (const bad of ["", "-1", "1e6", "abc", "1.2.3", "1,5"])
    expect(parseAmountInput(bad, 6, { example: "25 or 9.99" }), bad).toEqual({
      error: "Enter an amount such as 25 or 9.99.",
    });
});
