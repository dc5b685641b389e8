/**
 * lib/flatten.mjs, which start.mjs uses to load viem/chains and kysely from one file each: the bundle
 * exports what the tree exports, imports outside its folder stay the very same modules, and a tree it
 * cannot bundle faithfully is refused. Bundles are imported by plain Node in a child process, as
 * start.mjs loads them.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const FLATTEN = fileURLToPath(new URL("../lib/flatten.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "pier-flatten-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function flatten(entry: string, out: string) {
  return spawnSync(process.execPath, [FLATTEN, entry, out], { encoding: "utf8", timeout: 120_000 });
}

/** Runs an ES module source in plain Node and returns what it printed as JSON. */
function runModule(source: string): unknown {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", source], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`node exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** The ESM entry of a package subpath, as Node resolves an import of it. */
function esmEntry(packageDir: string, subpath: string): string {
  const root = realpathSync(packageDir);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return join(root, pkg.exports[subpath].import);
}

const indexerModules = fileURLToPath(new URL("../node_modules/", import.meta.url));

describe("flatten", () => {
  it("viem/chains: the same exports, and what it imports from the rest of viem is viem's own module", () => {
    const entry = esmEntry(join(indexerModules, "viem"), "./chains");
    const out = join(dir, "viem-chains.mjs");
    const run = flatten(entry, out);
    expect(run.status, run.stderr).toBe(0);
    const result = runModule(`
      const flat = await import(${JSON.stringify(pathToFileURL(out).href)});
      const real = await import(${JSON.stringify(pathToFileURL(entry).href)});
      const names = (m) => Object.keys(m).sort();
      console.log(JSON.stringify({
        sameNames: JSON.stringify(names(flat)) === JSON.stringify(names(real)),
        chains: names(flat).length,
        mainnet: [flat.mainnet.id, flat.mainnet.name],
        base: flat.base.id,
        // Base's formatters live in viem/op-stack, outside the folder: one module, one object.
        sameFormatters: flat.base.formatters === real.base.formatters && flat.base.formatters !== undefined,
      }));
    `);
    expect(result).toMatchObject({
      sameNames: true,
      mainnet: [1, "Ethereum"],
      base: 8453,
      sameFormatters: true,
    });
    expect((result as { chains: number }).chains).toBeGreaterThan(500);
  });

  it("kysely: the same exports, and queries compile as before", () => {
    const ponderModules = join(realpathSync(join(indexerModules, "ponder")), "..");
    const entry = esmEntry(join(ponderModules, "kysely"), ".");
    const out = join(dir, "kysely.mjs");
    const run = flatten(entry, out);
    expect(run.status, run.stderr).toBe(0);
    const compile = (url: string) => `
      { const { Kysely, PostgresAdapter, PostgresQueryCompiler, DummyDriver, PostgresIntrospector } = await import(${JSON.stringify(url)});
        const db = new Kysely({ dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(),
          createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() } });
        out.push(db.selectFrom("t").select(["a", "b"]).where("a", "=", 1).compile()); }`;
    const result = runModule(`
      const out = [];
      ${compile(pathToFileURL(out).href)}
      ${compile(pathToFileURL(entry).href)}
      const names = (m) => Object.keys(m).sort().join();
      const flat = await import(${JSON.stringify(pathToFileURL(out).href)});
      const real = await import(${JSON.stringify(pathToFileURL(entry).href)});
      console.log(JSON.stringify({ sameNames: names(flat) === names(real), flat: out[0], real: out[1] }));
    `) as { sameNames: boolean; flat: { sql: string }; real: { sql: string } };
    expect(result.sameNames).toBe(true);
    expect(result.flat.sql).toBe('select "a", "b" from "t" where "a" = $1');
    expect(result.flat).toEqual(result.real);
  });

  it("a relative import leaving the folder stays that file: one module instance", () => {
    const tree = join(dir, "tree");
    mkdirSync(join(tree, "lib"), { recursive: true });
    writeFileSync(join(tree, "shared.mjs"), "export const state = { n: 0 };\n");
    writeFileSync(join(tree, "lib", "inner.mjs"), "export const inner = 'inner';\n");
    writeFileSync(
      join(tree, "lib", "entry.mjs"),
      "export { inner } from './inner.mjs';\nexport { state } from '../shared.mjs';\n",
    );
    const out = join(dir, "tree.mjs");
    expect(flatten(join(tree, "lib", "entry.mjs"), out).status).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).toContain('"inner"'); // inlined
    expect(text).toContain(pathToFileURL(join(tree, "shared.mjs")).href);
    const result = runModule(`
      const flat = await import(${JSON.stringify(pathToFileURL(out).href)});
      const shared = await import(${JSON.stringify(pathToFileURL(join(tree, "shared.mjs")).href)});
      console.log(JSON.stringify({ same: flat.state === shared.state, inner: flat.inner }));
    `);
    expect(result).toEqual({ same: true, inner: "inner" });
  });

  it("error: a bare import (another package) is refused and nothing is written", () => {
    const tree = join(dir, "bare");
    mkdirSync(tree, { recursive: true });
    writeFileSync(join(tree, "entry.mjs"), "export { parse } from 'some-package';\n");
    const out = join(dir, "bare.mjs");
    const run = flatten(join(tree, "entry.mjs"), out);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('bare import "some-package"');
    expect(existsSync(out)).toBe(false);
  });
});
