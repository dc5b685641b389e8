/**
 * When to try a failed webhook delivery again: exponential backoff from a base interval, capped, and no
 * further attempt once the event is older than the maximum age (3 days by default). Live mode starts at
 * 1 min and caps at 6 h; test mode (a developer's machine) starts at 1 s and caps at 1 min.
 */
export interface RetryPolicy {
  baseSeconds: number;
  maxIntervalSeconds: number;
  maxAgeSeconds: number;
}

export function retryPolicy(
  livemode: boolean,
  overrides: { retryBaseSeconds?: number; retryMaxIntervalSeconds?: number; retryMaxAgeSeconds: number },
): RetryPolicy {
  return {
    baseSeconds: overrides.retryBaseSeconds ?? (livemode ? 60 : 1),
    maxIntervalSeconds: overrides.retryMaxIntervalSeconds ?? (livemode ? 6 * 3600 : 60),
    maxAgeSeconds: overrides.retryMaxAgeSeconds,
  };
}

/** Seconds to wait after failed attempt number `attempt` (1-based), or null to give up. */
export function nextRetryDelay(policy: RetryPolicy, attempt: number, ageSeconds: number): number | null {
  const delay = Math.min(policy.maxIntervalSeconds, policy.baseSeconds * 2 ** Math.min(attempt - 1, 30));
  return ageSeconds + delay > policy.maxAgeSeconds ? null : delay;
}

/** Network errors, 408, 429 and 5xx are worth retrying; any other answer is final. */
export function isRetryable(statusCode: number | undefined): boolean {
  if (statusCode === undefined) return true;
  return statusCode === 408 || statusCode === 429 || statusCode >= 500;
}
