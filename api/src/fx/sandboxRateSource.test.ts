import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatRatio } from "@pier/money/rational";
import { describe, expect, onTestFinished, test } from "vitest";
import { SANDBOX_RATES_FILE } from "./config.ts";
import { RateSourceError } from "./errors.ts";
import { computeQuote, TUSDC } from "./quote.ts";
import { crossRate } from "./rateSource.ts";
import { sandboxRateSource } from "./sandboxRateSource.ts";

describe("sandboxRateSource", () => {
  test("default: the shipped sandbox rates, labelled sandbox, stamped with the injected clock", async () => {
    const now = new Date("2031-02-03T04:05:06Z");
    const snap = await sandboxRateSource(SANDBOX_RATES_FILE, () => now).snapshot();
    expect(snap.source).toBe("sandbox:rates.sandbox.json");
    expect(snap.base).toBe("USD");
    for (const c of ["EUR", "JPY", "KWD", "GBP", "CLF"]) expect(snap.rates.get(c)?.asOf).toEqual(now);
    expect(formatRatio(crossRate(snap, "JPY", "USD").rate, 8, "half_even")).toBe("0.00639223");
  });

  test("behavior: never stale, whatever the clock: a quote passes a one-minute max age years later", async () => {
    for (const at of ["2026-11-25T00:00:00Z", "2027-12-01T00:00:00Z", "2040-06-30T23:59:59Z"]) {
      const now = new Date(at);
      const snap = await sandboxRateSource(SANDBOX_RATES_FILE, () => now).snapshot();
      const quote = computeQuote({
        sourceCurrency: "EUR",
        targetUnits: 25_000_000n,
        rate: crossRate(snap, "EUR", "USD"),
        spreadBps: 50,
        ttlSeconds: 900,
        maxRateAgeSeconds: 60,
        token: TUSDC,
        now,
      });
      expect(quote.rateSource).toBe("sandbox:rates.sandbox.json");
      expect(quote.rateAsOf).toEqual(now);
    }
  });

  test("error: a malformed sandbox file fails as a whole, naming the source", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pier-fx-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, "bad.json");
    await writeFile(path, JSON.stringify({ base: "USD", rates: { EUR: "-1" } }));
    await expect(sandboxRateSource(path).snapshot()).rejects.toThrow(/EUR: rate must be a positive decimal/);
    await expect(sandboxRateSource(join(dir, "missing.json")).snapshot()).rejects.toBeInstanceOf(
      RateSourceError,
    );
  });
});
