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
 * - A relative import of a .js/.mjs/.cjs file inside an npm package is resolved here (resolveInPackage):
 *   Node would look up the module format of each new file through its package.json, re-parsing
 *   drizzle-orm's exports map once per file (~0.2 s of CPU per start); the format is the package's `type`,
 *   read once per directory. Anything else (no such file, no `type`) goes to Node's resolver.
 */
import { readFileSync, realpathSync, statSync } from "node:fs";
import module from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

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
/**
 * The `type` of the package.json governing files in `dir` (the nearest one above, as Node looks it up,
 * not past a node_modules folder): "module", "commonjs", or null when there is none or it names no type
 * (Node then tells the format from the source).
 */
const scopeTypes = new Map();
function scopeType(dir) {
  let type = scopeTypes.get(dir);
  if (type !== undefined) return type;
  let json;
  try {
    json = readFileSync(`${dir}/package.json`, "utf8");
  } catch {
    // No package.json here: the parent directory's governs, up to a node_modules folder.
    const parent = dir.slice(0, dir.lastIndexOf("/"));
    type = dir.endsWith("/node_modules") || parent === "" ? null : scopeType(parent);
  }
  if (json !== undefined) {
    try {
      const declared = JSON.parse(json).type;
      type = declared === "module" || declared === "commonjs" ? declared : null;
    } catch {
      type = null; // Node's resolver reports the broken file
    }
  }
  scopeTypes.set(dir, type);
  return type;
}

/** `./file.js` (or .mjs, .cjs) imported by a file in node_modules: its real URL and format, or undefined. */
function resolveInPackage(specifier, parentURL) {
  const ext = /\.[cm]?js$/.exec(specifier)?.[0];
  if (!ext || !parentURL.includes("/node_modules/") || /[?#]/.test(specifier)) return undefined;
  const path = fileURLToPath(new URL(specifier, parentURL));
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
  const real = realpathSync.native(path);
  const format =
    ext === ".mjs" ? "module" : ext === ".cjs" ? "commonjs" : scopeType(real.slice(0, real.lastIndexOf("/")));
  return format ? { url: pathToFileURL(real).href, format } : undefined;
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
      // import, not require (whose format Node settles when it loads the file).
      const imported = context.conditions?.includes("import");
      hit =
        (relative && imported && resolveInPackage(specifier, parentURL)) || nextResolve(specifier, context);
      resolved.set(key, hit);
    }
    return { ...hit, shortCircuit: true };
  },
});

// Ponder's package exports do not expose its CLI: load the file through this package's node_modules.
await import(new URL("./node_modules/ponder/dist/esm/bin/ponder.js", import.meta.url).href);
