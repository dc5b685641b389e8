/**
 * The API's Postgres pool. Every connection's search_path is the API's own schema, so the API's SQL
 * names its tables bare; the indexer's tables are always schema-qualified (see indexerTables.ts).
 */
import pg from "pg";

export type Db = pg.Pool | pg.PoolClient;

/**
 * Startup options of every API connection that writes (the pool, the job queue, migrations):
 * `synchronous_commit = on` whatever the server's default. The API answers 201 once an order has
 * committed, and a webhook job once it is queued; on a server set to `off` a crash could lose either after
 * the answer. The indexer's connections force the same (indexer/README.md).
 */
export const DURABLE_WRITES = "-c synchronous_commit=on";

export function createPool(databaseUrl: string, schema: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    options: `-c search_path=${schema} ${DURABLE_WRITES}`,
    application_name: "pier-api",
  });
  // An idle client that loses its connection must not crash the process; the next checkout reconnects.
  pool.on("error", () => {});
  // Nor may a checked-out one between two queries (a transaction awaiting other work when Postgres dies:
  // pg emits the server's FATAL as an 'error' event when no query is running, and the pool listens only
  // while a client is idle). Its next query fails instead, and release() drops the dead connection.
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}
