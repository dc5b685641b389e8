/**
 * Nothing accepted is lost: kill -9 the API while webhooks are in flight, restart it, and every event is
 * delivered at least once with its original id; a receiver that fails for a while gets everything once
 * it recovers.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../../test/harness/webhookReceiver.ts";
import { verifySignature } from "./signature.ts";

let s: ApiStack;
let receiver: WebhookReceiver;
let secret: string;

const CRASH_ENV = {
  PIER_WEBHOOK_RETRY_BASE_SECONDS: "1",
  PIER_WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: "2",
  PIER_WEBHOOK_TIMEOUT_MS: "2000",
};

beforeAll(async () => {
  s = await startApiStack(CRASH_ENV);
  receiver = await startWebhookReceiver();
  const ep = await s.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] });
  secret = ep.body.secret;
});
afterAll(async () => {
  await receiver?.close();
  await s?.stop();
});

async function storedEventIds(): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  while (true) {
    const page = await s.client.get(`/v1/events?limit=100${after ? `&starting_after=${after}` : ""}`);
    ids.push(...page.body.data.map((e: { id: string }) => e.id));
    if (!page.body.has_more) return ids;
    after = ids.at(-1);
  }
}

describe("crash safety", () => {
  test("behavior: kill -9 with deliveries in flight; after restart every event arrives with the same id", async () => {
    // Event ids that arrived with a valid signature and were answered 2xx.
    const accepted = new Set<string>();
    let hang = true;
    receiver.respond = (r) => {
      if (!verifySignature(r.headers["pier-signature"] as string, r.rawBody, secret).ok) return 400;
      if (hang) return "hang";
      accepted.add(r.body.id);
      return 200;
    };
    const orders: string[] = [];
    for (let i = 0; i < 12; i++) orders.push((await s.client.post("/v1/orders", { amount: "100" })).body.id);
    await Promise.all(orders.map((id) => s.client.post(`/v1/orders/${id}/cancel`)));
    // Wait until deliveries are really in flight (the receiver holds the connections open).
    await waitFor("deliveries in flight", async () => receiver.received.length >= 5);
    const pid = s.api.pid;
    process.kill(pid, "SIGKILL");
    await s.api.exited;

    hang = false;
    await s.restartApi(CRASH_ENV);
    const events = await storedEventIds();
    expect(events).toHaveLength(12);
    await waitFor(
      "every event delivered after the restart",
      async () => events.every((id) => accepted.has(id)),
      { timeoutMs: 90_000 },
    );
    // Same ids before and after the crash: the in-flight requests carried ids of stored events.
    const seen = new Set(receiver.received.map((r) => r.body.id));
    for (const id of seen) expect(events).toContain(id);
    const undelivered = await waitFor("delivery log settled", async () => {
      const res = await s.client.get("/v1/events?delivered=false");
      return res.body.data.length === 0 && res;
    });
    expect(undelivered.body.data).toEqual([]);
  });

  test("behavior: a receiver that fails for a while gets every event after it recovers", async () => {
    const accepted = new Set<string>();
    let down = true;
    receiver.respond = (r) => {
      if (down) return 503;
      accepted.add(r.body.id);
      return 200;
    };
    const before = new Set(await storedEventIds());
    const orders: string[] = [];
    for (let i = 0; i < 5; i++) orders.push((await s.client.post("/v1/orders", { amount: "100" })).body.id);
    for (const id of orders) await s.client.post(`/v1/orders/${id}/cancel`);
    const fresh = (await storedEventIds()).filter((id) => !before.has(id));
    expect(fresh).toHaveLength(5);
    await waitFor(
      "each event failed at least twice",
      async () => {
        const counts = fresh.map((id) => receiver.received.filter((r) => r.body.id === id).length);
        return counts.every((n) => n >= 2);
      },
      { timeoutMs: 60_000 },
    );
    const pending = await s.client.get("/v1/events?delivered=false");
    expect(pending.body.data.map((e: { id: string }) => e.id).sort()).toEqual([...fresh].sort());
    down = false;
    await waitFor("all delivered after recovery", async () => fresh.every((id) => accepted.has(id)), {
      timeoutMs: 60_000,
    });
    // The receiver's 200 arrives before the worker records it: wait for the delivery log to say so.
    const log = await waitFor("the delivery recorded as succeeded", async () => {
      const delivery = (await s.client.get(`/v1/events/${fresh[0]}/deliveries`)).body.data[0];
      return delivery?.status === "succeeded" && delivery;
    });
    expect(log.status).toBe("succeeded");
    expect(
      log.attempts_log.filter((a: { status_code: number }) => a.status_code === 503).length,
    ).toBeGreaterThanOrEqual(2);
  });
});
