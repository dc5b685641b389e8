/**
 * Wraps a rate source with a time-to-live cache so quoting does not fetch per request. Concurrent callers
 * share one refresh. If a refresh fails while an older snapshot is cached, the older one is served: the
 * quote's max-age check (StaleRateError) is what refuses rates that have become too old, so a brief
 * source outage does not stop quoting while the last rates are still acceptable.
 */
import type { RateSnapshot, RateSource } from "./rateSource.ts";

export function cachedRateSource(
  inner: RateSource,
  ttlMs: number,
  now: () => number = Date.now,
): RateSource & { invalidate(): void } {
  let cached: { snapshot: RateSnapshot; at: number } | undefined;
  let inflight: Promise<RateSnapshot> | undefined;
  return {
    name: inner.name,
    invalidate() {
      cached = undefined;
    },
    snapshot() {
      if (cached && now() - cached.at < ttlMs) return Promise.resolve(cached.snapshot);
      inflight ??= inner
        .snapshot()
        .then((snapshot) => {
          cached = { snapshot, at: now() };
          return snapshot;
        })
        .catch((error) => {
          if (cached) return cached.snapshot;
          throw error;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
  };
}
