/**
 * Applies the SQL files in ./migrations, in name order, each once and in its own transaction, to the
 * API's schema. Runs at every start; an advisory lock makes concurrent starts wait for each other.
 */
import { readdir, readFile } from "node:fs/promises";
import pg from "pg";
import { DURABLE_WRITES } from "./pool.ts";

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);
const LOCK_ID = 0x50_49_45_52; // "PIER"

export async function migrate(databaseUrl: string, schema: string): Promise<string[]> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: "pier-api-migrate",
    options: DURABLE_WRITES,
  });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path = "${schema}"`);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = new Set(
      (await client.query<{ name: string }>("SELECT name FROM schema_migrations")).rows.map((r) => r.name),
    );
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith(".sql")).sort();
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(new URL(file, MIGRATIONS_DIR), "utf8");
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query("INSERT INTO schema_migrations (name) VALUES ($1)", [file]);
        await client.query("COMMIT");
        applied.push(file);
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${file} failed`, { cause: error });
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
    await client.end();
  }
  return applied;
}
