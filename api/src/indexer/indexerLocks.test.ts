/**
 * The API and the indexer share Postgres, and on a reorg the indexer (Ponder) drops and re-creates the
 * triggers of its tables in one transaction: ACCESS EXCLUSIVE locks taken one table after another, in
 * schema order, then `_ponder_checkpoint`. An API transaction that holds one indexer table while it asks
 * for an earlier one waits for the indexer while the indexer waits for it: a deadlock that froze indexing
 * of every chain (and that Postgres cannot even see when the API's side of it is a pool it waits on).
 *
 * Here a session plays the indexer's reorg against the running API: it locks `payment_event` and waits
 * until the API's loops are blocked behind it, checks that no blocked API statement holds a table the
 * indexer locks later, then takes those tables as the indexer would. That must go through. (It leaves
 * `payment` alone: the order sync holds it while it waits for `payment_event`, which is the indexer's
 * own order and safe, but a session locking `payment` after `payment_event` would deadlock with it.)
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";

/** indexer/ponder.schema.ts's tables in the order Ponder locks them, then its checkpoint table. */
const PONDER_LOCK_ORDER = ["payment", "payment_event", "credit", "merchant_daily", "_ponder_checkpoint"];

let s: ApiStack;

beforeAll(async () => {
  s = await startApiStack({ PIER_KEEPER_INTERVAL_MS: "200" });
});
afterAll(async () => {
  await s?.stop();
});

interface BlockedStatement {
  pid: number;
  query: string;
  /** Indexer tables this backend holds while it waits. */
  holds: string[];
}

/** API backends waiting for a lock on an indexer table, and the indexer tables each already holds. */
async function blockedApiStatements(schema: string): Promise<BlockedStatement[]> {
  const { rows } = await s.stack.db.query<BlockedStatement>(
    `SELECT a.pid, a.query,
            coalesce(array_agg(c.relname::text) FILTER (WHERE c.relname IS NOT NULL), '{}') AS holds
       FROM pg_stat_activity a
       LEFT JOIN pg_locks l ON l.pid = a.pid AND l.granted AND l.locktype = 'relation'
       LEFT JOIN pg_class c ON c.oid = l.relation AND c.relnamespace = $1::regnamespace AND c.relname = ANY($2)
      WHERE a.datname = current_database() AND a.application_name = 'pier-api' AND a.wait_event_type = 'Lock'
      GROUP BY a.pid, a.query`,
    [schema, PONDER_LOCK_ORDER],
  );
  return rows;
}

describe("the API's reads of the indexer's tables", () => {
  test("behavior: a reorg's lock sequence goes through while the API's sync, keeper and credit sweep run", async () => {
    const schema = s.stack.indexer!.schema;
    const table = (name: string) => `"${schema}"."${name}"`;
    const ponder: pg.PoolClient = await s.stack.db.connect();
    try {
      await ponder.query("BEGIN");
      await ponder.query(`LOCK TABLE ${table("payment_event")} IN ACCESS EXCLUSIVE MODE`);
      const later = PONDER_LOCK_ORDER.slice(PONDER_LOCK_ORDER.indexOf("payment_event") + 1);

      // The credit sweep reads `credit` and `payment_event`; the sync `payment` and `payment_event` in a
      // full pass, and `payment_event` then `_ponder_checkpoint` first in every pass (its state, "AS due").
      const blocked = await waitFor("the credit sweep and the order sync blocked by the reorg", async () => {
        const rows = await blockedApiStatements(schema);
        const sweep = rows.some((r) => r.query.includes("kind = 'withdrawn'"));
        const sync = rows.some((r) => r.query.includes("sync_fingerprint") || r.query.includes("AS due"));
        return sweep && sync && rows;
      });
      for (const r of blocked) {
        const held = r.holds.filter((h) => later.includes(h));
        expect(held, `blocked while holding ${held.join(", ")}: ${r.query.slice(0, 200)}`).toEqual([]);
      }

      // The rest of the reorg's locks. A deadlock would leave this waiting: cancel it and fail instead.
      let done = false;
      const rest = (async () => {
        for (const name of later) await ponder.query(`LOCK TABLE ${table(name)} IN ACCESS EXCLUSIVE MODE`);
        done = true;
      })();
      const outcome = await waitFor("the reorg's remaining locks", async () => done, {
        timeoutMs: 15_000,
      }).catch(async (error: Error) => {
        await s.stack.db.query("SELECT pg_cancel_backend($1)", [
          (ponder as unknown as { processID: number }).processID,
        ]);
        return error;
      });
      await rest.catch(() => {});
      expect(outcome).toBe(true);
      await ponder.query("COMMIT");
    } finally {
      await ponder.query("ROLLBACK").catch(() => {});
      ponder.release();
    }

    // The loops go on: the API still answers and its sync keeps up with the indexer.
    const ready = await waitFor("the API ready again", async () => (await fetch(`${s.api.url}/readyz`)).ok);
    expect(ready).toBe(true);
  });
});
