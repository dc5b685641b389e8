/**
 * Any Postgres reachable by URL works like the embedded default: here a second, separately started
 * server is handed to the stack as an external DATABASE_URL-style connection string, with Ponder's
 * views pattern on so readers can use a fixed schema name.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, waitFor } from "../../scripts/lib/ports.ts";
import { type PostgresHandle, startPostgres } from "../../scripts/lib/postgres.ts";
import { type Stack, startStack } from "../../test/harness/stack.ts";
import { payments, waitForIndexedBlock } from "./tables.ts";

const VIEWS_SCHEMA = "pier_indexer";
let external: PostgresHandle;
let externalDir: string;
let stack: Stack;
let starting: Promise<Stack> | undefined;

beforeAll(async () => {
  externalDir = await mkdtemp(join(tmpdir(), "pier-external-pg-"));
  await chmod(externalDir, 0o755); // embedded Postgres runs as its own user when we are root
  external = await startPostgres({ dataDir: join(externalDir, "data"), port: await freePort() });
  starting = startStack({ databaseUrl: external.url, indexer: { viewsSchema: VIEWS_SCHEMA } });
  stack = await starting;
});

afterAll(async () => {
  // Through the start promise: a stack still starting when beforeAll timed out is stopped too.
  await (await starting?.catch(() => undefined))?.stop();
  await external?.stop();
  if (externalDir) await rm(externalDir, { recursive: true, force: true });
});

describe("indexer: external Postgres", () => {
  it("indexes into the database named by the connection string", async () => {
    expect(stack.postgres.embedded).toBe(false);
    const paid = await stack.pay.payByPermit(await stack.pay.newTerms({ amount: 3_000_000n, fee: 30_000n }));
    await waitForIndexedBlock(stack);

    // Read back over a connection of our own to that server, not the stack's pool.
    const client = new pg.Client({ connectionString: external.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT id, method, amount::text, paid_tx_hash FROM "${stack.indexer!.schema}".payment`,
      );
      expect(rows).toEqual([
        { id: paid.paymentId, method: "permit", amount: "3000000", paid_tx_hash: paid.hash },
      ]);
    } finally {
      await client.end();
    }
  });

  it("keeps views of every table under the fixed views schema", async () => {
    const direct = await payments(stack);
    const viaViews = await payments(stack, VIEWS_SCHEMA);
    expect(viaViews).toEqual(direct);
    const paid = await stack.pay.payByAllowance(await stack.pay.newTerms());
    await waitFor("the new payment through the views", async () =>
      (await payments(stack, VIEWS_SCHEMA)).some((r) => r.id === paid.paymentId),
    );
    const { rows } = await stack.db.query(
      "SELECT table_name FROM information_schema.views WHERE table_schema = $1 ORDER BY table_name",
      [VIEWS_SCHEMA],
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["merchant_daily", "payment", "payment_event"]),
    );
  });
});
