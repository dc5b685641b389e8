import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ISO_4217_MINOR_UNITS } from "./currencies.ts";
import { AmountError, CurrencyError } from "./errors.ts";
import {
  decimalToUnits,
  formatMinorUnits,
  MAX_DIGITS,
  normalizeAmount,
  parseDecimal,
  parseMinorUnits,
  toBigInt,
  unitsToDecimal,
} from "./units.ts";

const decimals = fc.integer({ min: 0, max: 36 });
const uint256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n });
/** A decimal string as people write it: no leading zeros, no trailing fraction zeros, at most `d` decimals. */
const canonical = (d: number) =>
  fc
    .tuple(fc.stringMatching(/^(0|[1-9]\d{0,40})$/), fc.stringMatching(new RegExp(`^(\\d{0,${d}})$`)))
    .map(([whole, fraction]) => {
      const f = fraction.replace(/0+$/, "");
      return f ? `${whole}.${f}` : whole;
    });

/** What an AmountError of this reason (and these other fields) looks like to toThrow. */
const refused = (reason: AmountError["reason"], fields: Partial<AmountError> = {}) =>
  expect.objectContaining({ name: "AmountError", reason, ...fields });

describe("decimalToUnits / unitsToDecimal", () => {
  test("default: token amounts both ways", () => {
    expect(decimalToUnits("12.5", 6)).toBe(12_500_000n);
    expect(decimalToUnits("0.000001", 6)).toBe(1n);
    expect(decimalToUnits("25", 6)).toBe(25_000_000n);
    expect(unitsToDecimal(12_500_000n, 6)).toBe("12.5");
    expect(unitsToDecimal("1", 6)).toBe("0.000001");
    expect(unitsToDecimal(25_000_000n, 6)).toBe("25");
    expect(unitsToDecimal(13_327_200n, 6)).toBe("13.3272");
    expect(unitsToDecimal(1500n, 0)).toBe("1500");
  });

  test("behavior: parse(format(x)) === x for any uint256 and 0-36 decimals", () => {
    fc.assert(
      fc.property(uint256, decimals, fc.integer({ min: 0, max: 40 }), (units, d, minFraction) => {
        expect(decimalToUnits(unitsToDecimal(units, d), d)).toBe(units);
        expect(decimalToUnits(unitsToDecimal(units, d, { minFraction }), d)).toBe(units);
        expect(toBigInt(units.toString())).toBe(units);
      }),
    );
  });

  test("behavior: format(parse(s)) === s for any decimal string the unit can hold", () => {
    fc.assert(
      fc.property(
        decimals.chain((d) => fc.tuple(fc.constant(d), canonical(d))),
        ([d, text]) => {
          expect(unitsToDecimal(decimalToUnits(text, d), d)).toBe(text);
        },
      ),
    );
  });

  test("behavior: zeros past the last unit are harmless; leading zeros too", () => {
    fc.assert(
      fc.property(uint256, decimals, fc.integer({ min: 1, max: 20 }), (units, d, zeros) => {
        const text = unitsToDecimal(units, d, { minFraction: d });
        const padded = `${d === 0 ? `${text}.` : text}${"0".repeat(zeros)}`;
        expect(decimalToUnits(padded, d)).toBe(units);
        expect(decimalToUnits(`00${text}`, d)).toBe(units);
      }),
    );
    expect(decimalToUnits("100.00", 0)).toBe(100n);
  });

  test("behavior: minFraction pads with zeros, never past the token's decimals", () => {
    expect(unitsToDecimal(10_000_000n, 6, { minFraction: 2 })).toBe("10.00");
    expect(unitsToDecimal(12_345_678n, 6, { minFraction: 2 })).toBe("12.345678");
    expect(unitsToDecimal(5n, 1, { minFraction: 2 })).toBe("0.5");
    expect(unitsToDecimal(-2_500_000n, 6, { minFraction: 2 })).toBe("-2.50");
    expect(unitsToDecimal(0n, 0, { minFraction: 2 })).toBe("0");
  });

  test("error: more fraction digits than the unit has is refused, never rounded or cut", () => {
    fc.assert(
      fc.property(uint256, decimals, fc.stringMatching(/^\d{0,5}[1-9]$/), (units, d, extra) => {
        const text = `${unitsToDecimal(units, d, { minFraction: d })}${d === 0 ? "." : ""}${extra}`;
        expect(() => decimalToUnits(text, d, { field: "amount", unit: "tUSDC" })).toThrow(
          refused("precision", {
            field: "amount",
            message: `tUSDC has ${d} decimal place${d === 1 ? "" : "s"}; '${text}' has more`,
          }),
        );
      }),
    );
    expect(() => decimalToUnits("1.0000001", 6)).toThrow("'1.0000001' has more than 6 decimal places");
  });

  test("error: anything but a plain non-negative decimal is malformed", () => {
    const bad = [
      "-1",
      "+1",
      "1e3",
      " 1",
      "1 ",
      "1.",
      ".5",
      "",
      "1,00",
      "1_000",
      "NaN",
      "Infinity",
      "0x10",
      "1.2.3",
      "１",
      "٣",
    ];
    for (const text of bad) expect(() => decimalToUnits(text, 6), text).toThrow(refused("malformed"));
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\d+(\.\d+)?$/.test(s)),
        (text) => {
          expect(() => parseDecimal(text)).toThrow(refused("malformed"));
        },
      ),
    );
    expect(() => decimalToUnits(42 as unknown as string, 6)).toThrow(refused("malformed"));
  });

  test("error: too many digits to be an amount", () => {
    expect(() => decimalToUnits("9".repeat(MAX_DIGITS + 1), 6)).toThrow(refused("range"));
    expect(() => decimalToUnits(`1.${"0".repeat(MAX_DIGITS + 1)}`, 6)).toThrow(refused("range"));
    expect(() => toBigInt("9".repeat(MAX_DIGITS + 2))).toThrow(refused("range"));
  });

  test("error: units must be integers", () => {
    for (const text of ["1.5", "0x10", " 1", "", "1e6", "--1"])
      expect(() => unitsToDecimal(text, 6), text).toThrow(refused("malformed"));
    expect(() => unitsToDecimal(1n, -1)).toThrow(RangeError);
    expect(() => unitsToDecimal(1n, 1.5)).toThrow(RangeError);
  });
});

