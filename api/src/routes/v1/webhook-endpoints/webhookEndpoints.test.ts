/**
 * /v1/webhook_endpoints and /v1/events: endpoint CRUD and URL policy, event type filters, secret rotation
 * (several v1), retries with backoff and the delivery log, redelivery, and events not yet delivered.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../../../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../../../test/harness/apiStack.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../../../../test/harness/webhookReceiver.ts";
import { computeSignature, verifySignature } from "../../../webhooks/signature.ts";

let s: ApiStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  s = await startApiStack({
    PIER_WEBHOOK_RETRY_BASE_SECONDS: "1",
    PIER_WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: "1",
  });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await s?.stop();
});

/** An order canceled right away: a quick way to produce an `order.canceled` event with no chain work. */
async function canceledOrder(client = s.client) {
  const order = (await client.post("/v1/orders", { amount: "100" })).body;
  await client.post(`/v1/orders/${order.id}/cancel`);
  return order.id as string;
}

const received = (orderId: string) => receiver.received.filter((r) => r.body?.data?.object?.id === orderId);

describe("webhook endpoints", () => {
  test("default: create (secret once), retrieve, list, update, delete", async () => {
    const created = await s.client.post("/v1/webhook_endpoints", {
      url: receiver.url,
      enabled_events: ["order.escrowed", "order.settled"],
      description: "main",
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      object: "webhook_endpoint",
      status: "enabled",
      livemode: false,
      description: "main",
    });
    expect(created.body.secret).toMatch(/^whsec_test_/);
    const id = created.body.id;
    expect((await s.client.get(`/v1/webhook_endpoints/${id}`)).body.secret).toBeUndefined();
    expect(
      (await s.client.get("/v1/webhook_endpoints")).body.data.map((e: { id: string }) => e.id),
    ).toContain(id);
    const updated = await s.client.post(`/v1/webhook_endpoints/${id}`, {
      enabled_events: ["*"],
      disabled: true,
    });
    expect(updated.body).toMatchObject({ enabled_events: ["*"], status: "disabled" });
    const deleted = await s.client.delete(`/v1/webhook_endpoints/${id}`);
    expect(deleted.body).toEqual({ id, object: "webhook_endpoint", deleted: true });
    expect((await s.client.get(`/v1/webhook_endpoints/${id}`)).status).toBe(404);
    expect((await s.client.delete(`/v1/webhook_endpoints/${id}`)).status).toBe(404);
  });

  test("error: bad URLs, private addresses and unknown event types are refused", async () => {
    const post = (url: string, events = ["*"]) =>
      s.client.post("/v1/webhook_endpoints", { url, enabled_events: events });
    expect((await post("ftp://127.0.0.1/x")).body.error).toMatchObject({ code: "url_invalid", param: "url" });
    expect((await post("not a url")).body.error).toMatchObject({ code: "url_invalid" });
    expect((await post("http://10.1.2.3/hook")).body.error).toMatchObject({ code: "url_not_allowed" });
    expect((await post("http://192.168.1.10/hook")).body.error).toMatchObject({ code: "url_not_allowed" });
    expect((await post("http://169.254.169.254/latest")).body.error).toMatchObject({
      code: "url_not_allowed",
    });
    expect((await post("http://[::ffff:10.0.0.1]/hook")).body.error).toMatchObject({
      code: "url_not_allowed",
    });
    expect((await post("http://user:pw@127.0.0.1/hook")).body.error).toMatchObject({ code: "url_invalid" });
    expect((await post(receiver.url, ["order.nope"])).body.error).toMatchObject({
      code: "parameter_invalid",
    });
    expect((await post(receiver.url, [])).status).toBe(400);
    expect(
      (await s.client.post("/v1/webhook_endpoints", { enabled_events: ["*"] })).body.error,
    ).toMatchObject({
      code: "parameter_missing",
      param: "url",
    });
    const ro = (await s.client.post("/v1/keys", { type: "restricted", scopes: ["webhooks:read"] })).body
      .secret;
    expect(
      (await s.client.withKey(ro).post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] }))
        .status,
    ).toBe(403);
  });

  test("behavior: only subscribed event types are delivered, each signed with the endpoint's secret", async () => {
    const m = await s.newMerchant("Filters");
    const all = (await m.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] }))
      .body;
    await m.client.post("/v1/webhook_endpoints", {
      url: `${receiver.url}?only=settled`,
      enabled_events: ["order.settled"],
    });
    const orderId = await canceledOrder(m.client);
    await waitFor("order.canceled delivered", async () => received(orderId).length > 0);
    const hooks = received(orderId);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.body.type).toBe("order.canceled");
    expect(
      verifySignature(hooks[0]!.headers["pier-signature"] as string, hooks[0]!.rawBody, all.secret).ok,
    ).toBe(true);
  });

  test("behavior: after rotation both secrets sign until the old one's grace period ends", async () => {
    const m = await s.newMerchant("Rotation");
    const ep = (await m.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] }))
      .body;
    const rotated = await m.client.post(`/v1/webhook_endpoints/${ep.id}/rotate_secret`, { expires_in: 3600 });
    expect(rotated.body.secret).not.toBe(ep.secret);
    const first = await canceledOrder(m.client);
    await waitFor("delivery", async () => received(first)[0]);
    const hook = received(first)[0]!;
    const header = hook.headers["pier-signature"] as string;
    expect(header.split(",").filter((p) => p.startsWith("v1="))).toHaveLength(2);
    expect(verifySignature(header, hook.rawBody, ep.secret).ok).toBe(true);
    expect(verifySignature(header, hook.rawBody, rotated.body.secret).ok).toBe(true);

    const now = await m.client.post(`/v1/webhook_endpoints/${ep.id}/rotate_secret`, { expires_in: 0 });
    const second = await canceledOrder(m.client);
    await waitFor("delivery", async () => received(second)[0]);
    const h2 = received(second)[0]!;
    const sigs = (h2.headers["pier-signature"] as string).split(",").filter((p) => p.startsWith("v1="));
    // Rotating with expires_in 0 retires every older secret at once (e.g. after a leak): one v1 left.
    expect(sigs).toHaveLength(1);
    const t = Number((h2.headers["pier-signature"] as string).split(",")[0]!.slice(2));
    expect(sigs).toEqual([`v1=${computeSignature(now.body.secret, t, h2.rawBody)}`]);
    expect(verifySignature(h2.headers["pier-signature"] as string, h2.rawBody, ep.secret).ok).toBe(false);
    expect(verifySignature(h2.headers["pier-signature"] as string, h2.rawBody, rotated.body.secret).ok).toBe(
      false,
    );
  });

  test("behavior: 5xx and timeouts are retried with backoff; 4xx is final; the log shows every attempt", async () => {
    const m = await s.newMerchant("Retries");
    await m.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] });
    let failures = 0;
    // Orders first (no event yet), the receiver's behaviour next, then the cancellations that emit events.
    const flaky = (await m.client.post("/v1/orders", { amount: "100" })).body.id as string;
    const gone = (await m.client.post("/v1/orders", { amount: "100" })).body.id as string;
    receiver.respond = (r) => {
      const id = r.body?.data?.object?.id;
      if (id === gone) return 410;
      if (id === flaky && failures < 2) {
        failures++;
        return failures === 1 ? 503 : "reset";
      }
      return 200;
    };
    await m.client.post(`/v1/orders/${flaky}/cancel`);
    await m.client.post(`/v1/orders/${gone}/cancel`);
    const events = (await m.client.get(`/v1/events?order=${flaky}`)).body.data;
    const eventId = events[0].id;
    await waitFor("three attempts", async () => received(flaky).length >= 3, { timeoutMs: 30_000 });
    const log = await waitFor("delivery succeeded", async () => {
      const d = (await m.client.get(`/v1/events/${eventId}/deliveries`)).body.data[0];
      return d?.status === "succeeded" && d;
    });
    expect(log.attempts).toBe(3);
    expect(log.attempts_log.map((a: { status_code: number | null }) => a.status_code)).toEqual([
      503,
      null,
      200,
    ]);
    expect(new Set(received(flaky).map((r) => r.body.id))).toEqual(new Set([eventId]));

    const goneEvent = (await m.client.get(`/v1/events?order=${gone}`)).body.data[0].id;
    const failed = await waitFor("delivery failed", async () => {
      const d = (await m.client.get(`/v1/events/${goneEvent}/deliveries`)).body.data[0];
      return d?.status === "failed" && d;
    });
    expect(failed).toMatchObject({ attempts: 1, last_status_code: 410 });

    const undelivered = await m.client.get("/v1/events?delivered=false");
    expect(undelivered.body.data.map((e: { id: string }) => e.id)).toEqual([goneEvent]);
    expect(
      (await m.client.get("/v1/events?delivered=true")).body.data.map((e: { id: string }) => e.id),
    ).toEqual([eventId]);

    receiver.respond = () => 200;
    const redeliver = await m.client.post(`/v1/events/${goneEvent}/redeliver`);
    expect(redeliver.status).toBe(202);
    expect(redeliver.body).toEqual({ object: "redelivery", event: goneEvent, endpoints: 1 });
    await waitFor("redelivered", async () => {
      const d = (await m.client.get(`/v1/events/${goneEvent}/deliveries`)).body.data[0];
      return d?.status === "succeeded";
    });
    expect(received(gone).every((r) => r.body.id === goneEvent)).toBe(true);
    expect((await m.client.get("/v1/events?delivered=false")).body.data).toEqual([]);
  });

  test("error: events of another merchant are not found; bad filters", async () => {
    const other = await s.newMerchant("Nosy");
    const orderId = await canceledOrder();
    const event = (await s.client.get(`/v1/events?order=${orderId}`)).body.data[0];
    expect((await s.client.get(`/v1/events/${event.id}`)).body).toMatchObject({
      id: event.id,
      type: "order.canceled",
    });
    expect((await other.client.get(`/v1/events/${event.id}`)).status).toBe(404);
    expect((await other.client.get(`/v1/events/${event.id}/deliveries`)).status).toBe(404);
    expect((await other.client.post(`/v1/events/${event.id}/redeliver`)).status).toBe(404);
    expect((await s.client.get("/v1/events?delivered=maybe")).status).toBe(400);
    expect(
      (await s.client.post(`/v1/events/${event.id}/redeliver`, { endpoint: "we_000000000000000000000000" }))
        .status,
    ).toBe(404);
  });
});
