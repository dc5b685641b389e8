/**
 * One-time dashboard sign-in links against a real API process: minted with the admin key only, redeemed
 * once into an ordinary session cookie (the same one SIWE sets), refused on reuse and for an unknown
 * token. Expiry under an injected clock: sessions/signInLink.test.ts; refusal on an instance serving a
 * live network: test/system/liveAndTest.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ApiClient } from "../../../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../../../test/harness/apiStack.ts";

const DASHBOARD = "http://localhost:5173";

let s: ApiStack;
let anon: ApiClient;
let admin: ApiClient;
beforeAll(async () => {
  s = await startApiStack({ PIER_DASHBOARD_URL: DASHBOARD });
  anon = s.client.withKey(undefined);
  admin = s.client.withKey(s.adminKey);
});
afterAll(async () => {
  await s?.stop();
});

async function counts(): Promise<{ sessions: number; used: number }> {
  const { rows } = await s.stack.db.query(
    `SELECT (SELECT count(*)::int FROM pier_api.dashboard_sessions) AS sessions,
            (SELECT count(*)::int FROM pier_api.dashboard_sign_in_links WHERE used_at IS NOT NULL) AS used`,
  );
  return rows[0];
}

const redeem = (token: string) => anon.post("/v1/dashboard/sign_in_links/redeem", { token });

describe("dashboard sign-in links", () => {
  test("default: the admin mints a link; it signs in once as the merchant's owner, with the usual cookie and CSRF rules", async () => {
    const minted = await admin.post("/v1/admin/dashboard_sign_in_links", { merchant: s.merchantId });
    expect(minted.status, JSON.stringify(minted.body)).toBe(200);
    const { token, url, expires_at } = minted.body;
    expect(minted.body).toMatchObject({ object: "dashboard_sign_in_link", merchant: s.merchantId });
    expect(token).toMatch(/^[0-9A-Za-z]{43}$/);
    expect(url).toBe(`${DASHBOARD}/dashboard/sign-in?token=${token}`);
    const { rows: now } = await s.stack.db.query("SELECT extract(epoch FROM now())::int AS t");
    expect(expires_at - now[0].t).toBeGreaterThan(590);
    expect(expires_at - now[0].t).toBeLessThanOrEqual(600);
    // Stored only hashed.
    const { rows } = await s.stack.db.query("SELECT * FROM pier_api.dashboard_sign_in_links");
    expect(JSON.stringify(rows)).not.toContain(token);

    const res = await redeem(token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ object: "dashboard_sign_in_link", redeemed: true, merchant: s.merchantId });
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^pier_session=[0-9A-Za-z]{43};/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/v1");
    const cookie = setCookie.split(";")[0]!;
    const session = await anon.get("/v1/dashboard/session", { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({
      merchant: { id: s.merchantId },
      // The harness's merchant: owner defaults to the payout address.
      address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
      livemode: false,
    });
    // An ordinary session: unsafe methods still need the CSRF token.
    const noCsrf = await anon.post("/v1/orders", { amount: "1000000" }, { headers: { cookie } });
    expect(noCsrf.body.error.code).toBe("csrf_token_invalid");
    const ok = await anon.post(
      "/v1/orders",
      { amount: "1000000" },
      { headers: { cookie, "x-csrf-token": session.body.csrf_token, origin: DASHBOARD } },
    );
    expect(ok.status).toBe(200);
  });

  test("error: a second use is a 401 sign_in_link_used and creates no session", async () => {
    const { token } = (await admin.post("/v1/admin/dashboard_sign_in_links", {})).body;
    expect((await redeem(token)).status).toBe(200);
    const before = await counts();
    const again = await redeem(token);
    expect(again.status).toBe(401);
    expect(again.body.error).toMatchObject({ type: "authentication_error", code: "sign_in_link_used" });
    expect(again.body.error.message).toContain("pier dashboard");
    expect(again.headers.get("set-cookie")).toBeNull();
    expect(await counts()).toEqual(before);
  });

  test("behavior: two concurrent uses of one link: exactly one signs in", async () => {
    const { token } = (await admin.post("/v1/admin/dashboard_sign_in_links", {})).body;
    const before = await counts();
    const results = await Promise.all(Array.from({ length: 4 }, () => redeem(token)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401]);
    expect(await counts()).toEqual({ sessions: before.sessions + 1, used: before.used + 1 });
  });

  test("error: unknown and malformed tokens are 401 sign_in_link_invalid; a bad body is a 400", async () => {
    for (const token of ["A".repeat(43), "short", "../../etc"]) {
      const res = await redeem(token);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({
        status: 401,
        code: "sign_in_link_invalid",
      });
    }
    expect((await anon.post("/v1/dashboard/sign_in_links/redeem", {})).status).toBe(400);
  });

  test("error: only the admin key mints: a merchant key, no key and a wrong key are 401s; an unknown merchant 404", async () => {
    const before = await s.stack.db.query("SELECT count(*)::int AS n FROM pier_api.dashboard_sign_in_links");
    const merchantKey = await s.client.post("/v1/admin/dashboard_sign_in_links", {});
    expect(merchantKey.status).toBe(401);
    expect(merchantKey.body.error.code).toBe("api_key_invalid");
    expect((await anon.post("/v1/admin/dashboard_sign_in_links", {})).body.error.code).toBe(
      "api_key_missing",
    );
    expect(
      (await s.client.withKey(`${s.adminKey}x`).post("/v1/admin/dashboard_sign_in_links", {})).status,
    ).toBe(401);
    const unknown = await admin.post("/v1/admin/dashboard_sign_in_links", {
      merchant: "mer_000000000000000000000000",
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "resource_missing", param: "merchant" });
    const after = await s.stack.db.query("SELECT count(*)::int AS n FROM pier_api.dashboard_sign_in_links");
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
