/**
 * Exact non-negative rationals over bigint and integer division with an explicit rounding direction.
 * FX rates are kept as rationals (a cross rate USD/JPY from EUR-based rates is a quotient) so nothing is
 * rounded until an amount is produced, and then exactly once, in a direction the caller names.
 */
import { parseDecimal, unitsToDecimal } from "./units.ts";

export interface Ratio {
  readonly num: bigint;
  /** Always > 0. */
  readonly den: bigint;
}

/**
 * floor and ceil: toward zero / away from zero (all values here are non-negative). half_up: ties away
 * from zero. half_even: ties to the even neighbour (banker's rounding), used for display only.
 */
export type Rounding = "floor" | "ceil" | "half_up" | "half_even";

export function ratio(num: bigint, den = 1n): Ratio {
  if (den <= 0n) throw new RangeError("denominator must be positive");
  if (num < 0n) throw new RangeError("ratio must be non-negative");
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

/**
 * "1.0773" -> 10773/10000. Accepts plain non-negative decimals only (no sign, exponent or spaces):
 * AmountError otherwise.
 */
export function parseRatio(value: string, field?: string): Ratio {
  const { digits, scale } = parseDecimal(value, field);
  return ratio(digits, 10n ** BigInt(scale));
}

export function mul(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.num, a.den * b.den);
}

export function div(a: Ratio, b: Ratio): Ratio {
  if (b.num === 0n) throw new RangeError("division by zero");
  return ratio(a.num * b.den, a.den * b.num);
}

export function isZero(r: Ratio): boolean {
  return r.num === 0n;
}

/** num / den rounded as asked; both non-negative, den > 0. */
export function divRound(num: bigint, den: bigint, mode: Rounding): bigint {
  if (den <= 0n || num < 0n) throw new RangeError("divRound takes num >= 0 and den > 0");
  const q = num / den;
  const r = num % den;
  if (r === 0n) return q;
  switch (mode) {
    case "floor":
      return q;
    case "ceil":
      return q + 1n;
    case "half_up":
      return r * 2n >= den ? q + 1n : q;
    case "half_even": {
      const twice = r * 2n;
      if (twice > den) return q + 1n;
      if (twice < den) return q;
      return q % 2n === 0n ? q : q + 1n;
    }
  }
}

/** The rational as a decimal string rounded to `places` fractional digits (trailing zeros trimmed). */
export function formatRatio(r: Ratio, places: number, mode: Rounding): string {
  return unitsToDecimal(divRound(r.num * 10n ** BigInt(places), r.den, mode), places);
}

/**
 * A decimal amount at a decimal rate, in units of a token with `decimals`, rounded once as asked
 * (half up by default): 12.34 EUR at 1.08 with 6 decimals -> 13327200n. Both strings are plain decimals
 * (AmountError otherwise); the product is exact before the one rounding.
 */
export function convertToTokenUnits(
  amount: string,
  rate: string,
  decimals: number,
  mode: Rounding = "half_up",
): bigint {
  const product = mul(parseRatio(amount, "amount"), parseRatio(rate, "rate"));
  return divRound(product.num * 10n ** BigInt(decimals), product.den, mode);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
