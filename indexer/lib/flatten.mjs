/**
 * Bundles the entries of one package into one file each, for lib/resolve-hooks.mjs (see FLATTENED there),
 * which indexer/start.mjs installs:
 *
 *   node --experimental-import-meta-resolve lib/flatten.mjs <out dir> <entry file>...
 *
 * writes <out dir>/0.mjs for the first entry, 1.mjs for the next, and so on. Modules two entries share are
 * written once (esbuild's code splitting), so each exists once in the process, as without the bundle.
 *
 * Only files under the entries' common folder are bundled. Anything else stays an import of the very file
 * Node would load without the bundle, by its absolute URL: a relative import leaving the folder, and a
 * bare import of another package, resolved from the importing file as Node resolves it (import.meta.resolve
 * with a parent URL, hence the flag). Node's built-ins stay as they are, and so does a package that is not
 * installed (an optional dependency imported on demand): importing it fails as it would have. A module that
 * reads import.meta (e.g. to find a file beside it) would read the bundle's: the build fails, and the hooks
 * load the package as it is. The out dir appears complete or not at all (concurrent starts may build it).
 */
import { mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import module from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [outDir, ...entries] = process.argv.slice(2);
if (!outDir || entries.length === 0) throw new Error("usage: node lib/flatten.mjs <out dir> <entry file>...");
// The entries' common folder.
let root = dirname(entries[0]) + sep;
for (const entry of entries) while (!entry.startsWith(root)) root = dirname(root.slice(0, -1)) + sep;

// esbuild as Ponder's own Vite brings it: installed wherever Ponder is.
const ponderPackage = realpathSync(
  fileURLToPath(new URL("../node_modules/ponder/package.json", import.meta.url)),
);
const vitePackage = module.createRequire(ponderPackage).resolve("vite/package.json");
const esbuild = module.createRequire(vitePackage)("esbuild");

const tmp = mkdtempSync(`${outDir}.tmp-`);
try {
  await esbuild.build({
    entryPoints: Object.fromEntries(entries.map((entry, i) => [String(i), entry])),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    outdir: tmp,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunk-[hash]",
    logLevel: "error",
    plugins: [
      {
        name: "flatten-folder",
        setup(build) {
          build.onResolve({ filter: /^\.\.?\// }, (args) => {
            const path = resolve(args.resolveDir, args.path);
            if (!statSync(path, { throwIfNoEntry: false })?.isFile())
              return { errors: [{ text: `${args.path} (from ${args.importer}) is not a file` }] };
            return path.startsWith(root) ? { path } : { path: pathToFileURL(path).href, external: true };
          });
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith("node:")) return { path: args.path, external: true };
            let url;
            try {
              url = import.meta.resolve(args.path, pathToFileURL(args.importer).href);
            } catch {
              return { path: args.path, external: true }; // not installed: fails at run time, as it would
            }
            // The package importing itself by name: that file is bundled like the rest.
            const path = url.startsWith("file:") ? fileURLToPath(url) : "";
            return path.startsWith(root) ? { path } : { path: url, external: true };
          });
        },
      },
    ],
  });
  for (const file of readdirSync(tmp))
    if (readFileSync(join(tmp, file), "utf8").includes("import.meta"))
      throw new Error(`${file}: a bundled module reads import.meta`);
  try {
    renameSync(tmp, outDir);
  } catch (error) {
    // Another start finished the same bundle first.
    if (!statSync(join(outDir, "0.mjs"), { throwIfNoEntry: false })) throw error;
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
