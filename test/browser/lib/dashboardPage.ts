/**
 * Opening the dashboard in a phone-sized Chromium context with a wallet injected (EIP-6963, signing with
 * the dev `merchant` key unless told another) and a virtual WebAuthn authenticator (CDP) that answers passkey
 * prompts with user verification, as a platform authenticator (fingerprint, face) would.
 */
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import type { DevRole } from "../../../contracts/lib/accounts.ts";
import type { DashboardStack } from "./dashboardStack.ts";
import { installTestWallet, type TestWallet } from "./testWallet.ts";

export interface OpenedDashboard {
  context: BrowserContext;
  page: Page;
  wallet: TestWallet;
  cdp: CDPSession;
  authenticatorId: string;
  pageErrors: string[];
  close(): Promise<void>;
}

/** `role`: the dev account the injected wallet signs with (default the merchant's owner wallet). */
export async function openDashboard(
  browser: Browser,
  ds: DashboardStack,
  { role = "merchant" }: { role?: DevRole } = {},
): Promise<OpenedDashboard> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US" });
  context.setDefaultTimeout(30_000);
  const wallet = await installTestWallet(context, {
    rpcUrl: ds.stack.chain.rpcUrl,
    chainId: ds.stack.deployment.chainId,
    role,
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto(`${ds.dashboardOrigin}/dashboard`);
  return { context, page, wallet, cdp, authenticatorId, pageErrors, close: () => context.close() };
}

/** Connects the injected wallet and signs the SIWE message; resolves once the dashboard shows the shop. */
export async function signInWithWallet(page: Page, walletName = "Pier Test Wallet"): Promise<void> {
  await page.getByRole("button", { name: walletName }).click();
  await page.getByTestId("siwe-button").click();
  await page.getByTestId("merchant-name").waitFor();
}
