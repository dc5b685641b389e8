import { describe, expect, test } from "vitest";
import { needsStepUp } from "./sessionAuth.ts";
import { STEP_UP_TTL_SECONDS, stepUpFresh } from "./sessions.ts";

describe("needsStepUp", () => {
  test("behavior: refunds, early releases, key and webhook endpoint changes need it", () => {
    expect(needsStepUp("POST", "/v1/refunds", "refunds:write")).toBe(true);
    expect(needsStepUp("POST", "/v1/orders/:id/release", "orders:write")).toBe(true);
    expect(needsStepUp("POST", "/v1/keys/:id/roll", "keys:write")).toBe(true);
    expect(needsStepUp("DELETE", "/v1/webhook_endpoints/:id", "webhooks:write")).toBe(true);
  });
  test("behavior: team changes need it; reading the team does not", () => {
    expect(needsStepUp("POST", "/v1/team/invitations", "session")).toBe(true);
    expect(needsStepUp("POST", "/v1/team/members/:address", "session")).toBe(true);
    expect(needsStepUp("DELETE", "/v1/team/members/:address", "session")).toBe(true);
    expect(needsStepUp("GET", "/v1/team/members", "session")).toBe(false);
  });
  test("behavior: reads, order creation and cancellation, and redeliveries do not", () => {
    expect(needsStepUp("GET", "/v1/keys", "keys:read")).toBe(false);
    expect(needsStepUp("GET", "/v1/refunds", "refunds:write")).toBe(false);
    expect(needsStepUp("POST", "/v1/orders", "orders:write")).toBe(false);
    expect(needsStepUp("POST", "/v1/orders/:id/cancel", "orders:write")).toBe(false);
    expect(needsStepUp("POST", "/v1/events/:id/redeliver", "webhooks:write")).toBe(false);
  });
});

describe("stepUpFresh", () => {
  test("default: fresh for five minutes after the assertion, never without one", () => {
    const now = Date.now();
    expect(stepUpFresh({ step_up_at: null }, now)).toBe(false);
    expect(stepUpFresh({ step_up_at: new Date(now - 1000) }, now)).toBe(true);
    expect(stepUpFresh({ step_up_at: new Date(now - STEP_UP_TTL_SECONDS * 1000) }, now)).toBe(false);
  });
});
