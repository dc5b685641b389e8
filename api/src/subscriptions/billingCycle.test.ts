import { describe, expect, test } from "vitest";
import {
  addMonths,
  chargeTime,
  daysInMonth,
  nextChargeAfter,
  permissionPeriod,
  permissionWindow,
  type Schedule,
} from "./billingCycle.ts";

const t = (iso: string) => Date.parse(iso) / 1000;
const iso = (time: number) => new Date(time * 1000).toISOString();
const charges = (schedule: Schedule, first: string, n: number) =>
  Array.from({ length: n }, (_, k) => iso(chargeTime(schedule, t(first), k)));
const DAY = 86_400;

describe("daysInMonth", () => {
  test("behavior: February in leap and common years", () => {
    expect(daysInMonth(2027, 1)).toBe(28);
    expect(daysInMonth(2028, 1)).toBe(29);
    expect(daysInMonth(2100, 1)).toBe(28);
    expect(daysInMonth(2000, 1)).toBe(29);
    expect(daysInMonth(2027, 3)).toBe(30);
    expect(daysInMonth(2027, 11)).toBe(31);
  });
});

describe("addMonths", () => {
  test("behavior: clamps to the month's last day, keeps the time of day, crosses years", () => {
    expect(iso(addMonths(t("2027-01-31T10:20:30Z"), 1, 31))).toBe("2027-02-28T10:20:30.000Z");
    expect(iso(addMonths(t("2027-11-15T00:00:00Z"), 3, 15))).toBe("2028-02-15T00:00:00.000Z");
    expect(iso(addMonths(t("2027-03-31T00:00:00Z"), -1, 31))).toBe("2027-02-28T00:00:00.000Z");
  });
});

