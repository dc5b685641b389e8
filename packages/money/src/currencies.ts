/**
 * ISO 4217 currencies and their minor units (decimal places), the complete list of active codes
 * ("List One", 2025 amendments included: XCG, ZWG, SLE, VED), plus a few just-withdrawn codes so older
 * records still format. Codes without minor units in the standard (metals XAU/XAG/XPT/XPD, SDR XDR,
 * bond units XBA-XBD, XSU, XUA, testing XTS, XXX) are deliberately absent: nobody pays in them.
 *
 * This table is Pier's one source of decimals for fiat amounts (api, cli, web). Providers that disagree
 * with ISO on the wire (Stripe's "zero-decimal" and "special case" list, PayPal's no-decimal currencies)
 * map from it in their own mapping.ts (api/src/fiat/<provider>/).
 */
import { CurrencyError } from "./errors.ts";

// biome-ignore format: a table reads better by letter than one code per line
export const ISO_4217_MINOR_UNITS: Readonly<Record<string, number>> = Object.freeze({
  AED: 2, AFN: 2, ALL: 2, AMD: 2, AOA: 2, ARS: 2, AUD: 2, AWG: 2, AZN: 2,
  BAM: 2, BBD: 2, BDT: 2, BGN: 2, BHD: 3, BIF: 0, BMD: 2, BND: 2, BOB: 2, BOV: 2, BRL: 2, BSD: 2,
  BTN: 2, BWP: 2, BYN: 2, BZD: 2,
  CAD: 2, CDF: 2, CHE: 2, CHF: 2, CHW: 2, CLF: 4, CLP: 0, CNY: 2, COP: 2, COU: 2, CRC: 2, CUP: 2,
  CVE: 2, CZK: 2,
  DJF: 0, DKK: 2, DOP: 2, DZD: 2,
  EGP: 2, ERN: 2, ETB: 2, EUR: 2,
  FJD: 2, FKP: 2,
  GBP: 2, GEL: 2, GHS: 2, GIP: 2, GMD: 2, GNF: 0, GTQ: 2, GYD: 2,
  HKD: 2, HNL: 2, HTG: 2, HUF: 2,
  IDR: 2, ILS: 2, INR: 2, IQD: 3, IRR: 2, ISK: 0,
  JMD: 2, JOD: 3, JPY: 0,
  KES: 2, KGS: 2, KHR: 2, KMF: 0, KPW: 2, KRW: 0, KWD: 3, KYD: 2, KZT: 2,
  LAK: 2, LBP: 2, LKR: 2, LRD: 2, LSL: 2, LYD: 3,
  MAD: 2, MDL: 2, MGA: 2, MKD: 2, MMK: 2, MNT: 2, MOP: 2, MRU: 2, MUR: 2, MVR: 2, MWK: 2, MXN: 2,
  MXV: 2, MYR: 2, MZN: 2,
  NAD: 2, NGN: 2, NIO: 2, NOK: 2, NPR: 2, NZD: 2,
  OMR: 3,
  PAB: 2, PEN: 2, PGK: 2, PHP: 2, PKR: 2, PLN: 2, PYG: 0,
  QAR: 2,
  RON: 2, RSD: 2, RUB: 2, RWF: 0,
  SAR: 2, SBD: 2, SCR: 2, SDG: 2, SEK: 2, SGD: 2, SHP: 2, SLE: 2, SOS: 2, SRD: 2, SSP: 2, STN: 2,
  SVC: 2, SYP: 2, SZL: 2,
  THB: 2, TJS: 2, TMT: 2, TND: 3, TOP: 2, TRY: 2, TTD: 2, TWD: 2, TZS: 2,
  UAH: 2, UGX: 0, USD: 2, USN: 2, UYI: 0, UYU: 2, UYW: 4, UZS: 2,
  VED: 2, VES: 2, VND: 0, VUV: 0,
  WST: 2,
  XAF: 0, XCD: 2, XCG: 2, XOF: 0, XPF: 0,
  YER: 2,
  ZAR: 2, ZMW: 2, ZWG: 2,
  // Withdrawn recently; kept so stored amounts in them still format. Not accepted for new quotes.
  ANG: 2, CUC: 2, SLL: 2, ZWL: 2,
});

/** Withdrawn codes: known (they format) but refused for new payments and quotes. */
export const WITHDRAWN_CURRENCIES: ReadonlySet<string> = new Set(["ANG", "CUC", "SLL", "ZWL"]);

export function isCurrency(code: string): boolean {
  return Object.hasOwn(ISO_4217_MINOR_UNITS, code);
}

/** An active code one can pay in (known and not withdrawn). */
export function isPayableCurrency(code: string): boolean {
  return isCurrency(code) && !WITHDRAWN_CURRENCIES.has(code);
}

/** Decimal places of an ISO 4217 currency ("JPY" -> 0, "KWD" -> 3); CurrencyError for anything else. */
export function minorUnits(currency: string, field?: string): number {
  const units = isCurrency(currency) ? ISO_4217_MINOR_UNITS[currency] : undefined;
  if (units === undefined) throw new CurrencyError(currency, "unknown", field);
  return units;
}

/** Throws CurrencyError unless `currency` is an active ISO 4217 code one can pay in. */
export function assertPayableCurrency(currency: string, field = "currency"): void {
  if (!isCurrency(currency)) throw new CurrencyError(currency, "unknown", field);
  if (WITHDRAWN_CURRENCIES.has(currency)) throw new CurrencyError(currency, "withdrawn", field);
}
