import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";

/** The catalogues on disk, by language (file name without .json). */
const dir = new URL("./", import.meta.url);
const catalogues = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => [
      f.slice(0, -5),
      JSON.parse(readFileSync(new URL(f, dir), "utf8")) as Record<string, unknown>,
    ]),
);

/** Every message as "a.b.c" -> text. */
function flatten(node: Record<string, unknown>, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else if (value && typeof value === "object") {
      for (const [k, v] of flatten(value as Record<string, unknown>, path)) out.set(k, v);
    } else throw new Error(`${path}: neither a message nor a group`);
  }
  return out;
}

const variables = (text: string) =>
  new Set([...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((m) => m[1]));
const tags = (text: string) => [...text.matchAll(/<\/?([a-z0-9]+)\s*\/?>/g)].map((m) => m[0]).sort();

/** What is wrong with `other` against the English catalogue: missing and extra keys, unknown variables, tags. */
function problems(en: Map<string, string>, other: Map<string, string>): string[] {
  const out: string[] = [];
  for (const key of en.keys()) if (!other.has(key)) out.push(`missing key ${key}`);
  for (const [key, text] of other) {
    const source = en.get(key);
    if (source === undefined) {
      out.push(`extra key ${key}`);
      continue;
    }
    if (text.trim() === "") out.push(`empty message ${key}`);
    const known = variables(source);
    for (const v of variables(text)) if (!known.has(v)) out.push(`unknown variable {{${v}}} in ${key}`);
    if (tags(text).join() !== tags(source).join()) out.push(`tags of ${key} differ from English`);
  }
  return out;
}

const en = flatten(catalogues.en!);

describe("message catalogues", () => {
  test("default: every shipped language has a catalogue", () => {
    expect(Object.keys(catalogues).sort()).toEqual(["ar", "de", "en", "es", "fr", "ja", "zh-CN"]);
  });

  for (const lng of Object.keys(catalogues).filter((l) => l !== "en")) {
    test(`behavior: ${lng} has exactly the English keys, variables and tags`, () => {
      expect(problems(en, flatten(catalogues[lng]!))).toEqual([]);
    });
  }

  test("error: a missing key, an extra key, an unknown variable and a lost tag are each reported", () => {
    const source = new Map([
      ["a", "Pay {{amount}}"],
      ["b", "Until <strong>{{date}}</strong>"],
      ["c", "Hello"],
    ]);
    const broken = new Map([
      ["a", "Payer {{montant}}"],
      ["b", "Jusqu'au {{date}}"],
      ["d", "Bonjour"],
    ]);
    expect(problems(source, broken)).toEqual([
      "missing key c",
      "unknown variable {{montant}} in a",
      "tags of b differ from English",
      "extra key d",
    ]);
  });
});