describe("chargeTime", () => {
  test("default: day and week intervals are fixed lengths", () => {
    expect(charges({ interval: "day", intervalCount: 1 }, "2027-02-27T12:00:00Z", 3)).toEqual([
      "2027-02-27T12:00:00.000Z",
      "2027-02-28T12:00:00.000Z",
      "2027-03-01T12:00:00.000Z",
    ]);
    expect(charges({ interval: "week", intervalCount: 2 }, "2027-12-25T00:00:00Z", 3)).toEqual([
      "2027-12-25T00:00:00.000Z",
      "2028-01-08T00:00:00.000Z",
      "2028-01-22T00:00:00.000Z",
    ]);
  });

  test("behavior: a month plan started on the 31st charges on each month's last day and returns to the 31st", () => {
    expect(charges({ interval: "month", intervalCount: 1 }, "2027-12-31T09:00:00Z", 5)).toEqual([
      "2027-12-31T09:00:00.000Z",
      "2028-01-31T09:00:00.000Z",
      "2028-02-29T09:00:00.000Z",
      "2028-03-31T09:00:00.000Z",
      "2028-04-30T09:00:00.000Z",
    ]);
  });

  test("behavior: anchor_day 31 in a common year's February", () => {
    const s: Schedule = { interval: "month", intervalCount: 1, anchorDay: 31 };
    expect(charges(s, "2027-01-31T00:00:00Z", 4)).toEqual([
      "2027-01-31T00:00:00.000Z",
      "2027-02-28T00:00:00.000Z",
      "2027-03-31T00:00:00.000Z",
      "2027-04-30T00:00:00.000Z",
    ]);
  });

  test("behavior: anchor_day makes the first period a stub up to the next anchor date", () => {
    const s: Schedule = { interval: "month", intervalCount: 1, anchorDay: 1 };
    expect(charges(s, "2027-01-10T08:00:00Z", 3)).toEqual([
      "2027-01-10T08:00:00.000Z",
      "2027-02-01T08:00:00.000Z",
      "2027-03-01T08:00:00.000Z",
    ]);
    // Started on the anchor day itself (at the charge time of day): no stub.
    expect(charges(s, "2027-01-01T08:00:00Z", 2)).toEqual([
      "2027-01-01T08:00:00.000Z",
      "2027-02-01T08:00:00.000Z",
    ]);
    // Anchor later in the same month.
    expect(charges({ ...s, anchorDay: 20 }, "2027-01-10T08:00:00Z", 2)[1]).toBe("2027-01-20T08:00:00.000Z");
    // Anchor 31, started 1 Feb: the stub ends on February's last day.
    expect(charges({ ...s, anchorDay: 31 }, "2027-02-01T00:00:00Z", 3)).toEqual([
      "2027-02-01T00:00:00.000Z",
      "2027-02-28T00:00:00.000Z",
      "2027-03-31T00:00:00.000Z",
    ]);
  });

  test("behavior: interval_count > 1 for months, with and without an anchor", () => {
    expect(charges({ interval: "month", intervalCount: 3 }, "2027-11-30T00:00:00Z", 4)).toEqual([
      "2027-11-30T00:00:00.000Z",
      "2028-02-29T00:00:00.000Z",
      "2028-05-30T00:00:00.000Z",
      "2028-08-30T00:00:00.000Z",
    ]);
    expect(
      charges({ interval: "month", intervalCount: 6, anchorDay: 15 }, "2027-03-20T00:00:00Z", 3),
    ).toEqual(["2027-03-20T00:00:00.000Z", "2027-04-15T00:00:00.000Z", "2027-10-15T00:00:00.000Z"]);
  });

  test("behavior: year intervals on 29 February fall on the 28th in common years", () => {
    expect(charges({ interval: "year", intervalCount: 1 }, "2028-02-29T00:00:00Z", 5)).toEqual([
      "2028-02-29T00:00:00.000Z",
      "2029-02-28T00:00:00.000Z",
      "2030-02-28T00:00:00.000Z",
      "2031-02-28T00:00:00.000Z",
      "2032-02-29T00:00:00.000Z",
    ]);
    expect(charges({ interval: "year", intervalCount: 2 }, "2027-06-15T00:00:00Z", 3)).toEqual([
      "2027-06-15T00:00:00.000Z",
      "2029-06-15T00:00:00.000Z",
      "2031-06-15T00:00:00.000Z",
    ]);
  });

  test("behavior: a year plan's anchor_day is a day of the first charge's month", () => {
    const s: Schedule = { interval: "year", intervalCount: 1, anchorDay: 1 };
    expect(charges(s, "2027-01-10T00:00:00Z", 3)).toEqual([
      "2027-01-10T00:00:00.000Z",
      "2028-01-01T00:00:00.000Z",
      "2029-01-01T00:00:00.000Z",
    ]);
    expect(charges({ ...s, anchorDay: 20 }, "2027-01-10T00:00:00Z", 2)[1]).toBe("2027-01-20T00:00:00.000Z");
  });

  test("error: a negative or fractional charge index", () => {
    expect(() => chargeTime({ interval: "day", intervalCount: 1 }, 0, -1)).toThrow(RangeError);
    expect(() => chargeTime({ interval: "day", intervalCount: 1 }, 0, 1.5)).toThrow(RangeError);
  });
});

describe("nextChargeAfter", () => {
  test("default: the end of the period a time falls in", () => {
    const s: Schedule = { interval: "month", intervalCount: 1 };
    const first = t("2027-01-31T00:00:00Z");
    expect(iso(nextChargeAfter(s, first, first))).toBe("2027-02-28T00:00:00.000Z");
    expect(iso(nextChargeAfter(s, first, t("2027-02-28T00:00:00Z")))).toBe("2027-03-31T00:00:00.000Z");
    expect(iso(nextChargeAfter(s, first, t("2031-07-01T00:00:00Z")))).toBe("2031-07-31T00:00:00.000Z");
    const w: Schedule = { interval: "week", intervalCount: 1 };
    expect(nextChargeAfter(w, 0, 7 * DAY * 100 - 1)).toBe(7 * DAY * 100);
  });
});

