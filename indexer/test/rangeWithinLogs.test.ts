/**
 * The Ponder patch sizes each backfill range by its logs as well as by time (patches/ponder@0.17.7.patch,
 * runtime/historical.js): the next range holds about one indexing batch of logs at most, at the density
 * of the densest block of the last. `rangeWithinLogs` is that rule; its result counts blocks after a
 * range's first, as Ponder's `estimateRange` does ([first, first + estimateRange]).
 */
import { describe, expect, it } from "vitest";

const { rangeWithinLogs } = (await import(
  new URL("../node_modules/ponder/dist/esm/runtime/historical.js", import.meta.url).href
)) as {
  rangeWithinLogs: (args: { logBlockNumbers: readonly string[]; maxLogs: number }) => number;
};

/** The block number (hex, as eth_getLogs gives it) of each log: `counts[i]` logs in block first + i. */
const logsIn = (first: number, counts: number[]): string[] =>
  counts.flatMap((n, i) => Array<string>(n).fill(`0x${(first + i).toString(16)}`));

describe("backfill ranges sized by their logs", () => {
  it("keeps a dense contract's next range within the batch: 745 logs a block gives 8 blocks", () => {
    const next = rangeWithinLogs({ logBlockNumbers: logsIn(27, Array(26).fill(745)), maxLogs: 6_000 });
    expect(next).toBe(7);
    expect((next + 1) * 745).toBeLessThanOrEqual(6_000);
    expect((next + 2) * 745).toBeGreaterThan(6_000);
  });

  it("sizes by the densest block, not the range's average, where busy blocks begin after quiet ones", () => {
    // 13 blocks: 7 with 1 log, then 6 with 745. The average (about 344) would allow 16 more blocks, which
    // at the new density hold 12,665 logs; the densest block allows 7 more.
    const logs = logsIn(22, [...Array(7).fill(1), ...Array(6).fill(745)]);
    expect(rangeWithinLogs({ logBlockNumbers: logs, maxLogs: 6_000 })).toBe(7);
  });

  it("goes down to one block when a single block holds more than the batch", () => {
    expect(rangeWithinLogs({ logBlockNumbers: logsIn(10, [7_000]), maxLogs: 6_000 })).toBe(0);
    expect(rangeWithinLogs({ logBlockNumbers: logsIn(10, [100, 6_500, 20]), maxLogs: 6_000 })).toBe(0);
  });

  it("leaves empty ranges to the time estimate, and sparse ones far above it", () => {
    expect(rangeWithinLogs({ logBlockNumbers: [], maxLogs: 6_000 })).toBe(Number.POSITIVE_INFINITY);
    // At most 2 logs a block: 3,000 blocks would hold 6,000; Ponder's own estimate is far lower.
    expect(rangeWithinLogs({ logBlockNumbers: logsIn(1, [2, 0, 1, 1]), maxLogs: 6_000 })).toBe(2_999);
  });
});
