import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PostgresHandle } from "../../../scripts/lib/postgres.ts";
import { testDatabase } from "../../../test/harness/testDatabase.ts";
import { createBoss } from "../jobs/queues.ts";
import { createPool } from "./pool.ts";

let dir: string;
let postgres: PostgresHandle;
let pool: pg.Pool;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-pool-"));
  await chmod(dir, 0o755);
  postgres = await testDatabase(join(dir, "pg"));
  pool = createPool(postgres.url, "public", 4);
});

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("pool", () => {
  test("error: a checked-out connection that dies between queries fails its next query, not the process", async () => {
    // As in a transaction that awaits other work when Postgres goes away (the chaos suite's kill -9 found
    // it): the server's FATAL arrives while no query runs, and pg reports it as an 'error' event. Without a
    // listener that event is an uncaught exception, which vitest reports as a failed run.
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    // No query runs on `client` while the server ends it: wait for its 'end' (not 'error': a listener of
    // our own would hide the bug).
    const ended = new Promise((resolve) => client.once("end", resolve));
    await pool.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    await ended;
    await expect(client.query("SELECT 1")).rejects.toThrow();
    client.release(true);
    // The pool carries on with a new connection.
    expect((await pool.query<{ one: number }>("SELECT 1 AS one")).rows[0]!.one).toBe(1);
  });

  test("durability: the pool's and the job queue's connections commit synchronously where the database's default is off", async () => {
    // A database set to asynchronous commits (as a managed server may be): a commit is reported before it
    // is on disk, so a crash after the API answered 201 could lose the order.
    const { rows } = await pool.query<{ db: string }>("SELECT current_database() AS db");
    await pool.query(`ALTER DATABASE "${rows[0]!.db}" SET synchronous_commit = off`);
    const show = async (db: { query: (sql: string) => Promise<{ rows: unknown[] }> }) =>
      ((await db.query("SHOW synchronous_commit")).rows[0] as { synchronous_commit: string })
        .synchronous_commit;
    const plain = new pg.Client({ connectionString: postgres.url });
    const fresh = createPool(postgres.url, "public", 2);
    const boss = createBoss({ databaseUrl: postgres.url, jobsSchema: "durable_test" });
    try {
      // New sessions without Pier's settings now get `off`...
      await plain.connect();
      expect(await show(plain)).toBe("off");
      // ...the API's pool and its job queue's own pool do not.
      expect(await show(fresh)).toBe("on");
      await boss.start();
      const bossSql = (sql: string) => boss.getDb().executeSql(sql) as Promise<{ rows: unknown[] }>;
      expect(await show({ query: bossSql })).toBe("on");
    } finally {
      await boss.stop({ graceful: false });
      await fresh.end();
      await plain.end();
      await pool.query(`ALTER DATABASE "${rows[0]!.db}" RESET synchronous_commit`);
    }
  });
});
