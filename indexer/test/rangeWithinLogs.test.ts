/**
 * The Ponder patch sizes each backfill range by its logs as well as by time (patches/ponder@0.17.7.patch,
 * runtime/historical.js): the next range holds about one indexing batch of logs at most, at the density
 * of the last. `rangeWithinLogs` is that rule; its result counts blocks after a range's first, as Ponder's
 * `estimateRange` does ([first, first + estimateRange]).
 */
import { describe, expect, it } from "vitest";

const { rangeWithinLogs } = (await import(
  new URL("../node_modules/ponder/dist/esm/runtime/historical.js", import.meta.url).href
)) as {
  rangeWithinLogs: (args: { interval: [number, number]; logCount: number; maxLogs: number }) => number;
};

describe("backfill ranges sized by their logs", () => {
  it("keeps a dense contract's next range within the batch: 745 logs a block gives 8 blocks", () => {
    const next = rangeWithinLogs({ interval: [27, 52], logCount: 26 * 745, maxLogs: 6_000 });
    expect(next).toBe(7);
    expect((next + 1) * 745).toBeLessThanOrEqual(6_000);
    expect((next + 2) * 745).toBeGreaterThan(6_000);
  });

  it("goes down to one block when a single block holds more than the batch", () => {
    expect(rangeWithinLogs({ interval: [10, 10], logCount: 7_000, maxLogs: 6_000 })).toBe(0);
    expect(rangeWithinLogs({ interval: [10, 13], logCount: 30_000, maxLogs: 6_000 })).toBe(0);
  });

  it("leaves sparse and empty ranges to the time estimate", () => {
    expect(rangeWithinLogs({ interval: [1, 26], logCount: 0, maxLogs: 6_000 })).toBe(
      Number.POSITIVE_INFINITY,
    );
    // 10 logs in 26 blocks: a range of 15,600 blocks would hold 6,000; Ponder's own estimate is far lower.
    expect(rangeWithinLogs({ interval: [1, 26], logCount: 10, maxLogs: 6_000 })).toBe(15_599);
  });
});
