/** src/generated/ is exactly what `pnpm generate` writes for the committed document (client.test.ts checks the document against the API). */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { enumModule } from "../scripts/enumModule.ts";
import { generatedFiles } from "../scripts/generatedFiles.ts";
import { API_KEY_SCOPES, EVENT_TYPES } from "./generated/enums.ts";
import type { Checkout } from "./types.ts";

const read = (name: string) => readFileSync(new URL(`generated/${name}`, import.meta.url), "utf8");

describe("generated files", () => {
  test("default: schema.ts and enums.ts are what generate.ts writes for openapi.json", async () => {
    const files = await generatedFiles(JSON.parse(read("openapi.json")));
    for (const [name, text] of Object.entries(files))
      expect(
        read(name),
        `${name}: run \`pnpm --filter @pier/client generate\` and commit src/generated/`,
      ).toBe(text);
  });

  test("behavior: the enum lists hold the API's values, without the wildcard", () => {
    expect(EVENT_TYPES).toContain("order.escrowed");
    expect(EVENT_TYPES).not.toContain("*");
    expect(API_KEY_SCOPES).toContain("keys:write");
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
  });

  test("behavior: addresses, hashes and signatures are 0x-prefixed string types", () => {
    const escrow: Checkout["escrow"] = "0x0000000000000000000000000000000000000001";
    // @ts-expect-error a plain string is not an address
    const wrong: Checkout["escrow"] = "escrow";
    expect([escrow, wrong]).toHaveLength(2);
  });

  test("error: a document without the enum is refused, not read as an empty list", () => {
    expect(() => enumModule({ paths: {} })).toThrow(/no string enum at POST \/v1\/webhook_endpoints/);
  });
});
