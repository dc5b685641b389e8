import { formatRatio } from "@pier/money/rational";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type EcbEmulator, ecbXml, startEcbEmulator } from "../../../test/emulators/ecb.ts";
import { memoryQuoteStore } from "../../../test/harness/memoryQuoteStore.ts";
import { cachedRateSource } from "./cachedRateSource.ts";
import { ecbRateSource, parseEcbXml } from "./ecbRateSource.ts";
import { RateSourceError, StaleRateError } from "./errors.ts";
import { TUSDC } from "./quote.ts";
import { createQuote } from "./quoteService.ts";
import { crossRate } from "./rateSource.ts";

let ecb: EcbEmulator;
beforeAll(async () => {
  ecb = await startEcbEmulator();
});
afterAll(() => ecb.close());

describe("ecbRateSource (over HTTP)", () => {
  test("default: reads the daily file into a EUR-based snapshot stamped 14:00 UTC of the day", async () => {
    ecb.override = {};
    ecb.set("2026-11-25", { USD: "1.1571", JPY: "181.02", KWD: "0.35512", GBP: "0.8772" });
    const snap = await ecbRateSource({ url: ecb.dailyUrl }).snapshot();
    expect(snap.base).toBe("EUR");
    expect(snap.source).toBe("ecb");
    expect(snap.rates.get("USD")?.published).toBe("1.1571");
    expect(snap.rates.get("JPY")?.asOf.toISOString()).toBe("2026-11-25T14:00:00.000Z");
    const usdPerJpy = crossRate(snap, "JPY", "USD");
    expect(formatRatio(usdPerJpy.rate, 10, "half_even")).toBe("0.0063921114"); // 1.1571 / 181.02
    expect(formatRatio(crossRate(snap, "EUR", "USD").rate, 4, "half_even")).toBe("1.1571");
  });

  test("behavior: quotes JPY and KWD from ECB rates end to end", async () => {
    ecb.override = {};
    ecb.set("2026-11-25", { USD: "1.2", JPY: "180", KWD: "0.36" });
    const deps = {
      config: { spreadBps: 0, quoteTtlSeconds: 60, maxRateAgeSeconds: 86_400, token: TUSDC },
      source: ecbRateSource({ url: ecb.dailyUrl }),
      store: memoryQuoteStore(),
      now: () => new Date("2026-11-25T16:00:00Z"),
    };
    const jpy = await createQuote(deps, { currency: "JPY", sourceAmount: "1500" }); // 1 JPY = 1/150 USD
    expect(jpy.targetUnits).toBe(10_000_000n);
    const kwd = await createQuote(deps, { currency: "KWD", targetUnits: 10_000_000n }); // 1 KWD = 10/3 USD
    expect(kwd.sourceAmount).toBe("3.000");
    expect(await deps.store.get(kwd.id)).toMatchObject({ sourceAmount: "3.000" });
  });

  test("behavior: a historical file uses its newest day", () => {
    const xml = ecbXml([
      { day: "2026-11-24", rates: { USD: "1.1" } },
      { day: "2026-11-25", rates: { USD: "1.2" } },
      { day: "2026-11-21", rates: { USD: "1.0" } },
    ]);
    expect(parseEcbXml(xml, new Date()).rates.get("USD")?.published).toBe("1.2");
  });

  test("behavior: the cache serves repeat snapshots and the last good one through an outage", async () => {
    ecb.override = {};
    let t = 0;
    const source = cachedRateSource(ecbRateSource({ url: ecb.dailyUrl }), 1_000, () => t);
    const before = ecb.requests;
    await source.snapshot();
    await source.snapshot();
    expect(ecb.requests - before).toBe(1);
    t = 5_000;
    ecb.override = { status: 503 };
    expect((await source.snapshot()).base).toBe("EUR");
    expect(ecb.requests - before).toBe(2);
    source.invalidate();
    await expect(source.snapshot()).rejects.toBeInstanceOf(RateSourceError);
  });

  test("error: stale ECB rates are refused when quoting", async () => {
    ecb.override = {};
    ecb.set("2026-11-20", { USD: "1.2" });
    const deps = {
      config: { spreadBps: 0, quoteTtlSeconds: 60, maxRateAgeSeconds: 4 * 86_400, token: TUSDC },
      source: ecbRateSource({ url: ecb.dailyUrl }),
      store: memoryQuoteStore(),
      now: () => new Date("2026-11-25T16:00:00Z"),
    };
    await expect(createQuote(deps, { currency: "EUR", sourceAmount: "1" })).rejects.toBeInstanceOf(
      StaleRateError,
    );
  });

  test("error: HTTP failure, malformed XML and bad rates are RateSourceErrors", async () => {
    const source = ecbRateSource({ url: ecb.dailyUrl });
    ecb.override = { status: 500 };
    await expect(source.snapshot()).rejects.toThrow(/HTTP 500/);
    ecb.override = { body: "<html>maintenance</html>" };
    await expect(source.snapshot()).rejects.toThrow(/no <Cube time/);
    ecb.override = { body: ecbXml([{ day: "2026-11-25", rates: { USD: "1,2" } }]) };
    await expect(source.snapshot()).rejects.toThrow(/bad rate/);
    ecb.override = {};
    await expect(ecbRateSource({ url: `${ecb.url}/missing.xml` }).snapshot()).rejects.toBeInstanceOf(
      RateSourceError,
    );
  });
});
