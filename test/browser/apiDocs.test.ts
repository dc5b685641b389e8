/**
 * The API reference at /docs in a real Chromium: it renders the operations of the served OpenAPI
 * document and loads nothing from any host but the API's own (no font CDN, script CDN, telemetry or
 * hosted proxy), so a self-hosted deployment's docs work offline and tell no third party who reads them.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ApiHandle } from "../../api/lib/start.ts";
import { waitFor } from "../../scripts/lib/ports.ts";
import { startApiOn } from "../harness/apiStack.ts";
import { type Stack, startStack } from "../harness/stack.ts";
import { launchChromium } from "./lib/playwright.ts";

let stack: Stack;
let api: ApiHandle;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  api = await startApiOn(stack, { PIER_LOG_LEVEL: "warn" });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await stack?.stop();
});

describe("/docs", () => {
  test("behavior: renders the reference and requests nothing from another host", async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on("request", (req) => requested.push(req.url()));
    page.on("websocket", (ws) => requested.push(ws.url()));
    try {
      await page.goto(`${api.url}/docs`, { waitUntil: "load" });
      // An operation's title (its route summary) and a tag of the served document, rendered.
      await page.getByText("Create an order", { exact: true }).first().waitFor({ timeout: 120_000 });
      await page.getByText("Webhook endpoints", { exact: true }).first().waitFor({ timeout: 120_000 });
      // Every request the page makes has been made: none new for 2 s. (Playwright's networkidle also waits
      // for responses still in flight; under CI load one held it past its timeout. A request that hangs is
      // still in `requested` from its start, so the check below sees it.)
      let seen = -1;
      let quietSince = Date.now();
      await waitFor(
        "the docs page to stop making requests",
        async () => {
          if (requested.length !== seen) {
            seen = requested.length;
            quietSince = Date.now();
            return false;
          }
          return Date.now() - quietSince >= 2_000;
        },
        { timeoutMs: 120_000, intervalMs: 250 },
      );

      const own = new URL(api.url).host;
      // data: and blob: URLs are the page's own; anything on the network must be the API.
      const elsewhere = requested.filter((u) => {
        const url = new URL(u);
        return ["http:", "https:", "ws:", "wss:"].includes(url.protocol) && url.host !== own;
      });
      expect(elsewhere).toEqual([]);
      // It did load the page, its script and the document from the API itself.
      expect(requested.some((u) => new URL(u).pathname.startsWith("/docs"))).toBe(true);
      expect(requested.some((u) => u.includes("openapi.json"))).toBe(true);
    } finally {
      await page.close();
    }
  }, 300_000);
});
