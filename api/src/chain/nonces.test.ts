import { describe, expect, test } from "vitest";
import { nextNonce, nonceGaps, splitInFlight } from "./nonces.ts";

describe("nextNonce", () => {
  test("default: our own count when the node agrees", () => {
    expect(nextNonce({ stored: 7, chainPending: 7 })).toBe(7);
  });
  test("behavior: ahead of the node while ours are in flight or dropped (they are re-broadcast)", () => {
    expect(nextNonce({ stored: 12, chainPending: 9, highestOpen: 11 })).toBe(12);
  });
  test("behavior: the node is ahead (the key was used elsewhere): follow the node", () => {
    expect(nextNonce({ stored: 3, chainPending: 5 })).toBe(5);
  });
  test("behavior: an open intent above the stored count (an older version's row) is never reused", () => {
    expect(nextNonce({ stored: 0, chainPending: 0, highestOpen: 4 })).toBe(5);
  });
  test("behavior: a fresh chain after a reset starts from the node's count", () => {
    expect(nextNonce({ stored: 0, chainPending: 0 })).toBe(0);
  });
});

describe("splitInFlight", () => {
  const t = (n: number) => ({ id: `t${n}`, n });
  test("default: used below the latest nonce, unmined from it, dropped beyond pending", () => {
    const split = splitInFlight([t(6), t(3), t(4), t(5)], { latest: 4, pending: 5 });
    expect(split.used.map((x) => x.n)).toEqual([3]);
    expect(split.unmined.map((x) => x.n)).toEqual([4, 5, 6]);
    expect(split.maybeDropped.map((x) => x.n)).toEqual([5, 6]);
  });
  test("behavior: a priced-out transaction makes pending fall back to latest: all unmined are asked about", () => {
    const split = splitInFlight([t(2), t(3)], { latest: 2, pending: 2 });
    expect(split.maybeDropped.map((x) => x.n)).toEqual([2, 3]);
  });
});

describe("nonceGaps", () => {
  test("default: none when every nonce between latest and next is held", () => {
    expect(nonceGaps({ latest: 3, next: 6, held: [3, 4, 5] })).toEqual([]);
  });
  test("behavior: a hole is reported (it would stall every later nonce)", () => {
    expect(nonceGaps({ latest: 3, next: 7, held: [3, 5, 6] })).toEqual([4]);
  });
  test("behavior: nothing below the node's latest nonce counts", () => {
    expect(nonceGaps({ latest: 10, next: 8, held: [] })).toEqual([]);
  });
});
