import { isPayableCurrency } from "@pier/money/currencies";
import { expect, test } from "vitest";
import { FIAT_CURRENCIES, guessCurrency } from "./currencies.ts";

test("every currency the picker offers is an active ISO 4217 code", () => {
  for (const code of FIAT_CURRENCIES) expect(isPayableCurrency(code), code).toBe(true);
});

test("the browser's region picks the first guess", () => {
  expect(guessCurrency("ja-JP")).toBe("JPY");
  expect(guessCurrency("fr")).toBe("EUR");
});
