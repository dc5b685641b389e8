import { expect, test } from "vitest";
import { TtlCache } from "./ttlCache.ts";

test("default: a value lives for its TTL on the injected clock, then is gone", () => {
  let now = 1_000;
  const cache = new TtlCache<string>(500, 10, () => now);
  cache.set("a", "x");
  now = 1_499;
  expect(cache.get("a")).toBe("x");
  now = 1_500;
  expect(cache.get("a")).toBeUndefined();
});

test("behavior: delete forgets at once; more than maxEntries starts afresh", () => {
  const cache = new TtlCache<number>(60_000, 2);
  cache.set("a", 1);
  cache.delete("a");
  expect(cache.get("a")).toBeUndefined();
  cache.set("b", 2);
  cache.set("c", 3);
  cache.set("d", 4);
  expect([cache.get("b"), cache.get("c"), cache.get("d")]).toEqual([undefined, undefined, 4]);
});
