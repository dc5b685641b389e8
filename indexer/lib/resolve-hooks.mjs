/**
 * How the indexer's process resolves its imports (start.mjs registers it before Ponder loads): the same
 * modules Node would load, found at less cost.
 *
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
 * - A few packages are loaded from bundles (FLATTENED), whether a file imports them by name or by the
 *   path of their entry file (bundledEntries).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import module from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

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

/**
 * Packages loaded from a bundle, one file per entry (lib/flatten.mjs), instead of from hundreds of small
 * files: each file costs a resolve, a read and a link, and these were ~1,500 of the ~2,900 modules of a
 * start. viem is 1,123 files (with every chain it knows, imported whole by Ponder to look up the configured
 * chain ids), kysely 226 (Ponder's migrations), @graphql-tools/utils 188 (the indexer's GraphQL, which
 * the Ponder patch now loads with the first /graphql request rather than at the start). Each group lists
 * every entry of its package that anything in the process imports, so the bundle holds the package's only
 * copy of each module (code shared by entries is written once). A bundle is built at the first start that
 * needs it (~1 s, esbuild) and kept in the OS temp dir, like the compile cache, keyed by the entries' files
 * and the flattener; when it cannot be built, the package loads as it is.
 */
const FLATTENED = [["viem", "viem/chains", "viem/utils"], ["kysely"], ["@graphql-tools/utils"]];
const FLATTEN_DIR = join(tmpdir(), "pier-indexer-flattened");
const FLATTEN_SCRIPT = fileURLToPath(new URL("./flatten.mjs", import.meta.url));
/**
 * A flattened entry's own file URL -> its bundle. Ponder loads the indexer's own files (config, schema,
 * handlers) through vite-node, which imports a package by the absolute path of its entry file, past the
 * bare-name lookup: `getAddress` from "viem" in lib/config.ts loaded viem's ~340 files a second time, beside
 * the bundle Ponder uses.
 */
const bundledEntries = new Map();
const flattenedGroup = new Map(FLATTENED.flatMap((group) => group.map((spec) => [spec, group])));
/** An entry of a flattened package that its group misses: loaded as is, beside the bundle's copies. */
function checkFlattenedGroups(specifier) {
  for (const group of FLATTENED)
    if (specifier.startsWith(`${group[0]}/`) && !group.includes(specifier))
      process.stderr.write(
        `start.mjs: add "${specifier}" to FLATTENED's ${group[0]} group: as it is, it ` +
          "loads the package's own files, a second copy of modules the bundle holds\n",
      );
}
/** `hit`, Node's answer for `specifier` (a member of a group) from `context`, or its bundled entry. */
function flattened(specifier, hit, context, nextResolve) {
  const group = flattenedGroup.get(specifier);
  try {
    const urls = group.map((spec) => (spec === specifier ? hit : nextResolve(spec, context)).url);
    if (!urls.every((url) => url.startsWith("file:"))) return hit;
    const entries = urls.map((url) => fileURLToPath(url));
    // The flattener is part of the key: a bundle made by an older flatten.mjs is not reused.
    const key = createHash("sha256");
    for (const entry of [FLATTEN_SCRIPT, ...entries]) {
      const { size, mtimeMs } = statSync(entry);
      key.update(`\0${entry}\0${size}\0${mtimeMs}`);
    }
    const out = join(FLATTEN_DIR, key.digest("hex").slice(0, 20));
    if (!existsSync(out) && !existsSync(`${out}.failed`)) {
      mkdirSync(FLATTEN_DIR, { recursive: true });
      const run = spawnSync(
        process.execPath,
        ["--experimental-import-meta-resolve", "--no-warnings", FLATTEN_SCRIPT, out, ...entries],
        { encoding: "utf8", timeout: 60_000 },
      );
      if (run.status !== 0) {
        const why = String(run.stderr || run.error || `exit ${run.status} ${run.signal}`);
        process.stderr.write(`start.mjs: ${group.join(", ")} not bundled, loaded as they are: ${why}\n`);
        // Cannot be bundled (not killed by the timeout): not tried again at every start.
        if (run.status !== null) writeFileSync(`${out}.failed`, why);
      }
    }
    for (const [i, url] of urls.entries()) {
      const file = join(out, `${i}.mjs`);
      if (existsSync(file)) bundledEntries.set(url, { url: pathToFileURL(file).href, format: "module" });
    }
    return bundledEntries.get(hit.url) ?? hit;
  } catch (error) {
    process.stderr.write(`start.mjs: ${specifier} not bundled, loaded as it is: ${error}\n`);
    return hit;
  }
}

/** Installs the resolution above; only modules loaded after the call get it. */
export function registerResolveHooks() {
  module.registerHooks?.({ resolve });
}

/** Node's resolve hook: a cached or cheaper answer where there is one, else Node's own. */
function resolve(specifier, context, nextResolve) {
  const { parentURL } = context;
  const imported = context.conditions?.includes("import");
  if (imported && /^(file:|\/)/.test(specifier)) {
    const bundled = bundledEntries.get(new URL(specifier, "file:///").href);
    if (bundled) return { ...bundled, shortCircuit: true };
  }
  if (!parentURL?.startsWith("file:") || /^#|^[a-z]+:/.test(specifier))
    return nextResolve(specifier, context);
  const relative = /^\.{0,2}\//.test(specifier);
  const where = relative ? new URL(specifier, parentURL).href : `${specifier}\0${scopeOf(parentURL)}`;
  const key = `${where}\0${context.conditions?.join(",") ?? ""}`;
  let hit = resolved.get(key);
  if (!hit) {
    // import, not require (whose format Node settles when it loads the file).
    hit = (relative && imported && resolveInPackage(specifier, parentURL)) || nextResolve(specifier, context);
    if (imported && flattenedGroup.has(specifier)) hit = flattened(specifier, hit, context, nextResolve);
    else if (!relative) checkFlattenedGroups(specifier);
    resolved.set(key, hit);
  }
  return { ...hit, shortCircuit: true };
}
