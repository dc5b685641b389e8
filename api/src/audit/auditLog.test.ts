/**
 * The audit log against a real API: each audited action writes exactly one entry with its actor (a
 * member, an API key, the operator's admin key) in the action's transaction, a refused action writes
 * none, the list filters and pages, the CSV export, and Postgres refusing to change or delete entries.
 */
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { devAccount } from "../../../contracts/lib/accounts.ts";
import type { ApiClient } from "../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { type DashboardSession, dashboardSignIn } from "../../../test/harness/dashboardSession.ts";
import { type EscrowedOrder, escrowedOrders } from "../../../test/harness/escrowedOrders.ts";

let s: ApiStack;
let anon: ApiClient;
let owner: DashboardSession;
let keyId: string;
let orders: EscrowedOrder[];
const ownerAddress = devAccount("merchant").address;

beforeAll(async () => {
  s = await startApiStack({ PIER_DASHBOARD_URL: "http://localhost:5173" });
  anon = s.client.withKey(undefined);
  owner = await dashboardSignIn(s.client, devAccount("merchant"));
  keyId = (await s.client.get("/v1/keys")).body.data[0].id;
  orders = await escrowedOrders(s.client, s.stack.pay, 2);
}, 120_000);
afterAll(async () => {
  await s?.stop();
});

async function entries(action: string, objectId: string) {
  const { rows } = await s.stack.db.query(
    "SELECT actor_type, actor_id, details, request_id, livemode FROM pier_api.audit_log WHERE action = $1 AND object_id = $2",
    [action, objectId],
  );
  return rows;
}

