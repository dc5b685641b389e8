/**
 * Wakes this process's webhook workers when a retry it scheduled falls due. Workers are woken by NOTIFY
 * when a job is inserted ready to run; a retry is inserted deferred (startAfter), and NOTIFY does not
 * fire when it becomes due. Polling for those every 2 s from each of the ten workers was a third of an
 * idle API's queries. So the process that schedules a retry sets a timer for it, and the workers poll
 * only every WEBHOOK_BACKSTOP_SECONDS: that backstop is what picks up a retry whose process died, and
 * pg-boss's own retries of a handler that threw.
 */

/** How often idle webhook workers look for jobs that no notification or timer announced. */
export const WEBHOOK_BACKSTOP_SECONDS = 30;
/** Later retries wait for the backstop: 30 s late on a delay of 10 minutes or more is noise. */
const MAX_TIMER_SECONDS = 600;

export class RetryWakeups {
  #timers = new Set<NodeJS.Timeout>();
  #wake: (() => void) | undefined;

  /** Called by the workers once they run; before that (or without workers) timers are not set. */
  attach(wake: () => void): void {
    this.#wake = wake;
  }

  /** A retry was committed to run in `seconds`: wake the workers then. */
  after(seconds: number): void {
    if (!this.#wake || seconds > MAX_TIMER_SECONDS) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#wake?.();
    }, seconds * 1000);
    timer.unref();
    this.#timers.add(timer);
  }

  /** Pending timers, for tests and shutdown. */
  get pending(): number {
    return this.#timers.size;
  }

  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#wake = undefined;
  }
}
