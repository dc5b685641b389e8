import { describe, expect, test } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

const minimal = { DATABASE_URL: "postgres://x@127.0.0.1/pier", PIER_INDEXER_SCHEMA: "pier_31337_abc" };

describe("loadConfig", () => {
  test("default: documented defaults fill in", () => {
    const c = loadConfig(minimal);
    expect(c).toMatchObject({
      host: "127.0.0.1",
      port: 4000,
      apiSchema: "pier_api",
      jobsSchema: "pier_jobs",
      feeBps: 100,
      fxRates: { USD: "1" },
      rateLimit: { max: 100, windowMs: 1000 },
      workers: true,
      benchBaseline: false,
    });
    expect(c.livemode).toBeUndefined();
    expect(c.operatorKey).toBeUndefined();
  });
  test("behavior: values are coerced and parsed", () => {
    const c = loadConfig({
      ...minimal,
      PIER_API_PORT: "4100",
      PIER_LIVEMODE: "true",
      PIER_FX_RATES: "USD=1,EUR=1.08",
    });
    expect(c.port).toBe(4100);
    expect(c.livemode).toBe(true);
    expect(c.fxRates).toEqual({ USD: "1", EUR: "1.08" });
  });
  test("error: every bad variable is named", () => {
    let error: unknown;
    try {
      loadConfig({
        PIER_INDEXER_SCHEMA: "bad-schema;drop",
        PIER_API_PORT: "http",
        PIER_OPERATOR_KEY: "0x1234",
        PIER_FX_RATES: "EUR=1,08",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of [
      "DATABASE_URL",
      "PIER_INDEXER_SCHEMA",
      "PIER_API_PORT",
      "PIER_OPERATOR_KEY",
      "PIER_FX_RATES",
    ]) {
      expect(message).toContain(name);
    }
  });
  test("error: a zero FX rate is refused", () => {
    expect(() => loadConfig({ ...minimal, PIER_FX_RATES: "USD=0" })).toThrow(/positive/);
  });
});