describe("audited actions", () => {
  test("behavior: a refund by API key, an early release by a member and a hold by the operator: one entry each, with its actor", async () => {
    const refund = await s.client.post("/v1/refunds", { order: orders[0]!.id, amount: "1000000" });
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    expect(await entries("refund.created", refund.body.id)).toEqual([
      {
        actor_type: "api_key",
        actor_id: keyId,
        details: { order: orders[0]!.id, amount: "1000000", reason: refund.body.reason },
        request_id: refund.headers.get("request-id"),
        livemode: false,
      },
    ]);

    const release = await anon.post(`/v1/orders/${orders[1]!.id}/release`, {}, { headers: owner.headers });
    expect(release.status, JSON.stringify(release.body)).toBe(202);
    expect(await entries("order.released", orders[1]!.id)).toEqual([
      expect.objectContaining({ actor_type: "member", actor_id: ownerAddress, livemode: false }),
    ]);

    // The merchant itself, made by the operator's admin key (the test stack's newMerchant).
    expect(await entries("merchant.created", s.merchantId)).toEqual([
      expect.objectContaining({ actor_type: "admin", actor_id: "admin", livemode: null }),
    ]);

    const hold = await s.client
      .withKey(s.adminKey)
      .post(`/v1/admin/orders/${orders[0]!.id}/hold`, { held: true });
    expect(hold.status, JSON.stringify(hold.body)).toBe(202);
    expect(await entries("risk.hold_placed", orders[0]!.id)).toEqual([
      expect.objectContaining({ actor_type: "admin", actor_id: "admin" }),
    ]);
  });

  test("error: a refused refund writes no entry (the entry commits with the action only)", async () => {
    const { rows: before } = await s.stack.db.query("SELECT count(*)::int AS n FROM pier_api.audit_log");
    const tooMuch = await s.client.post("/v1/refunds", { order: orders[0]!.id, amount: "999999999999" });
    expect(tooMuch.status).toBeGreaterThanOrEqual(400);
    const { rows: after } = await s.stack.db.query("SELECT count(*)::int AS n FROM pier_api.audit_log");
    expect(after[0].n).toBe(before[0].n);
  });

  test("behavior: key and webhook endpoint changes record their details, never secrets", async () => {
    const key = await s.client.post("/v1/keys", { name: "ci", type: "restricted", scopes: ["orders:read"] });
    const rolled = await s.client.post(`/v1/keys/${key.body.id}/roll`, {});
    const revoked = await s.client.post(`/v1/keys/${rolled.body.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(await entries("api_key.created", key.body.id)).toEqual([
      expect.objectContaining({
        actor_id: keyId,
        details: { name: "ci", type: "restricted", scopes: ["orders:read"] },
      }),
    ]);
    expect(await entries("api_key.rolled", key.body.id)).toEqual([
      expect.objectContaining({ details: { new_key: rolled.body.id, old_key_expires_in: 0 } }),
    ]);
    expect(await entries("api_key.revoked", rolled.body.id)).toHaveLength(1);

    const endpoint = await s.client.post("/v1/webhook_endpoints", {
      url: "http://127.0.0.1:9/a",
      enabled_events: ["order.escrowed"],
    });
    await s.client.post(`/v1/webhook_endpoints/${endpoint.body.id}`, { url: "http://127.0.0.1:9/b" });
    await s.client.post(`/v1/webhook_endpoints/${endpoint.body.id}/rotate_secret`, { expires_in: 0 });
    expect((await s.client.delete(`/v1/webhook_endpoints/${endpoint.body.id}`)).status).toBe(200);
    expect(await entries("webhook_endpoint.updated", endpoint.body.id)).toEqual([
      expect.objectContaining({
        details: {
          before: { url: "http://127.0.0.1:9/a", enabled_events: ["order.escrowed"], status: "enabled" },
          after: { url: "http://127.0.0.1:9/b", enabled_events: ["order.escrowed"], status: "enabled" },
        },
      }),
    ]);
    for (const action of [
      "webhook_endpoint.created",
      "webhook_endpoint.secret_rotated",
      "webhook_endpoint.deleted",
    ]) {
      expect(await entries(action, endpoint.body.id), action).toHaveLength(1);
    }
    const { rows } = await s.stack.db.query("SELECT details::text AS d FROM pier_api.audit_log");
    expect(rows.map((r) => r.d).join()).not.toMatch(/whsec_|sk_test_/);
  });

  test("behavior: canceling an order or a subscription, deactivating a link and archiving a plan: one entry each; a repeat that changes nothing adds none", async () => {
    const order = await s.client.post("/v1/orders", { amount: "3000000" });
    const canceled = await s.client.post(`/v1/orders/${order.body.id}/cancel`, {});
    expect(canceled.status, JSON.stringify(canceled.body)).toBe(200);
    expect(await entries("order.canceled", order.body.id)).toEqual([
      expect.objectContaining({ actor_type: "api_key", actor_id: keyId, details: { amount: "3000000" } }),
    ]);

    const link = await s.client.post("/v1/links", { amount_type: "fixed", amount: "2000000" });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    const plan = await s.client.post("/v1/plans", { amount: "9.99", currency: "USD", interval: "month" });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    const sub = await s.client.post("/v1/subscriptions", { plan: plan.body.id });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    for (let i = 0; i < 2; i++) {
      expect((await s.client.post(`/v1/links/${link.body.id}/deactivate`, {})).status).toBe(200);
      expect((await s.client.post(`/v1/plans/${plan.body.id}/archive`, {})).status).toBe(200);
    }
    const subCancel = await s.client.post(`/v1/subscriptions/${sub.body.id}/cancel`, {});
    expect(subCancel.status, JSON.stringify(subCancel.body)).toBe(200);
    expect(await entries("payment_link.deactivated", link.body.id)).toHaveLength(1);
    expect(await entries("plan.archived", plan.body.id)).toHaveLength(1);
    // Two at once: the second waits on the row and finds it done, so still one entry each.
    const link2 = await s.client.post("/v1/links", { amount_type: "fixed", amount: "2000000" });
    const plan2 = await s.client.post("/v1/plans", { amount: "9.99", currency: "USD", interval: "month" });
    const both = await Promise.all([
      s.client.post(`/v1/links/${link2.body.id}/deactivate`, {}),
      s.client.post(`/v1/links/${link2.body.id}/deactivate`, {}),
      s.client.post(`/v1/plans/${plan2.body.id}/archive`, {}),
      s.client.post(`/v1/plans/${plan2.body.id}/archive`, {}),
    ]);
    expect(both.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await entries("payment_link.deactivated", link2.body.id)).toHaveLength(1);
    expect(await entries("plan.archived", plan2.body.id)).toHaveLength(1);
    // Not this merchant's (or no such id): 404, nothing changed.
    expect((await s.client.post("/v1/links/plink_unknown/deactivate", {})).status).toBe(404);
    expect((await s.client.post("/v1/plans/plan_unknown/archive", {})).status).toBe(404);
    expect(await entries("subscription.canceled", sub.body.id)).toEqual([
      expect.objectContaining({
        actor_type: "api_key",
        actor_id: keyId,
        details: { at_period_end: false, status: "canceled" },
      }),
    ]);
    // Already canceled: refused, and no second entry.
    expect((await s.client.post(`/v1/subscriptions/${sub.body.id}/cancel`, {})).status).toBe(409);
    expect(await entries("subscription.canceled", sub.body.id)).toHaveLength(1);
  });
});

describe("reading the log", () => {
  test("default: newest first, filtered by action and actor, paged; CSV export with the documented columns", async () => {
    const all = await anon.get("/v1/audit_log?limit=100", { headers: owner.headers });
    expect(all.status).toBe(200);
    expect(all.body.data.length).toBeGreaterThanOrEqual(10);
    const created = all.body.data.map((e: { created: number }) => e.created);
    expect([...created].sort((a, b) => b - a)).toEqual(created);

    const byAction = await anon.get("/v1/audit_log?action=api_key.created", { headers: owner.headers });
    expect(byAction.body.data.length).toBeGreaterThan(0);
    expect(byAction.body.data.every((e: { action: string }) => e.action === "api_key.created")).toBe(true);
    const byActor = await anon.get(`/v1/audit_log?actor=${ownerAddress.toLowerCase()}`, {
      headers: owner.headers,
    });
    expect(byActor.body.data).toEqual([
      expect.objectContaining({ action: "order.released", actor: { type: "member", id: ownerAddress } }),
    ]);

    const first = await anon.get("/v1/audit_log?limit=2", { headers: owner.headers });
    const next = await anon.get(`/v1/audit_log?limit=2&starting_after=${first.body.data[1].id}`, {
      headers: owner.headers,
    });
    expect(first.body.has_more).toBe(true);
    expect(next.body.data.map((e: { id: string }) => e.id)).toEqual(
      all.body.data.slice(2, 4).map((e: { id: string }) => e.id),
    );

    const csv = await anon.get("/v1/audit_log/export?action=refund.created", { headers: owner.headers });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toContain("audit-log.csv");
    const lines = (csv.body as string).trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,created,livemode,actor_type,actor_id,action,object_id,details,request_id");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      new RegExp(`^aud_\\w{24},\\d{4}-\\d\\d-\\d\\dT[^,]+Z,false,api_key,${keyId},refund.created,re_`),
    );
  });

  test("error: no route changes an entry, and Postgres refuses UPDATE, DELETE and TRUNCATE", async () => {
    const [entry] = (await anon.get("/v1/audit_log?limit=1", { headers: owner.headers })).body.data;
    for (const method of ["DELETE", "PATCH", "PUT", "POST"]) {
      const res = await fetch(`${s.api.url}/v1/audit_log/${entry.id}`, { method, headers: owner.headers });
      expect(res.status, method).toBe(404);
    }
    for (const sql of [
      "UPDATE pier_api.audit_log SET action = 'edited' WHERE id = $1",
      "DELETE FROM pier_api.audit_log WHERE id = $1",
    ]) {
      await expect(s.stack.db.query(sql, [entry.id])).rejects.toThrow(/audit_log is append-only/);
    }
    await expect(s.stack.db.query("TRUNCATE pier_api.audit_log")).rejects.toThrow(/append-only/);
    const { rows } = await s.stack.db.query("SELECT action FROM pier_api.audit_log WHERE id = $1", [
      entry.id,
    ]);
    expect(rows).toEqual([{ action: entry.action }]);
  });

  test("error: roles without audit:read are refused the list and the export", async () => {
    // The acceptance of this invitation is itself audited (actor: the new member).
    const account = privateKeyToAccount(generatePrivateKey());
    await anon.post(
      "/v1/team/invitations",
      { address: account.address, role: "developer" },
      { headers: owner.headers },
    );
    const dev = await dashboardSignIn(s.client, account);
    for (const path of ["/v1/audit_log", "/v1/audit_log/export"]) {
      const res = await anon.get(path, { headers: dev.headers });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain("'audit:read'");
    }
  });
});
