/** A production build of web/ into a folder of its own (the page calls its own origin for /v1). */
import { mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const WEB_ROOT = new URL("../../../web/", import.meta.url).pathname;

export async function buildWeb(outDir?: string): Promise<string> {
  const dir = outDir ?? (await mkdtemp(join(tmpdir(), "pier-web-")));
  const fromWeb = createRequire(join(WEB_ROOT, "package.json"));
  const vite = (await import(fromWeb.resolve("vite"))) as typeof import("vite");
  await vite.build({
    root: WEB_ROOT,
    configFile: join(WEB_ROOT, "vite.config.ts"),
    logLevel: "warn",
    mode: "production",
    build: { outDir: dir, emptyOutDir: true },
  });
  return dir;
}
