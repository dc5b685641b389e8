/**
 * Postgres's deadlock detector under the shifted test clock. Postgres's own timeouts never fire under
 * faketime (scripts/test says why), so two transactions that wait for each other would wait forever and
 * a test would hang until its timeout with nothing in any log. This watchdog does what the detector does
 * in production: every second it looks for a cycle among the backends waiting on locks (pg_blocking_pids)
 * and, when the same cycle is still there a second later, cancels one statement of it, so the process
 * that owns it sees an error and retries, as it would see "deadlock detected" in production.
 *
 * Every cycle it breaks is a bug worth fixing (a lock-order mismatch): each one is printed, and written to
 * `$PIER_TEST_LOG_DIR/deadlocks.log` so ./scripts/test reports them after the run. Sessions named
 * `pier-test-*` (a test that deadlocks on purpose) are broken the same way but not reported.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";

interface Waiter {
  pid: number;
  datname: string;
  application_name: string;
  query: string;
  blockers: number[];
}

/** The pids on a wait-for cycle, each cycle once (as a sorted list). */
export function findCycles(edges: Map<number, number[]>): number[][] {
  const cycles = new Map<string, number[]>();
  for (const start of edges.keys()) {
    // Depth-first from each waiter, following blockers that are waiting themselves.
    const stack: { pid: number; path: number[] }[] = [{ pid: start, path: [start] }];
    while (stack.length > 0) {
      const { pid, path } = stack.pop()!;
      for (const next of edges.get(pid) ?? []) {
        if (next === start) {
          const cycle = [...path].sort((a, b) => a - b);
          cycles.set(cycle.join(","), cycle);
        } else if (!path.includes(next) && edges.has(next) && path.length < 16) {
          stack.push({ pid: next, path: [...path, next] });
        }
      }
    }
  }
  return [...cycles.values()];
}

export function startDeadlockWatchdog(url: string, logDir?: string): () => Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: "pier-test-deadlock-watchdog" });
  let seen = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const report = (text: string) => {
    console.error(`[deadlock watchdog] ${text}`);
    if (!logDir) return;
    mkdirSync(logDir, { recursive: true });
    appendFileSync(join(logDir, "deadlocks.log"), `${text}\n`);
  };

  const check = async () => {
    const { rows } = await client.query<Waiter>(
      `SELECT pid, datname, application_name, left(query, 400) AS query, pg_blocking_pids(pid) AS blockers
         FROM pg_stat_activity WHERE wait_event_type = 'Lock'`,
    );
    const byPid = new Map(rows.map((r) => [r.pid, r]));
    const cycles = findCycles(new Map(rows.map((r) => [r.pid, r.blockers])));
    const now = new Set(cycles.map((c) => c.join(",")));
    for (const cycle of cycles) {
      // A second sighting: Postgres would have decided by now (deadlock_timeout is 1 s).
      if (!seen.has(cycle.join(","))) continue;
      const victim = cycle[cycle.length - 1]!;
      await client.query("SELECT pg_cancel_backend($1)", [victim]);
      const who = cycle
        .map((pid) => byPid.get(pid))
        .map((w) => `${w?.pid} ${w?.datname} ${w?.application_name}: ${w?.query.replace(/\s+/g, " ")}`);
      // A test that makes a deadlock on purpose names its sessions pier-test-*: not a finding.
      const onPurpose = cycle.every((pid) => byPid.get(pid)?.application_name.startsWith("pier-test-"));
      if (onPurpose) console.error(`[deadlock watchdog] broke a test's own lock cycle (${cycle.join(", ")})`);
      else report(`broke a lock cycle by canceling ${victim}:\n  ${who.join("\n  ")}`);
      now.delete(cycle.join(","));
    }
    seen = now;
  };

  const tick = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      check()
        .catch((error: Error) => console.error(`[deadlock watchdog] check failed: ${error.message}`))
        .finally(tick);
    }, 1_000);
    timer.unref();
  };
  const started = client.connect().then(tick);

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await started.catch(() => {});
    await client.end().catch(() => {});
  };
}
