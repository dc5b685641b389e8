import { describe, expect, test } from "vitest";
import type { ChainContext } from "../chain/chainContext.ts";
import { loadConfig } from "../config.ts";
import { createFiat, createFx } from "./fiatContext.ts";

const minimal = { DATABASE_URL: "postgres://x@127.0.0.1/pier", PIER_INDEXER_SCHEMA: "pier_31337_abc" };
const token = {
  address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  symbol: "USDC",
  decimals: 6,
  peg: "USD",
  methods: ["authorization"],
} as const satisfies ChainContext["token"];
const chain = (livemode: boolean) => ({ livemode, token }) as Pick<ChainContext, "livemode" | "token">;
const pool = {} as never;

describe("createFx", () => {
  test("error: live mode refuses the sandbox rate source, default or explicit, naming the fix", () => {
    for (const env of [minimal, { ...minimal, PIER_FX_SOURCE: "sandbox" }])
      expect(() => createFx(loadConfig(env), chain(true), pool)).toThrow(
        /PIER_FX_SOURCE=sandbox .* refused in live mode: set PIER_FX_SOURCE=ecb, or file/,
      );
  });

  test("behavior: live mode takes a real source; test mode defaults to the sandbox rates; the token comes from the chain", () => {
    expect(createFx(loadConfig({ ...minimal, PIER_FX_SOURCE: "ecb" }), chain(true), pool).source.name).toBe(
      "ecb",
    );
    // The peg is the network's token's (PIER_TOKEN_PEG or its networks file entry), not the config's own.
    const eurc = { livemode: false, token: { ...token, symbol: "EURC", peg: "EUR" } };
    const fx = createFx(loadConfig({ ...minimal, PIER_TOKEN_PEG: "USD" }), eurc, pool);
    expect(fx.source.name).toBe("sandbox:rates.sandbox.json");
    expect(fx.config.token).toEqual({ symbol: "EURC", decimals: 6, peggedTo: "EUR" });
  });
});

describe("createFiat", () => {
  test("behavior: off without a provider or without a treasury on this chain, with the reason", () => {
    const sandbox = {
      ...minimal,
      PIER_SANDBOX_API_KEY: "sbx_sk_0123456789abcdef",
      PIER_SANDBOX_WEBHOOK_SECRET: "sbx_whsec_0123456789ab",
    };
    expect(createFiat(loadConfig(minimal), { signers: {} as never })).toEqual({
      reason: "no fiat wallet provider is configured (PIER_SANDBOX_API_KEY is unset)",
    });
    expect(createFiat(loadConfig(sandbox), { signers: {} as never }).reason).toMatch(/PIER_TREASURY_KEY/);
    const on = createFiat(loadConfig(sandbox), { signers: { treasury: {}, bridge: "0x1" } as never });
    expect(on.provider?.name).toBe("sandbox");
  });
});
