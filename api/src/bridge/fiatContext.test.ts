import { describe, expect, test } from "vitest";
import type { AppContext } from "../context.ts";
import { loadFiat } from "./fiatContext.ts";

/** Only what loadFiat reads before it builds a provider. */
function contextFor(livemode: boolean): AppContext {
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  return { chain: { livemode, signers: {} }, pool: {}, log } as unknown as AppContext;
}

describe("loadFiat", () => {
  test("error: live mode refuses the sandbox rate source, default or explicit, naming the fix", () => {
    for (const env of [{}, { PIER_FX_SOURCE: "sandbox" }])
      expect(() => loadFiat(contextFor(true), env)).toThrow(
        /PIER_FX_SOURCE=sandbox .* refused in live mode: set PIER_FX_SOURCE=ecb, or file/,
      );
  });

  test("behavior: live mode takes a real source; test mode defaults to the sandbox rates", () => {
    expect(loadFiat(contextFor(true), { PIER_FX_SOURCE: "ecb" }).fx.source.name).toBe("ecb");
    expect(loadFiat(contextFor(false), {}).fx.source.name).toBe("sandbox:rates.sandbox.json");
  });
});
