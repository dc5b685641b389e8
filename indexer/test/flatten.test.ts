/**
 * lib/flatten.mjs, which lib/resolve-hooks.mjs (installed by start.mjs) uses to load viem, kysely and
 * @graphql-tools/utils from bundles: each entry exports what it exported, a module shared by entries
 * exists once, what the bundle imports from elsewhere is the very module Node would load, and a package
 * it cannot bundle faithfully is refused.
 * Bundles are imported by plain Node in a child process, as the hooks load them.
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
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const FLATTEN = fileURLToPath(new URL("../lib/flatten.mjs", import.meta.url));
// Inside the indexer package, so that a bare import in a test tree finds its node_modules.
const cache = fileURLToPath(new URL("../node_modules/.cache/", import.meta.url));
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, "pier-flatten-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles `entries` into `out` as the hooks do. */
function flatten(out: string, ...entries: string[]) {
  return spawnSync(
    process.execPath,
    ["--experimental-import-meta-resolve", "--no-warnings", FLATTEN, out, ...entries],
    { encoding: "utf8", timeout: 120_000 },
  );
}

/** Runs an ES module source in plain Node and returns what it printed as JSON. */
function runModule(source: string): unknown {
  const run = spawnSync(
    process.execPath,
    ["--experimental-import-meta-resolve", "--no-warnings", "--input-type=module", "-e", source],
    { encoding: "utf8", timeout: 60_000 },
  );
  if (run.status !== 0) throw new Error(`node exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** The ESM entry of a package subpath, as Node resolves an import of it. */
function esmEntry(packageDir: string, subpath: string): string {
  const root = realpathSync(packageDir);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const target = pkg.exports[subpath];
  return join(root, typeof target === "string" ? target : target.import);
}

const url = (path: string) => JSON.stringify(pathToFileURL(path).href);
const indexerModules = fileURLToPath(new URL("../node_modules/", import.meta.url));
const ponderModules = join(realpathSync(join(indexerModules, "ponder")), "..");

describe("flatten", () => {
  it("viem: each entry's exports, one copy of what entries share, abitype as Node loads it", () => {
    const viem = join(indexerModules, "viem");
    const entries = [".", "./chains", "./utils"].map((subpath) => esmEntry(viem, subpath));
    const out = join(dir, "viem");
    const run = flatten(out, ...entries);
    expect(run.status, run.stderr).toBe(0);
    const result = runModule(`
      const names = (m) => Object.keys(m).sort().join();
      const flat = await Promise.all([0, 1, 2].map((i) => import(${url(out)} + "/" + i + ".mjs")));
      const real = await Promise.all(${JSON.stringify(entries.map((e) => pathToFileURL(e).href))}.map((u) => import(u)));
      const shared = Object.keys(flat[2]).filter((k) => k in flat[0] && typeof flat[0][k] === "function");
      const abitype = await import(import.meta.resolve("abitype", ${url(entries[0]!)}));
      console.log(JSON.stringify({
        sameNames: flat.map((m, i) => names(m) === names(real[i])),
        shared: shared.length,
        sameShared: shared.every((k) => flat[0][k] === flat[2][k]),
        mainnet: [flat[1].mainnet.id, flat[1].mainnet.name],
        parseAbi: flat[0].parseAbi === abitype.parseAbi,
        address: flat[0].getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3"),
      }));
    `);
    expect(result).toMatchObject({
      sameNames: [true, true, true],
      sameShared: true,
      mainnet: [1, "Ethereum"],
      parseAbi: true,
      address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    });
    // e.g. formatBlock, getAddress, keccak256: the same function object from either entry.
    expect((result as { shared: number }).shared).toBeGreaterThan(100);
  });

  it("kysely: the same exports, and queries compile as before", () => {
    const entry = esmEntry(join(ponderModules, "kysely"), ".");
    const out = join(dir, "kysely");
    const run = flatten(out, entry);
    expect(run.status, run.stderr).toBe(0);
    const compile = (from: string) => `
      { const { Kysely, PostgresAdapter, PostgresQueryCompiler, DummyDriver, PostgresIntrospector } = await import(${from});
        const db = new Kysely({ dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(),
          createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() } });
        out.push(db.selectFrom("t").select(["a", "b"]).where("a", "=", 1).compile()); }`;
    const result = runModule(`
      const out = [];
      ${compile(url(join(out, "0.mjs")))}
      ${compile(url(entry))}
      const names = (m) => Object.keys(m).sort().join();
      const flat = await import(${url(join(out, "0.mjs"))});
      const real = await import(${url(entry)});
      console.log(JSON.stringify({ sameNames: names(flat) === names(real), flat: out[0], real: out[1] }));
    `) as { sameNames: boolean; flat: { sql: string }; real: { sql: string } };
    expect(result.sameNames).toBe(true);
    expect(result.flat.sql).toBe('select "a", "b" from "t" where "a" = $1');
    expect(result.flat).toEqual(result.real);
  });

  it("a relative import leaving the folder and a bare one stay those files: one module instance each", () => {
    const tree = join(dir, "tree");
    mkdirSync(join(tree, "lib"), { recursive: true });
    writeFileSync(join(tree, "shared.mjs"), "export const state = { n: 0 };\n");
    writeFileSync(join(tree, "lib", "inner.mjs"), "export const inner = { name: 'inner' };\n");
    writeFileSync(
      join(tree, "lib", "a.mjs"),
      "export { inner } from './inner.mjs';\nexport { state } from '../shared.mjs';\nexport { keccak256 } from 'viem';\n",
    );
    writeFileSync(join(tree, "lib", "b.mjs"), "export { inner } from './inner.mjs';\n");
    const out = join(dir, "tree-out");
    const run = flatten(out, join(tree, "lib", "a.mjs"), join(tree, "lib", "b.mjs"));
    expect(run.status, run.stderr).toBe(0);
    const text = ["0.mjs", "1.mjs"].map((f) => readFileSync(join(out, f), "utf8")).join("\n");
    expect(text).toContain(pathToFileURL(join(tree, "shared.mjs")).href);
    expect(text).toMatch(/from "file:\/\/\/[^"]*\/viem\/_esm\/index\.js"/);
    const result = runModule(`
      const a = await import(${url(join(out, "0.mjs"))});
      const b = await import(${url(join(out, "1.mjs"))});
      const shared = await import(${url(join(tree, "shared.mjs"))});
      const viem = await import(import.meta.resolve("viem", ${url(join(tree, "lib", "a.mjs"))}));
      console.log(JSON.stringify({ state: a.state === shared.state, inner: a.inner === b.inner, viem: a.keccak256 === viem.keccak256 }));
    `);
    expect(result).toEqual({ state: true, inner: true, viem: true });
  });

  it("error: a module that reads import.meta is refused and nothing is written", () => {
    const tree = join(dir, "meta");
    mkdirSync(tree, { recursive: true });
    writeFileSync(join(tree, "entry.mjs"), "export const here = new URL('.', import.meta.url).href;\n");
    const out = join(dir, "meta-out");
    const run = flatten(out, join(tree, "entry.mjs"));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("a bundled module reads import.meta");
    expect(existsSync(out)).toBe(false);
  });
});
