/** /v1/keys, /v1/merchant and /v1/admin/merchants against a real API process. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ApiStack, startApiStack } from "../../../../../test/harness/apiStack.ts";

let s: ApiStack;
beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

describe("API keys", () => {
  test("default: create a restricted key; its secret is shown once and stored hashed", async () => {
    const res = await s.client.post("/v1/keys", {
      name: "reporting",
      type: "restricted",
      scopes: ["orders:read", "events:read"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: "api_key",
      livemode: false,
      name: "reporting",
      type: "restricted",
      scopes: ["events:read", "orders:read"],
      revoked_at: null,
    });
    expect(res.body.secret).toMatch(/^sk_test_[0-9A-Za-z]{40}$/);
    expect(res.body.redacted).toBe(`${res.body.secret.slice(0, 8)}...${res.body.secret.slice(-4)}`);
    const got = await s.client.get(`/v1/keys/${res.body.id}`);
    expect(got.body.secret).toBeUndefined();
    const list = await s.client.get("/v1/keys");
    expect(list.body.data.some((k: { secret?: string }) => k.secret)).toBe(false);
    const stored = await s.stack.db.query("SELECT secret_hash FROM pier_api.api_keys WHERE id = $1", [
      res.body.id,
    ]);
    expect(stored.rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored.rows)).not.toContain(res.body.secret);
  });

  test("behavior: revoke takes effect on the next request", async () => {
    const key = (await s.client.post("/v1/keys", { type: "secret" })).body;
    const k = s.client.withKey(key.secret);
    expect((await k.get("/v1/orders")).status).toBe(200);
    const revoked = await s.client.post(`/v1/keys/${key.id}/revoke`);
    expect(revoked.body.revoked_at).toEqual(expect.any(Number));
    const res = await k.get("/v1/orders");
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ type: "authentication_error", code: "api_key_revoked" });
    expect((await s.client.post(`/v1/keys/${key.id}/roll`)).body.error.code).toBe("api_key_revoked");
  });

  test("behavior: roll replaces the secret; the old one expires now or after a grace period", async () => {
    const key = (await s.client.post("/v1/keys", { type: "restricted", scopes: ["orders:write"] })).body;
    const rolled = await s.client.post(`/v1/keys/${key.id}/roll`, { expires_in: 0 });
    expect(rolled.status).toBe(200);
    expect(rolled.body.secret).not.toBe(key.secret);
    expect(rolled.body.scopes).toEqual(["orders:write"]);
    expect((await s.client.withKey(key.secret).get("/v1/orders")).body.error.code).toBe("api_key_expired");
    expect((await s.client.withKey(rolled.body.secret).get("/v1/orders")).status).toBe(200);

    const graceful = await s.client.post(`/v1/keys/${rolled.body.id}/roll`, { expires_in: 3600 });
    expect((await s.client.withKey(rolled.body.secret).get("/v1/orders")).status).toBe(200);
    expect((await s.client.withKey(graceful.body.secret).get("/v1/orders")).status).toBe(200);
    expect((await s.client.get(`/v1/keys/${rolled.body.id}`)).body.expires_at).toBeGreaterThan(
      Date.now() / 1000,
    );
  });

  test("error: scopes are checked and a restricted key cannot grant more than it has", async () => {
    expect((await s.client.post("/v1/keys", { type: "restricted" })).body.error).toMatchObject({
      code: "parameter_missing",
      param: "scopes",
    });
    expect(
      (await s.client.post("/v1/keys", { type: "restricted", scopes: ["everything"] })).body.error,
    ).toMatchObject({
      code: "parameter_invalid",
    });
    expect((await s.client.post("/v1/keys", { type: "admin" })).status).toBe(400);
    const keyAdmin = (
      await s.client.post("/v1/keys", { type: "restricted", scopes: ["keys:write", "orders:read"] })
    ).body;
    const k = s.client.withKey(keyAdmin.secret);
    const escalate = await k.post("/v1/keys", { type: "secret" });
    expect(escalate.status).toBe(403);
    expect(escalate.body.error).toMatchObject({ type: "permission_error", code: "scope_escalation" });
    expect((await k.post("/v1/keys", { type: "restricted", scopes: ["refunds:write"] })).status).toBe(403);
    expect((await k.post("/v1/keys", { type: "restricted", scopes: ["orders:read"] })).status).toBe(200);
    const readOnly = (await s.client.post("/v1/keys", { type: "restricted", scopes: ["keys:read"] })).body;
    expect((await s.client.withKey(readOnly.secret).get("/v1/keys")).status).toBe(200);
    expect(
      (
        await s.client
          .withKey(readOnly.secret)
          .post("/v1/keys", { type: "restricted", scopes: ["keys:read"] })
      ).status,
    ).toBe(403);
  });

  test("error: another merchant's key is not found; unknown and malformed ids", async () => {
    const other = await s.newMerchant("Other");
    const theirs = (await other.client.get("/v1/keys")).body.data[0];
    expect((await s.client.get(`/v1/keys/${theirs.id}`)).status).toBe(404);
    expect((await s.client.post(`/v1/keys/${theirs.id}/revoke`)).status).toBe(404);
    expect((await s.client.get("/v1/keys/key_000000000000000000000000")).body.error.code).toBe(
      "resource_missing",
    );
    expect((await s.client.get("/v1/keys/sk_test_x")).body.error).toMatchObject({
      code: "resource_missing",
      param: "id",
    });
    expect((await other.client.get("/v1/orders")).status).toBe(200);
  });
});

describe("merchant and admin", () => {
  test("default: GET /v1/merchant returns the key's merchant", async () => {
    const res = await s.client.get("/v1/merchant");
    expect(res.body).toMatchObject({
      id: s.merchantId,
      object: "merchant",
      livemode: false,
      name: "Test shop",
    });
  });

  test("error: admin routes need the admin key and valid input", async () => {
    const admin = s.client.withKey(s.adminKey);
    expect(
      (
        await s.client.post("/v1/admin/merchants", {
          name: "x",
          payout_address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
        })
      ).status,
    ).toBe(401);
    expect((await s.client.withKey("wrong").post("/v1/admin/merchants", {})).status).toBe(401);
    const bad = await admin.post("/v1/admin/merchants", { name: "x", payout_address: "0x123" });
    expect(bad.body.error).toMatchObject({ code: "parameter_invalid", param: "payout_address" });
    const zero = await admin.post("/v1/admin/merchants", {
      name: "x",
      payout_address: `0x${"0".repeat(40)}`,
    });
    expect(zero.body.error).toMatchObject({ code: "parameter_invalid", param: "payout_address" });
    const ok = await admin.post("/v1/admin/merchants", {
      name: "New",
      payout_address: "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
    });
    expect(ok.body.merchant.payout_address).toBe("0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc");
    expect(ok.body.secret_key).toMatch(/^sk_test_/);
    // Only test networks are served here: a live first key is refused and no merchant is made.
    const merchants = async () =>
      (await s.stack.db.query("SELECT count(*)::int AS n FROM pier_api.merchants")).rows[0].n;
    const count = await merchants();
    const liveKey = await admin.post("/v1/admin/merchants", {
      name: "Live",
      payout_address: "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
      livemode: true,
    });
    expect(liveKey.status).toBe(400);
    expect(liveKey.body.error).toMatchObject({ code: "parameter_invalid", param: "livemode" });
    expect(await merchants()).toBe(count);
  });
});
