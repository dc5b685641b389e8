/**
 * A fresh, empty database for one test file or stack: a new database on the run's shared Postgres
 * (sharedPostgres.ts) when there is one, dropped again by stop(); otherwise an embedded server of its
 * own with its data in `dataDir`.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { freePort } from "../../scripts/lib/ports.ts";
import { type PostgresHandle, startPostgres } from "../../scripts/lib/postgres.ts";
import { SHARED_POSTGRES_ENV } from "./sharedPostgres.ts";

export async function testDatabase(
  dataDir: string,
  opts: { ownServer?: boolean } = {},
): Promise<PostgresHandle> {
  const shared = process.env[SHARED_POSTGRES_ENV];
  if (!shared || opts.ownServer || process.env.DATABASE_URL)
    return startPostgres({ dataDir, port: await freePort() });
  const name = `pier_t_${randomBytes(6).toString("hex")}`;
  await onServer(shared, `CREATE DATABASE ${name}`);
  const url = new URL(shared);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: true,
    // FORCE: a process of the test that was not stopped (a timed-out hook) must not keep it alive.
    stop: () => onServer(shared, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
