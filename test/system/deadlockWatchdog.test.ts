/**
 * A deadlock in Postgres never hangs a test: under the real clock Postgres's detector breaks it; under the
 * shifted test clock (where Postgres's timeouts never fire) test/harness/deadlockWatchdog.ts does. Here
 * two sessions lock two tables in opposite orders on the run's shared Postgres, and one of them must get
 * an error while the other goes on.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PostgresHandle } from "../../scripts/lib/postgres.ts";
import { findCycles, startDeadlockWatchdog } from "../harness/deadlockWatchdog.ts";
import { SHARED_POSTGRES_ENV } from "../harness/sharedPostgres.ts";
import { testDatabase } from "../harness/testDatabase.ts";

let postgres: PostgresHandle;
let stopWatchdog = async () => {};
const clients: pg.Client[] = [];

beforeAll(async () => {
  postgres = await testDatabase(join("/tmp", `pier-deadlock-${randomBytes(4).toString("hex")}`));
  // The run's watchdog covers the shared server only; a server of this file's own needs its own.
  if (process.env.PIER_TEST_CLOCK_OFFSET && !process.env[SHARED_POSTGRES_ENV])
    stopWatchdog = startDeadlockWatchdog(postgres.url);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => {})));
  await stopWatchdog();
  await postgres?.stop();
});

async function connect(): Promise<pg.Client> {
  // pier-test-*: the watchdog breaks this file's deadlock without reporting it as a finding.
  const client = new pg.Client({ connectionString: postgres.url, application_name: "pier-test-deadlock" });
  client.on("error", () => {});
  await client.connect();
  clients.push(client);
  return client;
}

describe("deadlocks in tests", () => {
  test("default: findCycles finds each wait-for cycle once and ignores plain waiting", () => {
    expect(findCycles(new Map([[1, [2]]]))).toEqual([]);
    expect(
      findCycles(
        new Map([
          [1, [2]],
          [2, [3]],
        ]),
      ),
    ).toEqual([]);
    expect(
      findCycles(
        new Map([
          [1, [2]],
          [2, [1]],
        ]),
      ),
    ).toEqual([[1, 2]]);
    expect(
      findCycles(
        new Map([
          [3, [1]],
          [1, [2]],
          [2, [3]],
          [4, [1]],
        ]),
      ),
    ).toEqual([[1, 2, 3]]);
  });

  test("behavior: two transactions locking two tables in opposite orders: one fails, the other commits", async () => {
    const [setup, a, b] = [await connect(), await connect(), await connect()];
    await setup.query("CREATE TABLE left_side (x int); CREATE TABLE right_side (x int)");
    await a.query("BEGIN");
    await b.query("BEGIN");
    await a.query("LOCK TABLE left_side IN ACCESS EXCLUSIVE MODE");
    await b.query("LOCK TABLE right_side IN ACCESS EXCLUSIVE MODE");
    const outcomes = await Promise.allSettled([
      a.query("LOCK TABLE right_side IN ACCESS EXCLUSIVE MODE"),
      b.query("LOCK TABLE left_side IN ACCESS EXCLUSIVE MODE"),
    ]);
    const failed = outcomes.filter((o) => o.status === "rejected");
    expect(failed).toHaveLength(1);
    // Postgres's own "deadlock detected" (40P01), or the watchdog's cancel (57014) under the test clock.
    const code = ((failed[0] as PromiseRejectedResult).reason as { code?: string }).code;
    expect(["40P01", "57014"]).toContain(code);
    const winner = outcomes[0]!.status === "fulfilled" ? a : b;
    const loser = winner === a ? b : a;
    await loser.query("ROLLBACK");
    await winner.query("COMMIT");
  });
});
