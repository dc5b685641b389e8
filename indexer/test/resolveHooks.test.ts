/**
 * lib/resolve-hooks.mjs, as start.mjs installs it for the indexer's process: a flattened package is one
 * module whether a file imports it by name (as Ponder does) or by the path of its entry file (as vite-node
 * does for the indexer's own config and handlers), and any other file of the package loads as it is.
 * Run in a child Node process, since the hooks change how that whole process resolves.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const HOOKS = fileURLToPath(new URL("../lib/resolve-hooks.mjs", import.meta.url));
// Inside the indexer package, so that the probe's bare imports find the indexer's node_modules.
const cache = fileURLToPath(new URL("../node_modules/.cache/", import.meta.url));
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, "pier-resolve-hooks-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const viemRoot = realpathSync(fileURLToPath(new URL("../node_modules/viem", import.meta.url)));
const viemExports = JSON.parse(readFileSync(join(viemRoot, "package.json"), "utf8")).exports;
/** viem's ESM entry file, as Node resolves `import "viem"` without the hooks. */
const viemEntry = join(viemRoot, viemExports["."].import);
/** A file of viem that is not an entry of its group. */
const viemInner = join(dirname(viemEntry), "utils", "address", "getAddress.js");

/** Runs `body` in a Node process with the hooks installed; returns what it printed as JSON. */
function probe(body: string): Record<string, unknown> {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    file,
    `import { registerResolveHooks } from ${JSON.stringify(HOOKS)};\nregisterResolveHooks();\n${body}\n`,
  );
  const run = spawnSync(process.execPath, ["--no-warnings", file], { encoding: "utf8", timeout: 90_000 });
  if (run.status !== 0) throw new Error(`node exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe("resolve hooks", () => {
  it("a flattened package imported by name, by its entry's path or its file URL is one module: the bundle", () => {
    const result = probe(`
      const byName = await import("viem");
      const byPath = await import(${JSON.stringify(viemEntry)});
      const byUrl = await import(${JSON.stringify(`file://${viemEntry}`)});
      console.log(JSON.stringify({
        resolved: import.meta.resolve("viem"),
        samePath: byName === byPath,
        sameUrl: byName === byUrl,
        address: byPath.getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3"),
      }));
    `);
    expect(result.resolved).toMatch(/\/pier-indexer-flattened\/[0-9a-f]+\/0\.mjs$/);
    expect(result).toMatchObject({
      samePath: true,
      sameUrl: true,
      address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    });
  }, 120_000);

  it("any other file of the package, and an entry's path before anything imported the package, load as they are", () => {
    const result = probe(`
      const early = await import(${JSON.stringify(viemEntry)});
      const byName = await import("viem");
      const inner = await import(${JSON.stringify(viemInner)});
      console.log(JSON.stringify({
        earlyIsBundle: early === byName,
        innerIsBundle: inner.getAddress === byName.getAddress,
        innerWorks: inner.getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3"),
      }));
    `);
    expect(result).toEqual({
      earlyIsBundle: false,
      innerIsBundle: false,
      innerWorks: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    });
  }, 120_000);
});
