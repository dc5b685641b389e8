import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { RetryWakeups } from "./retryWakeups.ts";

describe("retry wake-ups", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  test("behavior: wakes the workers when a scheduled retry falls due, once per retry", () => {
    const wakeups = new RetryWakeups();
    const wake = vi.fn();
    wakeups.attach(wake);
    wakeups.after(1);
    wakeups.after(2);
    expect(wakeups.pending).toBe(2);
    vi.advanceTimersByTime(999);
    expect(wake).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(wake).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(wake).toHaveBeenCalledTimes(2);
    expect(wakeups.pending).toBe(0);
  });

  test("edge: no timer before the workers attach, for retries past ten minutes, or after stop", () => {
    const wakeups = new RetryWakeups();
    const wake = vi.fn();
    wakeups.after(1); // a web-only process schedules retries but runs no workers
    wakeups.attach(wake);
    wakeups.after(601); // the workers' backstop poll picks it up, at most 30 s late
    wakeups.after(5);
    wakeups.stop();
    vi.advanceTimersByTime(3_600_000);
    expect(wake).not.toHaveBeenCalled();
    expect(wakeups.pending).toBe(0);
  });
});
