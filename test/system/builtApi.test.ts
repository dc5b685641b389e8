/**
 * The production bundle (api/build.ts: dist/server.mjs, with the npm packages it loads at start bundled
 * in) against real processes, whichever way the rest of the run starts the API (PIER_TEST_API_SOURCE):
 * a package that breaks once bundled (a require of a Node built-in, a file read next to its own code)
 * fails here by name. The bundle starts, takes an order from creation to a signed order.escrowed webhook
 * (pg-boss, the indexer sync, the chain), serves the docs page whose plugin loads on first use, and
 * exits 0 on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildApi } from "../../api/lib/start.ts";
import { verifySignature } from "../../api/src/webhooks/signature.ts";
import { paymentTermsFromJson } from "../../contracts/lib/termsJson.ts";
import { type ApiStack, startApiStack } from "../harness/apiStack.ts";
import { BUILT_API_ENV } from "../harness/builtApi.ts";
import { evmMine } from "../harness/payments.ts";
import { waitForWebhook } from "../harness/waitForWebhook.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhookReceiver.ts";

let s: ApiStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  // The test run's global setup built it; outside such a run (this file alone), build it here.
  if (process.env[BUILT_API_ENV] !== "1") buildApi();
  s = await startApiStack({ PIER_CONFIRMATIONS: "2" }, {}, { built: true });
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await s?.stop();
});

describe("the built API (dist/server.mjs)", () => {
  test("takes an order from creation to a signed order.escrowed webhook", async () => {
    const endpoint = await s.client.post("/v1/webhook_endpoints", {
      url: receiver.url,
      enabled_events: ["*"],
    });
    expect(endpoint.status).toBe(200);
    const created = await s.client.post("/v1/orders", { amount: "2500000" });
    expect(created.status).toBe(200);
    const order = created.body;

    await s.stack.pay.payByAllowance(paymentTermsFromJson(order.terms));
    await waitForWebhook(receiver, order.id, "order.processing");
    await evmMine(s.stack.chain.rpcUrl, 1);
    const escrowed = await waitForWebhook(receiver, order.id, "order.escrowed");

    expect(escrowed.body.data.object).toMatchObject({ id: order.id, status: "escrowed", amount: "2500000" });
    const header = escrowed.headers["pier-signature"] as string;
    expect(verifySignature(header, escrowed.rawBody, endpoint.body.secret).ok).toBe(true);
    expect((await s.client.get(`/v1/orders/${order.id}`)).body.status).toBe("escrowed");
  });

  test("serves the docs page, its script and the document from the plugin loaded on first use", async () => {
    const redirect = await fetch(`${s.api.url}/docs`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/docs/");

    const page = await fetch(`${s.api.url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain("Pier API");
    const script = html.match(/src="([^"]*scalar\.js)"/)?.[1];
    expect(script).toBeDefined();

    const js = await fetch(new URL(script!, `${s.api.url}/docs/`));
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/^application\/javascript/);
    expect((await js.text()).length).toBeGreaterThan(1_000_000);

    const doc = await fetch(`${s.api.url}/docs/openapi.json`);
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.1.0");

    const missing = await fetch(`${s.api.url}/docs/no-such-file`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("url_not_found");
  });

  test("exits 0 on SIGTERM", async () => {
    s.api.process.kill("SIGTERM");
    expect(await s.api.exited).toBe(0);
  });
});
