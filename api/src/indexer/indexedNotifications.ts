/**
 * The indexer's commits wake the order sync instead of the sync polling fast. Ponder updates its
 * `_ponder_checkpoint` row in the same transaction as each block's rows; a trigger on that table runs
 * pg_notify('pier_indexed', chain id), which Postgres delivers when the transaction commits, and a
 * connection of the API's LISTENs and kicks that chain's sync loop.
 *
 * The API installs the trigger (idempotently, under an advisory lock for several replicas) because the
 * indexer's tables are Ponder's: a new indexer build recreates them without it, so the sync's safety-net
 * runs check it again. A lost notification (a dropped connection, a moment without the trigger) costs
 * latency only: the safety net (PIER_SYNC_INTERVAL_MS) reconciles anyway.
 */
import type { FastifyBaseLogger } from "fastify";
import pg from "pg";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { checkedSchemaName } from "./indexerTables.ts";

export const INDEXED_CHANNEL = "pier_indexed";
const TRIGGER = "pier_notify_indexed";
const INSTALL_LOCK = 0x4e4f_5449; // "NOTI"
/** Waits between reconnections of the listening connection. */
const RECONNECT_MS = 1_000;

/** True when the trigger is on the indexer's checkpoint table (installing it when missing); false before the
 * indexer has created its tables. */
export async function ensureIndexedTrigger(db: pg.Pool, schema: string): Promise<boolean> {
  checkedSchemaName(schema);
  const state = async (q: Db) => {
    const { rows } = await q.query<{ table: boolean; trigger: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS table,
              EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = $2 AND tgrelid = to_regclass($1)) AS trigger`,
      [`"${schema}"."_ponder_checkpoint"`, TRIGGER],
    );
    return rows[0]!;
  };
  const before = await state(db);
  if (!before.table) return false;
  if (before.trigger) return true;
  return withTransaction(db, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [INSTALL_LOCK]);
    const now = await state(tx);
    if (!now.table) return false;
    if (now.trigger) return true;
    await tx.query(
      `CREATE OR REPLACE FUNCTION "${schema}".${TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${INDEXED_CHANNEL}', NEW.chain_id::text);
         RETURN NULL;
       END $$`,
    );
    await tx.query(
      `CREATE OR REPLACE TRIGGER ${TRIGGER} AFTER INSERT OR UPDATE ON "${schema}"."_ponder_checkpoint"
       FOR EACH ROW EXECUTE FUNCTION "${schema}".${TRIGGER}()`,
    );
    return true;
  });
}

export interface IndexedListener {
  stop(): Promise<void>;
}

/**
 * LISTENs on the channel from a connection of its own and calls `onIndexed(chainId)` per notification,
 * reconnecting after a lost connection (what was missed meanwhile is the safety net's).
 */
export function listenIndexed(
  databaseUrl: string,
  onIndexed: (chainId: number) => void,
  log: FastifyBaseLogger,
): IndexedListener {
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const reconnectLater = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, RECONNECT_MS);
  };

  const connect = async () => {
    const c = new pg.Client({
      connectionString: databaseUrl,
      application_name: "pier-api-indexed",
      keepAlive: true,
    });
    client = c;
    c.on("notification", (msg) => {
      const chainId = Number(msg.payload);
      if (Number.isSafeInteger(chainId)) onIndexed(chainId);
    });
    c.on("error", (error) => {
      log.warn({ err: error }, "indexer notifications lost; the sync polls until they are back");
      c.removeAllListeners("notification");
      void c.end().catch(() => {});
      if (client === c) client = undefined;
      reconnectLater();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${INDEXED_CHANNEL}`);
      if (stopped) await c.end();
    } catch (error) {
      c.removeAllListeners();
      c.on("error", () => {}); // a late error of a connection given up on
      await c.end().catch(() => {});
      if (client === c) client = undefined;
      log.warn({ err: error }, "could not listen for indexer notifications; retrying");
      reconnectLater();
    }
  };
  void connect();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      c?.removeAllListeners();
      c?.on("error", () => {});
      await c?.end().catch(() => {});
    },
  };
}
