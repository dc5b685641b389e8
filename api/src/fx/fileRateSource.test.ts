import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, onTestFinished, test } from "vitest";
import { createRateSource, DEFAULT_RATES_FILE, loadFxConfig } from "./config.ts";
import { RateSourceError } from "./errors.ts";
import { fileRateSource } from "./fileRateSource.ts";
import { crossRate } from "./rateSource.ts";
import { formatRatio } from "./rational.ts";

describe("fileRateSource", () => {
  test("default: the shipped rates file parses, USD-based, with timestamps", async () => {
    const snap = await fileRateSource(DEFAULT_RATES_FILE).snapshot();
    expect(snap.base).toBe("USD");
    expect(snap.source).toBe("file:rates.default.json");
    for (const c of ["EUR", "JPY", "KWD", "GBP", "CLF"]) expect(snap.rates.has(c)).toBe(true);
    expect(formatRatio(crossRate(snap, "JPY", "USD").rate, 8, "half_even")).toBe("0.00639223");
  });

  test("behavior: the env selects the file source by default", async () => {
    const config = loadFxConfig({});
    expect(config).toMatchObject({ source: "file", spreadBps: 50, quoteTtlSeconds: 900 });
    expect(createRateSource(config).name).toBe("file:rates.default.json");
    expect(createRateSource(loadFxConfig({ PIER_FX_SOURCE: "ecb" })).name).toBe("ecb");
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
