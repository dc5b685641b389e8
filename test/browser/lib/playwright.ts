/**
 * Headless Chromium for the browser tests and the web benchmark: Debian's /usr/bin/chromium (installed by
 * test/browser/ensure-chromium.sh) driven by playwright-core. Never Playwright's own browser download.
 *
 * playwright-core is a devDependency of @pier/web; it is loaded from there so that test/ needs no
 * package of its own.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

const fromWeb = createRequire(new URL("../../../web/package.json", import.meta.url));

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run test/browser/ensure-chromium.sh (apt-get install chromium)`);
  }
  const { chromium } = fromWeb("playwright-core") as typeof import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
