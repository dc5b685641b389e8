/**
 * Starts Ponder's CLI in this process (`node start.mjs start ...`, the arguments of `ponder`) with two
 * start-up savings that Ponder cannot switch on itself, since both must be in place before its modules
 * load. scripts/lib/indexer.ts launches the indexer this way; production can too (docs/going-live.md).
 *
 * - Node's compile cache: module code compiled at one start is reused by the next (in the OS temp dir).
 * - Each import is resolved once: Node 22 resolves an import again for every importing file, and each
 *   time it reads the target's package.json and re-parses its `exports` map in full (its lazy getter is
 *   spread, so called, on every read). drizzle-orm's map is 175 KB and Ponder loads hundreds of its files:
 *   ~0.4 s of CPU per start went there. A relative import's answer depends only on the path it names and
 *   the conditions; a bare one's on where it is looked up from (scopeOf) and the conditions: results are
 *   kept under exactly those.
 */
import module from "node:module";

module.enableCompileCache?.();

const resolved = new Map();
/**
 * Where a bare import is looked up from: the importing file's package when it is one in node_modules
 * (every file of a package sees the same node_modules and the same package scope), else its directory.
 */
function scopeOf(parentURL) {
  const match = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(parentURL);
  return match ? match[1] : parentURL.slice(0, parentURL.lastIndexOf("/"));
}
module.registerHooks?.({
  resolve(specifier, context, nextResolve) {
    const { parentURL } = context;
    if (!parentURL?.startsWith("file:") || /^#|^[a-z]+:/.test(specifier))
      return nextResolve(specifier, context);
    const relative = /^\.{0,2}\//.test(specifier);
    const where = relative ? new URL(specifier, parentURL).href : `${specifier}\0${scopeOf(parentURL)}`;
    const key = `${where}\0${context.conditions?.join(",") ?? ""}`;
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
