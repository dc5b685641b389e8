import { describe, expect, test } from "vitest";
import { CLOCK_NOTICE_SECONDS, chainClock, chainOffset } from "./chainClock.ts";

// An injected browser clock: no wall clock in these tests.
const NOW = 1_900_000_000;

describe("chainOffset", () => {
  test("default: chain time ahead of the browser's clock when the answer arrived", () => {
    expect(chainOffset(NOW + 7 * 86_400, NOW)).toBe(7 * 86_400);
  });

  test("behavior: an old latest block (an idle chain) is no offset, nor is an unknown head", () => {
    expect(chainOffset(NOW - 3_600, NOW)).toBe(0);
    expect(chainOffset(null, NOW)).toBe(0);
    expect(chainOffset(undefined, NOW)).toBe(0);
  });
});

describe("chainClock", () => {
  test("default: deadlines are counted in chain time and dated on the customer's clock", () => {
    const week = 7 * 86_400;
    const clock = chainClock(week, NOW);
    expect(clock.chainNow).toBe(NOW + week);
    // An order the escrow accepts until chain time NOW + week + 60 expires in a minute, at NOW + 60 here.
    const deadline = NOW + week + 60;
    expect(deadline - clock.chainNow).toBe(60);
    expect(clock.toLocal(deadline)).toBe(NOW + 60);
    expect(clock.ahead).toBe(true);
  });

  test("behavior: the notice shows only beyond the threshold", () => {
    expect(chainClock(CLOCK_NOTICE_SECONDS, NOW).ahead).toBe(false);
    expect(chainClock(CLOCK_NOTICE_SECONDS + 1, NOW).ahead).toBe(true);
    expect(chainClock(0, NOW)).toMatchObject({ chainNow: NOW, ahead: false });
    expect(chainClock(0, NOW).toLocal(NOW + 5)).toBe(NOW + 5);
  });
});
