/**
 * Exact decimal arithmetic for money: decimal strings in, bigint token units out. No floating point.
 */

/** Parses "12.34" into { units: 1234n, scale: 2 }. Throws on anything but a plain non-negative decimal. */
export function parseDecimal(value: string): { units: bigint; scale: number } {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw new Error(`not a decimal: ${value}`);
  const fraction = match[2] ?? "";
  return { units: BigInt(match[1]! + fraction), scale: fraction.length };
}

/**
 * amount × rate in token units of `decimals`, rounded half up to the smallest unit. E.g. 12.34 EUR at
 * 1.08 with 6 decimals -> 13327200n.
 */
export function convertToTokenUnits(amount: string, rate: string, decimals: number): bigint {
  const a = parseDecimal(amount);
  const r = parseDecimal(rate);
  const numerator = a.units * r.units * 10n ** BigInt(decimals);
  const denominator = 10n ** BigInt(a.scale + r.scale);
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** Decimal places of ISO 4217 currencies that are not 2 (the common case). */
const MINOR_UNITS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/** Formats token units as a decimal string ("13.3272") for display; never used for arithmetic. */
export function formatUnits(units: bigint, decimals: number): string {
  const s = units.toString().padStart(decimals + 1, "0");
  const whole = s.slice(0, s.length - decimals);
  const fraction = s.slice(s.length - decimals).replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}
