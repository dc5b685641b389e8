/**
 * The Ponder patch keeps each committed backfill range's rows in memory until they are indexed, so the
 * indexing does not read back from ponder_sync what the fetch has just written (patches/ponder@0.17.7.patch,
 * runtime/fetched.js). `createFetchedBlocks` is that store: what it hands over must be exactly the blocks
 * asked for, in order, each once, and it must say when it does not cover a block, so that block is read
 * back from ponder_sync instead of being skipped.
 */
import { describe, expect, it } from "vitest";

interface Block {
  block: { number: bigint };
  logs: { blockNumber: number; logIndex: number }[];
  transactions: { blockNumber: number }[];
  transactionReceipts: never[];
  traces: never[];
}
interface Rows {
  blocks: { number: bigint }[];
  logs: Block["logs"];
  transactions: Block["transactions"];
  cursor: number;
}
interface FetchedBlocks {
  add(interval: [number, number], blocks: Block[]): boolean;
  take(from: number, to: number, limit: number): Rows | undefined;
  size(): number;
}

const { createFetchedBlocks } = (await import(
  new URL("../node_modules/ponder/dist/esm/runtime/fetched.js", import.meta.url).href
)) as { createFetchedBlocks: (args: { maxRows: number }) => FetchedBlocks };

/** Block `n` with `logs` logs, each in a transaction of its own. */
const block = (n: number, logs: number): Block => ({
  block: { number: BigInt(n) },
  logs: Array.from({ length: logs }, (_, logIndex) => ({ blockNumber: n, logIndex })),
  transactions: Array.from({ length: logs }, () => ({ blockNumber: n })),
  transactionReceipts: [],
  traces: [],
});
const numbers = (rows: Rows | undefined) => rows?.blocks.map((b) => Number(b.number));

describe("backfill rows kept from the fetch", () => {
  it("hands over a range's blocks in block order, whatever order they were fetched in, each once", () => {
    const store = createFetchedBlocks({ maxRows: 1_000 });
    expect(store.add([10, 19], [block(15, 2), block(11, 3), block(19, 1)])).toBe(true);
    const rows = store.take(10, 19, 1_000);
    expect(numbers(rows)).toEqual([11, 15, 19]);
    expect(rows?.logs.map((l) => l.blockNumber)).toEqual([11, 11, 11, 15, 15, 19]);
    expect(rows?.transactions).toHaveLength(6);
    expect(rows?.cursor).toBe(19);
    expect(store.size()).toBe(0);
    // Taken once: the same blocks asked again are not covered any more (read back, not re-indexed).
    expect(store.take(10, 19, 1_000)).toBeUndefined();
  });

  it("covers blocks without rows: a range with no logs still moves the cursor to its end", () => {
    const store = createFetchedBlocks({ maxRows: 1_000 });
    store.add([1, 50], []);
    expect(store.take(1, 50, 1_000)).toMatchObject({ blocks: [], logs: [], cursor: 50 });
  });

  it("stops at `to` and keeps the rest of the range for the next take", () => {
    const store = createFetchedBlocks({ maxRows: 1_000 });
    store.add([1, 10], [block(2, 1), block(5, 1), block(9, 1)]);
    const first = store.take(1, 6, 1_000);
    expect(numbers(first)).toEqual([2, 5]);
    expect(first?.cursor).toBe(6);
    const rest = store.take(7, 10, 1_000);
    expect(numbers(rest)).toEqual([9]);
    expect(rest?.cursor).toBe(10);
  });

  it("runs across consecutive ranges and stops at the first gap, for the gap to be read back", () => {
    const store = createFetchedBlocks({ maxRows: 1_000 });
    store.add([1, 10], [block(3, 1)]);
    store.add([11, 20], [block(12, 1)]);
    // 21-30 was not kept (too many rows waiting, or partly cached): a gap.
    store.add([31, 40], [block(35, 1)]);
    const rows = store.take(1, 40, 1_000);
    expect(numbers(rows)).toEqual([3, 12]);
    expect(rows?.cursor).toBe(20);
    expect(store.take(21, 40, 1_000)).toBeUndefined();
    // Once the gap has been read back, the kept range after it is handed over.
    expect(numbers(store.take(31, 40, 1_000))).toEqual([35]);
  });

  it("lets go of blocks before `from` (indexing began later than the fetch)", () => {
    const store = createFetchedBlocks({ maxRows: 1_000 });
    store.add([1, 10], [block(2, 4), block(8, 1)]);
    expect(numbers(store.take(5, 10, 1_000))).toEqual([8]);
    expect(store.size()).toBe(0);
  });

  it("cuts at whole blocks within `limit` rows, at least one block, and resumes after the cut", () => {
    const store = createFetchedBlocks({ maxRows: 1_000 });
    store.add([1, 10], [block(1, 3), block(2, 3), block(3, 3), block(7, 50)]);
    // Each block weighs its logs + 1: 4 + 4 fit in 9, the third would make 12.
    const first = store.take(1, 10, 9);
    expect(numbers(first)).toEqual([1, 2]);
    expect(first?.cursor).toBe(2);
    const second = store.take(3, 10, 9);
    expect(numbers(second)).toEqual([3]);
    expect(second?.cursor).toBe(6);
    // A block heavier than the limit alone still goes, by itself.
    const third = store.take(7, 10, 9);
    expect(numbers(third)).toEqual([7]);
    expect(third?.cursor).toBe(10);
  });

  it("keeps nothing of a range that would pass `maxRows` waiting, and counts what is taken", () => {
    const store = createFetchedBlocks({ maxRows: 10 });
    expect(store.add([1, 5], [block(1, 4), block(2, 4)])).toBe(true);
    expect(store.size()).toBe(10);
    expect(store.add([6, 9], [block(6, 1)])).toBe(false);
    expect(numbers(store.take(1, 5, 100))).toEqual([1, 2]);
    expect(store.size()).toBe(0);
    // Not kept: 6-9 is read back from ponder_sync.
    expect(store.take(6, 9, 100)).toBeUndefined();
    expect(store.add([10, 12], [block(10, 1)])).toBe(true);
  });

  it("refuses a range that does not follow the last one kept", () => {
    const store = createFetchedBlocks({ maxRows: 100 });
    store.add([5, 10], [block(6, 1)]);
    expect(store.add([8, 12], [block(9, 1)])).toBe(false);
    expect(numbers(store.take(5, 12, 100))).toEqual([6]);
  });
});
