/**
 * docs/configuration.md and .env.example are generated from the configuration schemas: this fails when
 * a variable was added, removed or re-described without regenerating them (pnpm exec tsx
 * scripts/config-reference.ts), and when a variable has no description.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { REFERENCE_FILES, renderReference } from "../../scripts/config-reference.ts";

const root = new URL("../..", import.meta.url).pathname;

test("default: the committed configuration reference is the one the schemas generate", async () => {
  const rendered = renderReference();
  for (const [key, path] of Object.entries(REFERENCE_FILES) as [keyof typeof REFERENCE_FILES, string][])
    expect(
      await readFile(join(root, path), "utf8"),
      `${path}: run pnpm exec tsx scripts/config-reference.ts`,
    ).toBe(rendered[key]);
});

test("behavior: every variable the API validates is in the reference, once", () => {
  const { markdown } = renderReference();
  const names = [...markdown.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
  expect(new Set(names).size).toBe(names.length);
  for (const name of [
    "DATABASE_URL",
    "PIER_TOKEN_PEG",
    "PIER_FX_SOURCE",
    "PAYPAL_CLIENT_ID",
    "PIER_TX_MAX_FEE_GWEI",
  ])
    expect(names).toContain(name);
  for (const gone of ["PIER_FX_RATES", "PIER_FX_TOKEN_SYMBOL", "PIER_FX_TOKEN_DECIMALS"])
    expect(names).not.toContain(gone);
});
