/**
 * Security headers of the web app as `vite preview` serves a build (the plugin in web/securityHeaders.ts):
 * a CSP that allows scripts from the page's origin and the hash of each inline script only,
 * frame-ancestors 'none' for the checkout, nosniff, a Referrer-Policy. Served from a tiny stand-in build
 * (an index.html with an inline script) so no full `vite build` is needed here.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort } from "../../scripts/lib/ports.ts";

const WEB_ROOT = new URL("../../web/", import.meta.url).pathname;
const INLINE = 'if(location.pathname.startsWith("/pay/"))console.log("preload")';
let dir: string;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-web-headers-"));
  await writeFile(
    join(dir, "index.html"),
    `<!doctype html><html><head><script>${INLINE}</script><script type="module" src="/assets/x.js"></script></head><body></body></html>`,
  );
  const vite = (await import(
    createRequire(join(WEB_ROOT, "package.json")).resolve("vite")
  )) as typeof import("vite");
  const port = await freePort();
  const server = await vite.preview({
    root: WEB_ROOT,
    configFile: join(WEB_ROOT, "vite.config.ts"),
    logLevel: "silent",
    build: { outDir: dir },
    preview: { host: "127.0.0.1", port, strictPort: true },
  });
  url = `http://127.0.0.1:${port}`;
  close = () => server.close();
});
afterAll(async () => {
  await close?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("web security headers", () => {
  test("behavior: the checkout page is served with CSP (inline script by hash), frame-ancestors, nosniff, Referrer-Policy", async () => {
    const res = await fetch(`${url}/pay/ord_000000000000000000000000`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    const hash = createHash("sha256").update(INLINE).digest("base64");
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });
});
