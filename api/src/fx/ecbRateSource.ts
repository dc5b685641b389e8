/**
 * Rates from a central bank's daily reference-rate XML, the ECB "eurofxref" format:
 *
 *   <gesmes:Envelope ...><Cube><Cube time="2026-11-25">
 *     <Cube currency="USD" rate="1.1571"/><Cube currency="JPY" rate="181.02"/> ...
 *   </Cube></Cube></gesmes:Envelope>
 *
 * Rates are units of the currency per 1 EUR (the base). The daily file has one `time` cube; the
 * historical files (eurofxref-hist-90d.xml) have many, and the newest is used. The ECB publishes at
 * about 16:00 CET/CEST, so a day's rates are stamped 14:00 UTC of that day: the earlier of the two
 * possible instants, so a rate is never taken for fresher than it is.
 */
import { isCurrency } from "@pier/money/currencies";
import { parseRatio } from "@pier/money/rational";
import { RateSourceError } from "./errors.ts";
import type { Rate, RateSnapshot, RateSource } from "./rateSource.ts";

export const ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml";

export interface EcbRateSourceOptions {
  url?: string;
  timeoutMs?: number;
  now?: () => Date;
  fetch?: typeof fetch;
}

export function ecbRateSource(opts: EcbRateSourceOptions = {}): RateSource {
  const url = opts.url ?? ECB_DAILY_URL;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? (() => new Date());
  return {
    name: "ecb",
    async snapshot() {
      let text: string;
      try {
        const res = await doFetch(url, {
          headers: { accept: "application/xml, text/xml" },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) throw new RateSourceError("ecb", `HTTP ${res.status} from ${url}`);
        text = await res.text();
      } catch (error) {
        if (error instanceof RateSourceError) throw error;
        throw new RateSourceError("ecb", `cannot fetch ${url}`, error);
      }
      return parseEcbXml(text, now());
    },
  };
}

/** Parses eurofxref XML (daily or historical) into a EUR-based snapshot of the newest day. */
export function parseEcbXml(xml: string, fetchedAt: Date, source = "ecb"): RateSnapshot {
  // The format is flat and fixed: a regex over <Cube .../> tags is exact and needs no XML dependency.
  const tag = /<Cube\b([^>]*?)\/?>/g;
  const attr = (attrs: string, name: string) =>
    new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)
      .exec(attrs)
      ?.slice(1)
      .find((v) => v !== undefined);
  const days = new Map<string, Map<string, string>>();
  let day: Map<string, string> | undefined;
  for (const match of xml.matchAll(tag)) {
    const attrs = match[1] ?? "";
    const time = attr(attrs, "time");
    if (time !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(time)) throw new RateSourceError(source, `bad time '${time}'`);
      day = new Map();
      days.set(time, day);
      continue;
    }
    const currency = attr(attrs, "currency");
    const rate = attr(attrs, "rate");
    if (currency === undefined && rate === undefined) continue;
    if (!day || currency === undefined || rate === undefined)
      throw new RateSourceError(source, "a currency cube outside a time cube, or without currency/rate");
    day.set(currency, rate);
  }
  const newest = [...days.keys()].sort().at(-1);
  if (!newest) throw new RateSourceError(source, "no <Cube time=...> in the document");
  const asOf = new Date(`${newest}T14:00:00Z`);
  if (Number.isNaN(asOf.getTime())) throw new RateSourceError(source, `bad time '${newest}'`);
  const rates = new Map<string, Rate>();
  for (const [currency, published] of days.get(newest)!) {
    if (!/^[A-Z]{3}$/.test(currency)) throw new RateSourceError(source, `bad currency '${currency}'`);
    if (!/^\d+(\.\d+)?$/.test(published) || /^0+(\.0+)?$/.test(published))
      throw new RateSourceError(source, `${currency}: bad rate '${published}'`);
    // The ECB lists a few codes outside our table only if ISO adds them first; skip rather than fail.
    if (!isCurrency(currency)) continue;
    rates.set(currency, { perBase: parseRatio(published), published, asOf });
  }
  if (rates.size === 0) throw new RateSourceError(source, `no rates for ${newest}`);
  return { source, base: "EUR", rates, fetchedAt };
}
