/**
 * A fingerprint of the API's tables (row count and an md5 over every row, in a stable order) to show that
 * rejected requests changed nothing. Columns that a valid read legitimately touches are left out and
 * listed with the reason.
 */
import type pg from "pg";

/** table -> columns left out of the fingerprint, and why. */
export const VOLATILE_COLUMNS: Record<string, { columns: string[]; why: string }> = {
  api_keys: {
    columns: ["last_used_at"],
    why: "every authenticated request (accepted or not) stamps its key's last use, at most once a minute",
  },
};

/** Tables left out of the fingerprint entirely, and why (none of them is written by a request). */
export const SCHEDULED_TABLES: Record<string, string> = {
  reconciliation_runs:
    "one row per pass of the reconciliation cron (PIER_RECONCILIATION_CRON, every 5 min), whatever requests arrive",
};

export type Snapshot = Map<string, { rows: number; md5: string }>;

export async function snapshotSchema(db: pg.Pool, schema: string, skip: string[] = []): Promise<Snapshot> {
  const { rows: tables } = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1",
    [schema],
  );
  const out: Snapshot = new Map();
  for (const { table_name: table } of tables) {
    if (skip.includes(table) || table in SCHEDULED_TABLES) continue;
    const { rows: cols } = await db.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
      [schema, table],
    );
    const volatile = VOLATILE_COLUMNS[table]?.columns ?? [];
    const kept = cols.map((c) => c.column_name).filter((c) => !volatile.includes(c));
    const row = `(${kept.map((c) => `t.${quote(c)}`).join(", ")})`;
    const { rows } = await db.query<{ n: number; md5: string | null }>(
      `SELECT count(*)::int AS n, md5(string_agg(${row}::text, '|' ORDER BY ${row}::text)) AS md5 FROM ${quote(schema)}.${quote(table)} t`,
    );
    out.set(table, { rows: rows[0]!.n, md5: rows[0]!.md5 ?? "" });
  }
  return out;
}

/** Tables whose fingerprint differs between two snapshots. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((t) => JSON.stringify(before.get(t)) !== JSON.stringify(after.get(t)));
}

function quote(id: string): string {
  return `"${id.replaceAll('"', '""')}"`;
}
