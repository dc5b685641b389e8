/**
 * Runs `fn` every `intervalMs` (measured from the end of one run to the start of the next, so runs never
 * overlap), logging failures instead of dying. `stop()` waits for the run in progress.
 */
import type { FastifyBaseLogger } from "fastify";

export interface Loop {
  stop(): Promise<void>;
  /** Runs now instead of waiting for the timer (coalesces with a run in progress). */
  kick(): void;
}

export function runEvery(
  name: string,
  intervalMs: number,
  fn: () => Promise<unknown>,
  log: FastifyBaseLogger,
): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    running = fn()
      .then(
        () => undefined,
        (error) => log.warn({ err: error, loop: name }, "background run failed; will retry"),
      )
      .finally(() => {
        running = undefined;
        if (stopped) return;
        timer = setTimeout(tick, again ? 0 : intervalMs);
        again = false;
      });
  };
  timer = setTimeout(tick, 0);
  return {
    kick() {
      if (running) again = true;
      else if (timer && !stopped) {
        clearTimeout(timer);
        timer = setTimeout(tick, 0);
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
