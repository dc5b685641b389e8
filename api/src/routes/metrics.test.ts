/**
 * GET /metrics against a real API: only with the bearer token of PIER_METRICS_TOKEN (the metrics show
 * treasury balances), and off while no token is configured.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";

let s: ApiStack;
beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const scrape = (url: string, authorization?: string) =>
  fetch(`${url}/metrics`, { headers: authorization ? { authorization } : {} });

async function expectRefused(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("request-id")).toMatch(/^req_/);
  const text = await res.text();
  expect(text).not.toContain("pier_api_");
  expect(JSON.parse(text).error).toMatchObject({ code });
}

describe("GET /metrics", () => {
  test("default: the right token gets the Prometheus metrics", async () => {
    const res = await scrape(s.api.url, `Bearer ${s.api.metricsToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain("# TYPE pier_api_http_requests_total counter");
    expect(text).toContain(`pier_api_queue_depth{queue="webhook-delivery"}`);
  });

  test("error: no token, a wrong token, another key's scheme and a merchant's API key are 401", async () => {
    await expectRefused(await scrape(s.api.url), 401, "api_key_missing");
    await expectRefused(await scrape(s.api.url, `Bearer ${s.api.metricsToken}x`), 401, "api_key_invalid");
    await expectRefused(await scrape(s.api.url, `Bearer ${s.adminKey}`), 401, "api_key_invalid");
    await expectRefused(await scrape(s.api.url, `Bearer ${s.secretKey}`), 401, "api_key_invalid");
    await expectRefused(await scrape(s.api.url, `Basic ${s.api.metricsToken}`), 401, "api_key_invalid");
  });

  test("error: without PIER_METRICS_TOKEN the route is off (403), whatever is sent", async () => {
    const off = await s.startApi({ PIER_METRICS_TOKEN: "" });
    await expectRefused(await scrape(off.url), 403, "metrics_disabled");
    await expectRefused(await scrape(off.url, `Bearer ${s.api.metricsToken}`), 403, "metrics_disabled");
    expect((await fetch(`${off.url}/healthz`)).status).toBe(200);
  });
});
