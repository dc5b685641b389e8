/**
 * Writes the configuration reference from the schemas (the only place variables are described):
 * docs/configuration.md (a table per component) and .env.example (every variable, commented). A test
 * (test/system/configReference.test.ts) fails when either is out of date.
 *
 *   pnpm exec tsx scripts/config-reference.ts          write both files
 *   pnpm exec tsx scripts/config-reference.ts --check  exit 1 when they differ from the schemas
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TObject, TSchema } from "typebox";
import { API_CONFIG_SECTIONS } from "../api/src/config.ts";
import { OTHER_CONFIG_SECTIONS } from "./lib/envSchemas.ts";

const root = new URL("..", import.meta.url).pathname;
export const REFERENCE_FILES = { markdown: "docs/configuration.md", envExample: ".env.example" } as const;

interface Variable {
  name: string;
  required: boolean;
  default?: string;
  allowed: string;
  description: string;
}

const sections = () => [
  ...API_CONFIG_SECTIONS.map((s) => ({ ...s, title: `API: ${s.title}` })),
  ...OTHER_CONFIG_SECTIONS,
];

/** Every variable of a schema, in order; a variable documented in an earlier section is listed once. */
function variablesOf(schema: TObject, seen: Set<string>): Variable[] {
  const required = new Set<string>(schema.required ?? []);
  const out: Variable[] = [];
  for (const [name, prop] of Object.entries(schema.properties)) {
    if (seen.has(name)) continue;
    seen.add(name);
    const p = prop as TSchema & Record<string, unknown>;
    const description = typeof p.description === "string" ? p.description : "";
    if (!description) throw new Error(`${name} has no description in its schema`);
    out.push({
      name,
      required: required.has(name) && p.default === undefined,
      default: p.default === undefined ? undefined : String(p.default),
      allowed: allowedOf(p),
      description,
    });
  }
  return out;
}

function allowedOf(p: Record<string, unknown>): string {
  const literals = (p.anyOf as { const?: unknown }[] | undefined)
    ?.map((a) => a.const)
    .filter((c) => c !== undefined);
  if (literals?.length) return literals.map(String).join(" \\| ");
  if (p.type === "integer")
    return `integer${p.minimum !== undefined ? ` ${p.minimum}` : ""}${p.maximum !== undefined ? `..${p.maximum}` : ""}`;
  if (typeof p.pattern === "string") return `pattern \`${p.pattern.replaceAll("|", "\\|")}\``;
  return "string";
}

export function renderReference(): { markdown: string; envExample: string } {
  const seen = new Set<string>();
  const parts = sections().map((s) => ({ title: s.title, variables: variablesOf(s.schema, seen) }));
  const md = [
    "# Configuration reference",
    "",
    "Generated from the schemas by `scripts/config-reference.ts`; do not edit (a test fails when it is out of",
    "date). Every process validates its variables at start and names each bad one. Secrets come only from",
    "the environment; the public Hardhat dev keys are defaults on the local chain (31337) only.",
    "",
  ];
  for (const s of parts) {
    md.push(`## ${s.title}`, "", "| variable | default | allowed | what |", "|---|---|---|---|");
    for (const v of s.variables)
      md.push(
        `| \`${v.name}\` | ${v.required ? "**required**" : v.default !== undefined ? `\`${v.default}\`` : ""} | ${v.allowed} | ${v.description.replaceAll("|", "\\|")} |`,
      );
    md.push("");
  }
  const env = [
    "# Pier configuration: every variable of every process, generated from the schemas by",
    "# scripts/config-reference.ts (do not edit; docs/configuration.md is the same as tables). Every variable",
    "# is optional for ./scripts/dev and ./scripts/test on the local chain; production sets the secrets.",
    "",
  ];
  for (const s of parts) {
    env.push(`# --- ${s.title} ${"-".repeat(Math.max(3, 96 - s.title.length))}`);
    for (const v of s.variables) {
      for (const line of wrap(v.description + (v.required ? " (required)" : ""), 96)) env.push(`# ${line}`);
      env.push(
        `${v.name}=${v.default !== undefined && /^[^\s"]*$/.test(v.default) ? v.default : v.default !== undefined ? JSON.stringify(v.default) : ""}`,
      );
    }
    env.push("");
  }
  return { markdown: `${md.join("\n").trimEnd()}\n`, envExample: `${env.join("\n").trimEnd()}\n` };
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rendered = renderReference();
  const check = process.argv.includes("--check");
  let stale = false;
  for (const [key, path] of Object.entries(REFERENCE_FILES) as [keyof typeof REFERENCE_FILES, string][]) {
    const file = join(root, path);
    if (check) {
      const current = await readFile(file, "utf8").catch(() => "");
      if (current !== rendered[key]) {
        stale = true;
        console.error(`${path} is out of date: run pnpm exec tsx scripts/config-reference.ts`);
      }
    } else {
      await writeFile(file, rendered[key]);
      console.log(`wrote ${path}`);
    }
  }
  if (stale) process.exit(1);
}
