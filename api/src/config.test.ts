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
      tokenPeg: "USD",
      fx: { source: "sandbox", spreadBps: 50 },
      fiat: { name: "sandbox", off: "no fiat wallet provider is configured (PIER_SANDBOX_API_KEY is unset)" },
      rateLimit: { max: 100, windowMs: 1000 },
      workers: true,
    });
    expect(c.livemode).toBeUndefined();
    expect(c.operatorKey).toBeUndefined();
  });
  test("behavior: values are coerced and parsed", () => {
    const c = loadConfig({
      ...minimal,
      PIER_API_PORT: "4100",
      PIER_LIVEMODE: "true",
      PIER_TOKEN_PEG: "EUR",
      PIER_FX_SOURCE: "ecb",
    });
    expect(c.port).toBe(4100);
    expect(c.livemode).toBe(true);
    expect(c.tokenPeg).toBe("EUR");
    expect(c.fx.source).toBe("ecb");
  });
  test("error: every bad variable is named", () => {
    let error: unknown;
    try {
      loadConfig({
        PIER_INDEXER_SCHEMA: "bad-schema;drop",
        PIER_API_PORT: "http",
        PIER_OPERATOR_KEY: "0x1234",
        PIER_TOKEN_PEG: "euro",
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
      "PIER_TOKEN_PEG",
    ]) {
      expect(message).toContain(name);
    }
  });
  test("error: FX and fiat provider settings are validated with the rest, at load", () => {
    expect(() => loadConfig({ ...minimal, PIER_FX_SOURCE: "file" })).toThrow(
      /PIER_FX_RATES_FILE is required/,
    );
    expect(() => loadConfig({ ...minimal, PIER_FIAT_PROVIDER: "paypal" })).toThrow(/PAYPAL_CLIENT_ID/);
    expect(
      loadConfig({
        ...minimal,
        PIER_SANDBOX_API_KEY: "sbx_sk_0123456789abcdef",
        PIER_SANDBOX_WEBHOOK_SECRET: "sbx_whsec_0123456789ab",
      }).fiat,
    ).toMatchObject({ name: "sandbox", settings: { apiKey: "sbx_sk_0123456789abcdef" } });
  });
  test("error: a token peg outside ISO 4217 codes' shape is refused, naming the variable", () => {
    expect(() => loadConfig({ ...minimal, PIER_TOKEN_PEG: "usd" })).toThrow(/PIER_TOKEN_PEG/);
  });
  test("behavior: the transaction sender's settings, with the fee cap in exact wei", () => {
    expect(loadConfig(minimal).txSender).toEqual({
      maxInFlight: 16,
      bumpAfterBlocks: 3,
      maxFeePerGas: 500_000_000_000n,
      stuckAfterSeconds: 300,
      pollIntervalMs: undefined,
    });
    const c = loadConfig({
      ...minimal,
      PIER_TX_MAX_IN_FLIGHT: "4",
      PIER_TX_BUMP_AFTER_BLOCKS: "1",
      PIER_TX_MAX_FEE_GWEI: "0.015",
      PIER_TX_STUCK_AFTER_SECONDS: "60",
      PIER_TX_POLL_INTERVAL_MS: "250",
    });
    expect(c.txSender).toEqual({
      maxInFlight: 4,
      bumpAfterBlocks: 1,
      maxFeePerGas: 15_000_000n,
      stuckAfterSeconds: 60,
      pollIntervalMs: 250,
    });
  });
  test("error: a fee cap that is zero, negative or too precise is refused", () => {
    expect(() => loadConfig({ ...minimal, PIER_TX_MAX_FEE_GWEI: "0" })).toThrow(/PIER_TX_MAX_FEE_GWEI/);
    expect(() => loadConfig({ ...minimal, PIER_TX_MAX_FEE_GWEI: "-1" })).toThrow(/PIER_TX_MAX_FEE_GWEI/);
    expect(() => loadConfig({ ...minimal, PIER_TX_MAX_FEE_GWEI: "1.0000000001" })).toThrow(
      /PIER_TX_MAX_FEE_GWEI/,
    );
    expect(() => loadConfig({ ...minimal, PIER_TX_MAX_IN_FLIGHT: "0" })).toThrow(/PIER_TX_MAX_IN_FLIGHT/);
  });

  test("behavior: roles given by address sign through PIER_SIGNER_URL; unset: no remote signer", () => {
    expect(loadConfig(minimal).remoteSigner).toBeUndefined();
    const c = loadConfig({
      ...minimal,
      PIER_SIGNER_URL: "https://signer.internal:9000",
      PIER_SIGNER_AUTH: "Bearer s3cret",
      PIER_OPERATOR_ADDRESS: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      PIER_KEEPER_KEY: `0x${"11".repeat(32)}`,
      PIER_TREASURY_ADDRESS: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
      PIER_BRIDGE_ADDRESS: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
      PIER_BRIDGE_REMOTE: "true",
    });
    expect(c.remoteSigner).toEqual({
      url: "https://signer.internal:9000",
      auth: "Bearer s3cret",
      timeoutMs: 10_000,
      operator: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      treasury: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
      bridge: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
    });
    expect(c.keeperKey).toBe(`0x${"11".repeat(32)}`);
  });
  test("error: a role with both a key and an address, or an address without a signer, is refused", () => {
    const address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const key = `0x${"11".repeat(32)}`;
    const both = () =>
      loadConfig({
        ...minimal,
        PIER_SIGNER_URL: "http://127.0.0.1:9000",
        PIER_OPERATOR_KEY: key,
        PIER_OPERATOR_ADDRESS: address,
      });
    expect(both).toThrow(ConfigError);
    expect(both).toThrow(/PIER_OPERATOR_KEY and PIER_OPERATOR_ADDRESS are both set/);
    expect(() => loadConfig({ ...minimal, PIER_ARBITER_ADDRESS: address })).toThrow(
      /PIER_ARBITER_ADDRESS needs PIER_SIGNER_URL/,
    );
    expect(() => loadConfig({ ...minimal, PIER_BRIDGE_REMOTE: "true" })).toThrow(
      /PIER_BRIDGE_REMOTE=true needs PIER_BRIDGE_ADDRESS/,
    );
    expect(() =>
      loadConfig({
        ...minimal,
        PIER_SIGNER_URL: "http://127.0.0.1:9000",
        PIER_BRIDGE_REMOTE: "true",
        PIER_BRIDGE_ADDRESS: address,
        PIER_BRIDGE_KEY: key,
      }),
    ).toThrow(/PIER_BRIDGE_KEY and PIER_BRIDGE_REMOTE=true are both set/);
    expect(() => loadConfig({ ...minimal, PIER_SIGNER_URL: "ftp://signer" })).toThrow(/PIER_SIGNER_URL/);
  });

  test("behavior: PIER_PAYMASTER_URL is kept as given; unset: none", () => {
    expect(loadConfig(minimal).paymasterUrl).toBeUndefined();
    const url = "https://api.developer.coinbase.com/rpc/v1/base-sepolia/public-key";
    expect(loadConfig({ ...minimal, PIER_PAYMASTER_URL: url }).paymasterUrl).toBe(url);
    expect(
      loadConfig({ ...minimal, PIER_PAYMASTER_URL: "http://127.0.0.1:3000/paymaster" }).paymasterUrl,
    ).toBe("http://127.0.0.1:3000/paymaster");
  });
  test.each([
    [
      "another scheme",
      "wss://paymaster.example/rpc",
      /PIER_PAYMASTER_URL must be an http\(s\) URL, not wss:\/\//,
    ],
    ["no scheme", "paymaster.example/rpc", /PIER_PAYMASTER_URL must be an absolute http\(s\) URL/],
    ["a script", "javascript:alert(1)", /PIER_PAYMASTER_URL must be an absolute http\(s\) URL/],
    ["a space", "https://paymaster.example/a b", /PIER_PAYMASTER_URL must be an absolute http\(s\) URL/],
    ["no host", "https://", /PIER_PAYMASTER_URL must be an absolute http\(s\) URL/],
  ])("error: a PIER_PAYMASTER_URL with %s is refused at load, naming it", (_name, value, message) => {
    expect(() => loadConfig({ ...minimal, PIER_PAYMASTER_URL: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...minimal, PIER_PAYMASTER_URL: value })).toThrow(message);
  });

  test("behavior: PIER_API_PUBLIC_URL loses a trailing slash; unset: none", () => {
    expect(loadConfig(minimal).apiPublicUrl).toBeUndefined();
    const c = loadConfig({ ...minimal, PIER_API_PUBLIC_URL: "https://pay.example.com/" });
    expect(c.apiPublicUrl).toBe("https://pay.example.com");
    expect(() => loadConfig({ ...minimal, PIER_API_PUBLIC_URL: "pay.example.com" })).toThrow(
      /PIER_API_PUBLIC_URL must be an absolute http\(s\) URL/,
    );
  });

  test("behavior: PIER_METRICS_TOKEN is kept; unset: none; a short one is refused, naming it", () => {
    expect(loadConfig(minimal).metricsToken).toBeUndefined();
    const token = "m".repeat(24);
    expect(loadConfig({ ...minimal, PIER_METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(() => loadConfig({ ...minimal, PIER_METRICS_TOKEN: "short" })).toThrow(/PIER_METRICS_TOKEN/);
  });
});
