import { describe, expect, test } from "vitest";
import { isRetryable, nextRetryDelay, retryPolicy } from "./retrySchedule.ts";

describe("webhook retry schedule", () => {
  test("default: live mode backs off from 1 min to 6 h and stops after 3 days", () => {
    const live = retryPolicy(true, { retryMaxAgeSeconds: 3 * 86_400 });
    expect([1, 2, 3, 4].map((n) => nextRetryDelay(live, n, 0))).toEqual([60, 120, 240, 480]);
    expect(nextRetryDelay(live, 20, 0)).toBe(6 * 3600);
    expect(nextRetryDelay(live, 20, 3 * 86_400 - 100)).toBeNull();
    let age = 0;
    let attempts = 1;
    for (let d = nextRetryDelay(live, 1, 0); d !== null; d = nextRetryDelay(live, attempts, age)) {
      age += d;
      attempts++;
    }
    expect(age).toBeLessThanOrEqual(3 * 86_400);
    expect(age).toBeGreaterThan(2.7 * 86_400);
  });
  test("behavior: test mode is short", () => {
    const t = retryPolicy(false, { retryMaxAgeSeconds: 3 * 86_400 });
    expect([1, 2, 3, 7, 8].map((n) => nextRetryDelay(t, n, 0))).toEqual([1, 2, 4, 60, 60]);
  });
  test("behavior: network errors, 408, 429 and 5xx are retried; other answers are final", () => {
    expect([undefined, 408, 429, 500, 503].every(isRetryable)).toBe(true);
    expect([400, 401, 404, 410, 301].some(isRetryable)).toBe(false);
  });
});
