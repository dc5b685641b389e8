/**
 * Bundles one module tree into one file, for indexer/start.mjs (see FLATTENED there):
 *
 *   node lib/flatten.mjs <entry file> <out file>
 *
 * Only files under the entry's own folder are bundled. A relative import that leaves the folder stays an
 * import, of the same file by its absolute URL, so the process loads that file once, as it would without
 * the bundle. Node's built-ins stay imports. A bare import of another package fails the build: from the
 * bundle's location it could resolve to another file than from the importing one, so start.mjs then
 * loads the tree as it is.
 * Exits 0 once <out file> is written (atomically: concurrent starts may build the same file).
 */
import { realpathSync, renameSync, statSync } from "node:fs";
import module from "node:module";
import { dirname, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [entry, out] = process.argv.slice(2);
if (!entry || !out) throw new Error("usage: node lib/flatten.mjs <entry file> <out file>");
const root = dirname(entry) + sep;

// esbuild as Ponder's own Vite brings it: installed wherever Ponder is.
const ponderPackage = realpathSync(
  fileURLToPath(new URL("../node_modules/ponder/package.json", import.meta.url)),
);
const vitePackage = module.createRequire(ponderPackage).resolve("vite/package.json");
const esbuild = module.createRequire(vitePackage)("esbuild");

const tmp = `${out}.${process.pid}.tmp`;
await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  format: "esm",
  platform: "node",
  outfile: tmp,
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
        // Node's built-ins are the same from anywhere.
        build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, external: true }));
        build.onResolve({ filter: /^[^./]/ }, (args) => ({
          errors: [{ text: `bare import "${args.path}" in ${args.importer}: not flattened` }],
        }));
      },
    },
  ],
});
renameSync(tmp, out);
