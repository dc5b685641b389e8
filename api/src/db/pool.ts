/**
 * The API's Postgres pool. Every connection's search_path is the API's own schema, so the API's SQL
 * names its tables bare; the indexer's tables are always schema-qualified (see indexerTables.ts).
 */
import pg from "pg";

export type Db = pg.Pool | pg.PoolClient;

export function createPool(databaseUrl: string, schema: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    options: `-c search_path=${schema}`,
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
