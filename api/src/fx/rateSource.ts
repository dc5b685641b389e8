/**
 * The pluggable rate-source interface. A source returns a snapshot of rates quoted against one base
 * currency ("units of X per 1 base", the way central banks publish), each with the time it is valid as
 * of. Quoting derives any pair from the snapshot with crossRate(). Built in: sandboxRateSource (test mode,
 * the default), fileRateSource (a JSON file) and ecbRateSource (the ECB eurofxref daily XML over HTTP);
 * cachedRateSource wraps any of them.
 */

import { div, type Ratio, ratio } from "@pier/money/rational";
import { UnsupportedCurrencyError } from "./errors.ts";

export interface Rate {
  /** Units of the currency per 1 unit of the snapshot's base, exact. */
  perBase: Ratio;
  /** The decimal string as published. */
  published: string;
  asOf: Date;
}

export interface RateSnapshot {
  /** Source name for the audit trail ("sandbox:rates.sandbox.json", "file:rates.json", "ecb"). */
  source: string;
  base: string;
  rates: ReadonlyMap<string, Rate>;
  /** When the snapshot was read from the source. */
  fetchedAt: Date;
}

export interface RateSource {
  readonly name: string;
  snapshot(): Promise<RateSnapshot>;
}

export interface CrossRate {
  /** Units of `to` per 1 unit of `from`. */
  rate: Ratio;
  /** The older of the two legs: a cross rate is only as fresh as its stalest input. */
  asOf: Date;
  source: string;
}

/** Units of `to` per 1 unit of `from`, through the snapshot's base. */
export function crossRate(snapshot: RateSnapshot, from: string, to: string, param = "currency"): CrossRate {
  const a = leg(snapshot, from, param);
  const b = leg(snapshot, to, param);
  const legs = [a.asOf, b.asOf].filter((d): d is Date => d !== undefined);
  const asOf = legs.length > 0 ? new Date(Math.min(...legs.map((d) => d.getTime()))) : newest(snapshot);
  return { rate: div(b.perBase, a.perBase), asOf, source: snapshot.source };
}

function leg(snapshot: RateSnapshot, currency: string, param: string): { perBase: Ratio; asOf?: Date } {
  if (currency === snapshot.base) return { perBase: ratio(1n) };
  const rate = snapshot.rates.get(currency);
  if (!rate || rate.perBase.num === 0n) throw new UnsupportedCurrencyError(currency, param);
  return rate;
}

function newest(snapshot: RateSnapshot): Date {
  let latest: Date | undefined;
  for (const r of snapshot.rates.values()) if (!latest || r.asOf > latest) latest = r.asOf;
  return latest ?? snapshot.fetchedAt;
}
