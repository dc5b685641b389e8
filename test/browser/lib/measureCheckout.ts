/**
 * Measurements of the hosted checkout for scripts/benchmarks/web.ts: the JS a checkout route loads
 * (gzipped, as the browser fetched it and as the build's static import graph says), and how long after
 * navigation the pay button becomes enabled, in headless Chromium against the real local stack.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import type { CheckoutStack } from "./checkoutStack.ts";
import { installTestWallet } from "./testWallet.ts";

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  src?: string;
}

const gzipLength = (bytes: Buffer | Uint8Array) => gzipSync(bytes, { level: 9 }).length;

/** Gzipped size of the JS a /pay/ page needs before any lazy feature: entry + checkout chunk + static imports. */
export async function checkoutStaticJs(webDir: string): Promise<{ gzipBytes: number; files: string[] }> {
  const manifest = JSON.parse(await readFile(join(webDir, ".vite/manifest.json"), "utf8")) as Record<
    string,
    ManifestChunk
  >;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  const checkout = Object.keys(manifest).find((k) => k.endsWith("features/checkout/CheckoutPage.tsx"));
  if (!entry || !checkout) throw new Error("manifest has no entry or checkout chunk");
  visit(entry);
  visit(checkout);
  let gzipBytes = 0;
  for (const file of files) gzipBytes += gzipLength(await readFile(join(webDir, file)));
  return { gzipBytes, files: [...files].sort() };
}

export interface PayReadySample {
  /** ms from navigation start (performance.timeOrigin) until the pay button was enabled. */
  payReadyMs: number;
  /** Gzipped bytes of every JS file the page fetched until then. */
  jsGzipBytes: number;
  jsFiles: string[];
}

/**
 * One cold visit in a fresh browser context. `returning`: the wallet already trusts the site, so the page
 * reconnects by itself and no click is needed; otherwise the wallet button is clicked as soon as it shows.
 */
export async function measurePayReady(
  browser: Browser,
  cs: CheckoutStack,
  orderId: string,
  { returning }: { returning: boolean },
): Promise<PayReadySample> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    await installTestWallet(context, {
      rpcUrl: cs.stack.chain.rpcUrl,
      chainId: cs.stack.deployment.chainId,
      preauthorized: returning,
    });
    const page = await context.newPage();
    const scripts = new Map<string, Promise<Buffer>>();
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") scripts.set(response.url(), response.body());
    });
    await page.goto(cs.checkoutUrl(orderId), { waitUntil: "commit" });
    if (!returning) await page.getByRole("button", { name: "Pier Test Wallet" }).click({ timeout: 30_000 });
    const handle = await page.waitForFunction(
      () => {
        const button = document.querySelector<HTMLButtonElement>('[data-testid="pay-button"]');
        return button && !button.disabled ? performance.now() : false;
      },
      undefined,
      { polling: "raf", timeout: 30_000 },
    );
    const payReadyMs = Math.round((await handle.jsonValue()) as number);
    let jsGzipBytes = 0;
    for (const body of scripts.values()) jsGzipBytes += gzipLength(await body);
    return { payReadyMs, jsGzipBytes, jsFiles: [...scripts.keys()].map((u) => new URL(u).pathname).sort() };
  } finally {
    await context.close();
  }
}
