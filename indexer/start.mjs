/**
 * Starts Ponder's CLI in this process (`node start.mjs start ...`, the arguments of `ponder`) with two
 * start-up savings that Ponder cannot switch on itself, since both must be in place before its modules
 * load. scripts/lib/indexer.ts launches the indexer this way; production can too (docs/going-live.md).
 *
 * - Node's compile cache: module code compiled at one start is reused by the next (in the OS temp dir).
 * - Each bare import (`drizzle-orm/pg-core`) is resolved once per importing directory: Node 22 re-reads
 *   and re-parses a package's `exports` map on every import of it, and drizzle-orm's is 175 KB, imported
 *   by dozens of Ponder's modules (~0.3 s of CPU per start). The answer only depends on the specifier,
 *   the importing file's directory and the conditions, so it is kept under exactly those.
 */
import module from "node:module";

module.enableCompileCache?.();

const resolved = new Map();
module.registerHooks?.({
  resolve(specifier, context, nextResolve) {
    const bare = !/^[./#]|^[a-z]+:/.test(specifier);
    if (!bare || !context.parentURL) return nextResolve(specifier, context);
    const dir = context.parentURL.slice(0, context.parentURL.lastIndexOf("/"));
    const key = `${specifier}\0${dir}\0${context.conditions?.join(",") ?? ""}`;
    let hit = resolved.get(key);
    if (!hit) {
      hit = nextResolve(specifier, context);
      resolved.set(key, hit);
    }
    return { ...hit, shortCircuit: true };
  },
});

// Ponder's package exports do not expose its CLI: load the file through this package's node_modules.
await import(new URL("./node_modules/ponder/dist/esm/bin/ponder.js", import.meta.url).href);
