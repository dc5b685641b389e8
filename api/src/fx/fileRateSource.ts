/**
 * Rates from a JSON file an operator keeps current (PIER_FX_SOURCE=file, PIER_FX_RATES_FILE):
 *
 *   { "base": "USD", "rates": { "EUR": { "rate": "0.8642", "asOf": "2026-11-25T14:00:00Z" }, ... } }
 *
 * `rate` is units of the currency per 1 base, as a plain decimal string; `asOf` an ISO 8601 instant.
 * The file is re-read on every snapshot (it is small) so an operator can update it without a restart.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { isCurrency } from "@pier/money/currencies";
import { parseRatio } from "@pier/money/rational";
import { RateSourceError } from "./errors.ts";
import type { Rate, RateSnapshot, RateSource } from "./rateSource.ts";

export function fileRateSource(path: string, now: () => Date = () => new Date()): RateSource {
  const name = `file:${basename(path)}`;
  return {
    name,
    async snapshot() {
      let json: unknown;
      try {
        json = JSON.parse(await readFile(path, "utf8"));
      } catch (error) {
        throw new RateSourceError(name, "cannot read the rates file", error);
      }
      return parseRatesJson(json, name, now());
    },
  };
}

/** Validates the file's shape; any bad entry fails the whole file (a half-read rate table is worse). */
export function parseRatesJson(json: unknown, source: string, fetchedAt: Date): RateSnapshot {
  const fail = (why: string): never => {
    throw new RateSourceError(source, why);
  };
  if (typeof json !== "object" || json === null) fail("not a JSON object");
  const { base, rates } = json as { base?: unknown; rates?: unknown };
  if (typeof base !== "string" || !isCurrency(base)) fail("`base` must be an ISO 4217 code");
  if (typeof rates !== "object" || rates === null) fail("`rates` must be an object");
  const out = new Map<string, Rate>();
  for (const [currency, entry] of Object.entries(rates as Record<string, unknown>)) {
    if (!isCurrency(currency)) fail(`unknown currency ${currency}`);
    const { rate, asOf } = (entry ?? {}) as { rate?: unknown; asOf?: unknown };
    if (typeof rate !== "string" || !/^\d+(\.\d+)?$/.test(rate) || /^0+(\.0+)?$/.test(rate))
      fail(`${currency}: rate must be a positive decimal string`);
    const when = typeof asOf === "string" ? new Date(asOf) : undefined;
    if (!when || Number.isNaN(when.getTime())) fail(`${currency}: asOf must be an ISO 8601 time`);
    out.set(currency, { perBase: parseRatio(rate as string), published: rate as string, asOf: when! });
  }
  return { source, base: base as string, rates: out, fetchedAt };
}
