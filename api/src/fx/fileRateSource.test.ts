import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatRatio } from "@pier/money/rational";
import { describe, expect, onTestFinished, test } from "vitest";
import { createRateSource, loadFxConfig } from "./config.ts";
import { RateSourceError } from "./errors.ts";
import { fileRateSource } from "./fileRateSource.ts";
import { computeQuote, TUSDC } from "./quote.ts";
import { crossRate } from "./rateSource.ts";

/** A rates file whose `asOf` is `ageSeconds` before the injected clock. */
async function ratesFile(dir: string, now: Date, ageSeconds: number): Promise<string> {
  const asOf = new Date(now.getTime() - ageSeconds * 1000).toISOString();
  const path = join(dir, `rates-${ageSeconds}.json`);
  await writeFile(
    path,
    JSON.stringify({ base: "USD", rates: { EUR: { rate: "0.8642", asOf }, JPY: { rate: "156.44", asOf } } }),
  );
  return path;
}

describe("fileRateSource", () => {
  test("default: a rates file parses, USD-based, with its own timestamps", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pier-fx-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const now = new Date(Date.now());
    const snap = await fileRateSource(await ratesFile(dir, now, 3600)).snapshot();
    expect(snap.base).toBe("USD");
    expect(snap.source).toBe("file:rates-3600.json");
    expect(snap.rates.get("EUR")?.asOf.getTime()).toBe(now.getTime() - 3_600_000);
    expect(formatRatio(crossRate(snap, "JPY", "USD").rate, 8, "half_even")).toBe("0.00639223");
  });

  test("error: the file source keeps its asOf, so rates older than the max age are refused", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pier-fx-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const now = new Date(Date.now());
    const quote = async (ageSeconds: number) =>
      computeQuote({
        sourceCurrency: "EUR",
        sourceAmount: "10.00",
        rate: crossRate(await fileRateSource(await ratesFile(dir, now, ageSeconds)).snapshot(), "EUR", "USD"),
        spreadBps: 50,
        ttlSeconds: 900,
        maxRateAgeSeconds: 4 * 86_400,
        token: TUSDC,
        now,
      });
    expect((await quote(4 * 86_400)).sourceAmount).toBe("10.00");
    await expect(quote(4 * 86_400 + 1)).rejects.toThrow(/older than the 345600 s allowed/);
  });

  test("behavior: the env selects the sandbox source by default; file needs its path", async () => {
    const config = loadFxConfig({});
    expect(config).toMatchObject({ source: "sandbox", spreadBps: 50, quoteTtlSeconds: 900 });
    expect(createRateSource(config).name).toBe("sandbox:rates.sandbox.json");
    expect(createRateSource(loadFxConfig({ PIER_FX_SOURCE: "ecb" })).name).toBe("ecb");
    expect(
      createRateSource(loadFxConfig({ PIER_FX_SOURCE: "file", PIER_FX_RATES_FILE: "/x/r.json" })).name,
    ).toBe("file:r.json");
    expect(() => loadFxConfig({ PIER_FX_SOURCE: "file" })).toThrow(/PIER_FX_RATES_FILE is required/);
  });

  test("error: bad config values name the variable", () => {
    expect(() => loadFxConfig({ PIER_FX_SPREAD_BPS: "-1" })).toThrow(/PIER_FX_SPREAD_BPS/);
    expect(() => loadFxConfig({ PIER_FX_SOURCE: "yahoo" })).toThrow(/PIER_FX_SOURCE/);
  });

  test("error: a malformed file fails as a whole", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pier-fx-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const bad = async (content: string) => {
      const path = join(dir, `r${Math.random()}.json`);
      await writeFile(path, content);
      return fileRateSource(path).snapshot();
    };
    await expect(bad("{")).rejects.toBeInstanceOf(RateSourceError);
    await expect(
      bad(JSON.stringify({ base: "USD", rates: { EUR: { rate: "0", asOf: "2026-01-01T00:00:00Z" } } })),
    ).rejects.toThrow(/positive/);
    await expect(bad(JSON.stringify({ base: "USD", rates: { EUR: { rate: "0.9" } } }))).rejects.toThrow(
      /asOf/,
    );
    await expect(bad(JSON.stringify({ base: "ZZZ", rates: {} }))).rejects.toThrow(/base/);
    await expect(fileRateSource(join(dir, "missing.json")).snapshot()).rejects.toBeInstanceOf(
      RateSourceError,
    );
  });
});
