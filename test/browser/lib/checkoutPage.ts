/** Opening a checkout page in a fresh phone-sized browser context with a test wallet, and screenshots. */
import { mkdir } from "node:fs/promises";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { CheckoutStack } from "./checkoutStack.ts";
import { installTestWallet, type TestWallet, type TestWalletOptions } from "./testWallet.ts";

const SCREENSHOTS = new URL("../../../test-results/screenshots/", import.meta.url).pathname;

export interface OpenedCheckout {
  context: BrowserContext;
  page: Page;
  wallet: TestWallet;
  /** Uncaught errors in the page (should stay empty). */
  pageErrors: string[];
  /** Paths of every script the page requested. */
  scripts: string[];
  close(): Promise<void>;
}

export async function openCheckout(
  browser: Browser,
  cs: CheckoutStack,
  orderId: string,
  opts: Partial<Omit<TestWalletOptions, "rpcUrl" | "chainId">> & { query?: string } = {},
): Promise<OpenedCheckout> {
  return openPage(browser, cs, cs.checkoutUrl(orderId, opts.query), opts);
}

/** Any page of the web app (`url`), opened as openCheckout opens a checkout: with a test wallet. */
export async function openPage(
  browser: Browser,
  cs: CheckoutStack,
  url: string,
  opts: Partial<Omit<TestWalletOptions, "rpcUrl" | "chainId">> = {},
): Promise<OpenedCheckout> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US" });
  context.setDefaultTimeout(30_000);
  const wallet = await installTestWallet(context, {
    rpcUrl: cs.stack.chain.rpcUrl,
    chainId: cs.stack.deployment.chainId,
    // A two-chain stack: the wallet has a node for each chain it may be switched to.
    moreChains: cs.stack.chains.slice(1).map((c) => ({ chainId: c.chain.chainId, rpcUrl: c.chain.rpcUrl })),
    ...opts,
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
  });
  await page.goto(url);
  return { context, page, wallet, pageErrors, scripts, close: () => context.close() };
}

/** Saves a full-page screenshot to test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** The widths every checkout state is shown at: a desktop and a phone. */
export const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

/**
 * Screenshots of the page as it is now at desktop and phone widths: <name>-desktop.png, <name>-phone.png.
 * The viewport goes back to what it was.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const [suffix, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    await screenshot(page, `${name}-${suffix}`);
  }
  if (before) await page.setViewportSize(before);
}

/** Connects the named wallet and waits until the pay button can be pressed. */
export async function connectAndWaitForPay(page: Page, walletName = "Pier Test Wallet"): Promise<void> {
  await page.getByRole("button", { name: walletName }).click();
  await page.waitForSelector('[data-testid="pay-button"]:not([disabled])');
}

/** Waits for the receipt in the given order status. */
export async function waitForReceipt(page: Page, status = "escrowed"): Promise<void> {
  await page.waitForSelector(`[data-testid="receipt"][data-status="${status}"]`);
}

/** Presses Tab until `target` has the focus (keyboard only: nothing is focused from script). */
export async function tabTo(page: Page, target: Locator, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`not reached with ${maxPresses} Tab presses`);
}
