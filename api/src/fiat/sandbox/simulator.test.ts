/** The sandbox wallet simulator's own rules that the adapter tests do not reach. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ProviderStateError } from "../errors.ts";
import { sandboxAdapter } from "./adapter.ts";
import { failureModeFor } from "./failureModes.ts";
import { type SandboxWallet, startSandboxWallet } from "./simulator.ts";

const apiKey = "sbx_sk_test_expiry_000000";
const webhookSecret = "sbx_whsec_expiry_0000000";
let t = Date.parse("2026-11-25T12:00:00Z");
let sim: SandboxWallet;

beforeAll(async () => {
  sim = await startSandboxWallet({ apiKey, webhookSecret, sessionTtlSeconds: 60, now: () => t });
});
afterAll(() => sim?.close());

const adapter = () =>
  sandboxAdapter({ baseUrl: sim.url, apiKey, webhookSecret, timeoutMs: 2_000 }, { now: () => t });
const session = (key: string) =>
  adapter().createSession({
    order: { id: "ord_exp" },
    amount: { value: "3.00", currency: "USD" },
    returnUrl: "https://shop.example/r",
    cancelUrl: "https://shop.example/c",
    idempotencyKey: key,
  });

describe("sandbox simulator", () => {
  test("default: failure modes by name or by the amount's last two minor digits", () => {
    expect(failureModeFor({ value: "10.00", currency: "EUR" })).toBeNull();
    expect(failureModeFor({ value: "10.00", currency: "EUR" }, "timeout")).toBe("timeout");
    expect(failureModeFor({ value: "10.91", currency: "EUR" })).toBe("decline");
    expect(failureModeFor({ value: "1092", currency: "JPY" })).toBe("timeout");
    expect(failureModeFor({ value: "1.093", currency: "KWD" })).toBe("duplicate_webhook");
    expect(failureModeFor({ value: "0.94", currency: "USD" })).toBe("late_webhook");
    expect(failureModeFor({ value: "2.95", currency: "USD" }, "bogus")).toBe("capture_reversed");
  });

  test("behavior: an unapproved session expires after its TTL and can no longer be approved", async () => {
    const s = await session("exp-1");
    t += 61_000;
    const page = await (await fetch(s.approvalUrl!)).text();
    expect(page).toContain("expired");
    expect(() => sim.approve(s.providerRef)).toThrow(/expired/);
    await expect(adapter().capture(s.providerRef)).rejects.toMatchObject({
      constructor: ProviderStateError,
      providerCode: "session_expired",
    });
    expect(sim.events.at(-1)).toMatchObject({ type: "session.expired" });
  });

  test("behavior: control API approves and lists events over HTTP", async () => {
    const s = await session("ctl-1");
    const res = await fetch(`${sim.url}/_control/sessions/${s.providerRef}/approve`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ wallet: "google_pay" }),
    });
    expect(await res.json()).toMatchObject({ status: "approved", wallet: "google_pay" });
    const list = (await (await fetch(`${sim.url}/_control/events`)).json()) as {
      data: Array<{ type: string }>;
    };
    expect(list.data.at(-1)).toMatchObject({ type: "session.approved" });
  });

  test("error: bad requests are refused with the API's error body", async () => {
    const res = await fetch(`${sim.url}/v1/sessions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${apiKey}`,
        "content-type": "application/json",
        "idempotency-key": "bad-1",
      },
      body: JSON.stringify({ amount: { value: "1.00", currency: "XAU" }, reference: "ord" }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        type: "invalid_request_error",
        code: "currency_not_supported",
        message: "Currency not supported: 'XAU'",
        param: "amount.currency",
      },
    });
    const unauth = await fetch(`${sim.url}/v1/sessions/sbxs_x`);
    expect(unauth.status).toBe(401);
  });
});
