/**
 * Starts Ponder's CLI in this process (`node start.mjs start ...`, the arguments of `ponder`) with two
 * start-up savings that Ponder cannot switch on itself, since both must be in place before its modules
 * load. scripts/lib/indexer.ts launches the indexer this way; production can too (docs/going-live.md).
 *
 * - Node's compile cache: module code compiled at one start is reused by the next (in the OS temp dir).
 * - Module resolution of its own (lib/resolve-hooks.mjs): each import resolved once, and a few packages
 *   loaded from bundles.
 */
import module from "node:module";
import { registerResolveHooks } from "./lib/resolve-hooks.mjs";

module.enableCompileCache?.();
registerResolveHooks();

// Ponder's package exports do not expose its CLI: load the file through this package's node_modules.
await import(new URL("./node_modules/ponder/dist/esm/bin/ponder.js", import.meta.url).href);