describe("parseMinorUnits / formatMinorUnits", () => {
  test("default: round trip in each currency's own decimals", () => {
    expect(parseMinorUnits("12.3", "EUR")).toBe(1230n);
    expect(formatMinorUnits(1230n, "EUR")).toBe("12.30");
    expect(parseMinorUnits("1234", "JPY")).toBe(1234n);
    expect(formatMinorUnits(1234n, "JPY")).toBe("1234");
    expect(parseMinorUnits("1.234", "KWD")).toBe(1234n);
    expect(formatMinorUnits(5n, "KWD")).toBe("0.005");
    expect(formatMinorUnits(12345n, "CLF")).toBe("1.2345");
    expect(normalizeAmount("7.5", "BHD")).toBe("7.500");
  });

  test("behavior: every currency in the table round-trips and refuses one digit more", () => {
    for (const [code, minor] of Object.entries(ISO_4217_MINOR_UNITS)) {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n }), (units) => {
          const text = formatMinorUnits(units, code);
          expect(text.split(".")[1]?.length ?? 0).toBe(minor);
          expect(parseMinorUnits(text, code)).toBe(units);
          const tooPrecise = `${text}${minor === 0 ? "." : ""}1`;
          expect(() => parseMinorUnits(tooPrecise, code, "amount")).toThrow(
            refused("precision", {
              field: "amount",
              message: expect.stringContaining(`${code} has ${minor} decimal place`),
            }),
          );
        }),
        { numRuns: 20 },
      );
    }
  });

  test("behavior: trailing zeros beyond the minor unit are harmless", () => {
    expect(parseMinorUnits("100.00", "JPY")).toBe(100n);
    expect(parseMinorUnits("0.10", "USD")).toBe(10n);
    expect(normalizeAmount("100.00", "JPY")).toBe("100");
  });

  test("error: more decimals than the currency has is refused, never rounded", () => {
    expect(() => parseMinorUnits("10.5", "JPY")).toThrow(AmountError);
    expect(() => parseMinorUnits("1.2345", "KWD")).toThrow(/KWD has 3 decimal places; '1.2345' has more/);
    expect(() => parseMinorUnits("0.001", "USD")).toThrow(AmountError);
  });

  test("error: not a plain decimal, an unknown currency, a negative amount", () => {
    for (const bad of ["-1", "1e3", " 1", "1.", ".5", "", "1,00", "NaN"])
      expect(() => parseMinorUnits(bad, "USD"), bad).toThrow(AmountError);
    expect(() => parseMinorUnits("1", "XAU")).toThrow(CurrencyError);
    expect(() => formatMinorUnits(-1n, "USD")).toThrow(RangeError);
  });
});
