/**
 * Sandbox rates for test mode: a JSON file of illustrative rates (rates.sandbox.json) stamped as current
 * on every read, so a local stack, a testnet deployment or a test suite never meets a stale rate however
 * long after the file was written it runs. The snapshot's source is named `sandbox:<file>`, which every
 * quote carries as `rate_source`. Live mode refuses this source at boot (bridge/fiatContext.ts): there
 * the file and ECB sources, which keep their `asOf` and are refused when stale, are the choices.
 *
 *   { "base": "USD", "rates": { "EUR": "0.8642", "JPY": "156.44", ... } }
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { RateSourceError } from "./errors.ts";
import { parseRatesJson } from "./fileRateSource.ts";
import type { RateSource } from "./rateSource.ts";

export function sandboxRateSource(path: string, now: () => Date = () => new Date()): RateSource {
  const name = `sandbox:${basename(path)}`;
  return {
    name,
    async snapshot() {
      let json: { base?: unknown; rates?: unknown };
      try {
        json = JSON.parse(await readFile(path, "utf8"));
      } catch (error) {
        throw new RateSourceError(name, "cannot read the sandbox rates file", error);
      }
      const at = now();
      const rates = typeof json.rates === "object" && json.rates !== null ? json.rates : {};
      const stamped = Object.fromEntries(
        Object.entries(rates).map(([currency, rate]) => [currency, { rate, asOf: at.toISOString() }]),
      );
      return parseRatesJson({ base: json.base, rates: stamped }, name, at);
    },
  };
}