describe("permissionPeriod", () => {
  test("default: fixed lengths no longer than the shortest interval", () => {
    expect(permissionPeriod({ interval: "day", intervalCount: 3 })).toBe(3 * DAY);
    expect(permissionPeriod({ interval: "week", intervalCount: 2 })).toBe(14 * DAY);
    expect(permissionPeriod({ interval: "month", intervalCount: 1 })).toBe(28 * DAY);
    expect(permissionPeriod({ interval: "month", intervalCount: 12 })).toBe(336 * DAY);
    expect(permissionPeriod({ interval: "year", intervalCount: 1 })).toBe(365 * DAY);
  });
});

/** Every charge k >= 0 lands in its own on-chain period ((time - start) / period), strictly increasing. */
function expectDistinctPeriods(s: Schedule, first: string, n: number) {
  const f = t(first);
  const w = permissionWindow(s, f, n);
  let previous = -1;
  for (let k = 0; k < n; k++) {
    const at = chargeTime(s, f, k);
    expect(at).toBeGreaterThanOrEqual(w.start);
    expect(at).toBeLessThan(w.end);
    const index = Math.floor((at - w.start) / w.period);
    expect(index, `charge ${k} at ${iso(at)}`).toBeGreaterThan(previous);
    previous = index;
  }
}

describe("permissionWindow", () => {
  test("default: starts at the first charge; cycles end it where the next cycle would start", () => {
    const s: Schedule = { interval: "month", intervalCount: 1 };
    const w = permissionWindow(s, t("2027-01-31T00:00:00Z"), 3);
    expect(w).toEqual({ period: 28 * DAY, start: t("2027-01-31T00:00:00Z"), end: t("2027-04-30T00:00:00Z") });
  });

  test("behavior: open-ended plans get five years", () => {
    const w = permissionWindow({ interval: "week", intervalCount: 1 }, t("2028-02-29T00:00:00Z"), null);
    expect(iso(w.end)).toBe("2033-02-28T00:00:00.000Z");
  });

  test("behavior: a stub first period moves start back so the second charge opens period 1", () => {
    const s: Schedule = { interval: "month", intervalCount: 1, anchorDay: 1 };
    const w = permissionWindow(s, t("2027-01-20T00:00:00Z"), null);
    expect(w.start).toBe(t("2027-02-01T00:00:00Z") - 28 * DAY);
    expect(w.start).toBeLessThan(t("2027-01-20T00:00:00Z"));
  });

  test("behavior: no two charges share an on-chain period (31st anchors, February, leap years, stubs)", () => {
    expectDistinctPeriods({ interval: "month", intervalCount: 1 }, "2027-01-31T00:00:00Z", 60);
    expectDistinctPeriods({ interval: "month", intervalCount: 1 }, "2028-02-01T00:00:00Z", 60);
    expectDistinctPeriods({ interval: "month", intervalCount: 1, anchorDay: 1 }, "2027-01-31T23:00:00Z", 60);
    expectDistinctPeriods({ interval: "month", intervalCount: 1, anchorDay: 31 }, "2027-03-01T00:00:00Z", 60);
    expectDistinctPeriods({ interval: "month", intervalCount: 1, anchorDay: 29 }, "2027-02-28T00:00:00Z", 60);
    expectDistinctPeriods({ interval: "month", intervalCount: 5, anchorDay: 30 }, "2027-02-01T00:00:00Z", 30);
    expectDistinctPeriods({ interval: "year", intervalCount: 1 }, "2028-02-29T00:00:00Z", 12);
    expectDistinctPeriods({ interval: "year", intervalCount: 1, anchorDay: 1 }, "2027-03-02T00:00:00Z", 12);
    expectDistinctPeriods({ interval: "week", intervalCount: 3 }, "2027-03-02T00:00:00Z", 50);
    expectDistinctPeriods({ interval: "day", intervalCount: 1 }, "2027-03-02T00:00:00Z", 400);
  });

  test("behavior: a 30-day period would have merged the 1 Feb and 1 Mar charges (why months are 28 days)", () => {
    const start = t("2027-01-01T00:00:00Z");
    const period30 = 30 * DAY;
    const index = (iso: string) => Math.floor((t(iso) - start) / period30);
    expect(index("2027-02-01T00:00:00Z")).toBe(index("2027-03-01T00:00:00Z"));
  });
});
