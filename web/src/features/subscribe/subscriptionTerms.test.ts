import { expect, test } from "vitest";
import { approvalAmount, estimatedEnd, isSubscribed, periodSeconds } from "./subscriptionTerms.ts";
import { plan } from "./testPlan.ts";

test("default: a monthly plan is capped per 28 days", () => {
  expect(periodSeconds(plan())).toBe(28 * 86_400);
});

test("behavior: other intervals and counts", () => {
  expect(periodSeconds(plan({ interval: "day" }))).toBe(86_400);
  expect(periodSeconds(plan({ interval: "week", interval_count: 3 }))).toBe(21 * 86_400);
  expect(periodSeconds(plan({ interval: "year", interval_count: 2 }))).toBe(730 * 86_400);
});

test("behavior: the approval covers 12 charges, or every cycle of a plan with cycles", () => {
  expect(approvalAmount(10_000_000n, null)).toBe(120_000_000n);
  expect(approvalAmount(10_000_000n, 3)).toBe(30_000_000n);
});

test("behavior: the end is cycles after the first charge (after the trial), else five years", () => {
  const now = Date.UTC(2026, 0, 31) / 1000;
  expect(estimatedEnd(plan(), now)).toBe(Date.UTC(2031, 0, 31) / 1000);
  expect(estimatedEnd(plan({ cycles: 2, interval: "week", trial_days: 7 }), now)).toBe(
    Date.UTC(2026, 1, 21) / 1000,
  );
  expect(estimatedEnd(plan({ cycles: 3, interval: "day" }), now)).toBe(Date.UTC(2026, 1, 3) / 1000);
});

test("behavior: trialing, active and past_due are subscribed", () => {
  expect(["trialing", "active", "past_due"].every((s) => isSubscribed(s as never))).toBe(true);
  expect(["incomplete", "canceled", "ended"].some((s) => isSubscribed(s as never))).toBe(false);
});
