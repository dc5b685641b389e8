/**
 * Fiat amounts as decimal strings <-> integers of the currency's ISO 4217 minor unit, exactly. An
 * amount with more decimals than its currency has ("10.5" JPY, "1.2345" KWD) is refused, never rounded:
 * rounding someone's price silently is a bug.
 */
import { minorUnits } from "./currencies.ts";
import { InvalidAmountError } from "./errors.ts";

/** "12.3" EUR -> 1230n; "1234" JPY -> 1234n; "1.234" KWD -> 1234n. */
export function toMinorUnits(value: string, currency: string, param = "amount"): bigint {
  const match = /^(\d{1,30})(?:\.(\d{1,30}))?$/.exec(value);
  if (!match) throw new InvalidAmountError(`Amount must be a plain decimal string, got '${value}'`, param);
  const decimals = minorUnits(currency);
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > decimals)
    throw new InvalidAmountError(
      `${currency} has ${decimals} decimal place${decimals === 1 ? "" : "s"}; '${value}' has more`,
      param,
    );
  return BigInt(match[1]! + fraction.padEnd(decimals, "0"));
}

/** 1230n EUR -> "12.30"; 1234n JPY -> "1234"; 1234n KWD -> "1.234". Always the currency's decimals. */
export function formatMinorUnits(units: bigint, currency: string): string {
  if (units < 0n) throw new RangeError("amounts are non-negative");
  const decimals = minorUnits(currency);
  if (decimals === 0) return units.toString();
  const s = units.toString().padStart(decimals + 1, "0");
  return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}

/** Re-formats a valid amount to its canonical form ("12.3" EUR -> "12.30"). */
export function normalizeAmount(value: string, currency: string, param = "amount"): string {
  return formatMinorUnits(toMinorUnits(value, currency, param), currency);
}

/** Integer token units <-> decimal string of whole tokens, for display ("13327200", 6 -> "13.3272"). */
export function formatTokenUnits(units: bigint, decimals: number): string {
  if (decimals === 0) return units.toString();
  const s = units.toString().padStart(decimals + 1, "0");
  const fraction = s.slice(-decimals).replace(/0+$/, "");
  return fraction ? `${s.slice(0, -decimals)}.${fraction}` : s.slice(0, -decimals);
}
