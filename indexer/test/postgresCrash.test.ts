/**
 * Postgres killed (kill -9 of the server) right after the indexer committed a block: the block's rows are
 * still there when Postgres comes back, and the indexer goes on indexing. Ponder keeps going through a
 * database restart without re-reading what it believes committed, so a commit Postgres acknowledged but
 * had not yet flushed would leave a payment that no later block brings back (Ponder's own
 * `synchronous_commit = off`, which the Ponder patch turns on, whatever the server's default: the
 * chaos suite saw an order stay open while the chain said escrowed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../scripts/lib/ports.ts";
import { type Stack, startStack } from "../../test/harness/stack.ts";
import { paymentById } from "./tables.ts";

let stack: Stack;
let starting: Promise<Stack> | undefined;

beforeAll(async () => {
  // A Postgres server of its own: this test kills it.
  starting = startStack({ ownPostgres: true });
  stack = await starting;
  // The test's own pool sees Postgres die too: its idle clients' errors must not end the test process.
  stack.db.on("error", () => {});
  // The server's default made asynchronous, as a tuned server might have it: the indexer's sessions
  // must still commit synchronously (the patch sets it on each connection). A reload applies it to
  // every session that did not set its own, Ponder's open ones included.
  await stack.db.query("ALTER SYSTEM SET synchronous_commit = off");
  await stack.db.query("SELECT pg_reload_conf()");
  await waitFor("the server default to apply", async () => {
    const { rows } = await stack.db.query("SHOW synchronous_commit");
    return rows[0].synchronous_commit === "off";
  });
  await stack.pay.approveUnlimited("customer");
});

afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
});

async function payAndWaitIndexed(amount: bigint) {
  const paid = await stack.pay.payApproved(await stack.pay.newTerms({ amount, fee: 10_000n }), "customer");
  // Polled often: the crash should follow the indexer's commit as closely as it can.
  await waitFor(`payment ${paid.paymentId} indexed`, () => paymentById(stack, paid.paymentId), {
    timeoutMs: 60_000,
    intervalMs: 2,
  });
  return paid;
}

describe("indexer: Postgres crash", () => {
  it("keeps every block it committed when Postgres is killed right after, and goes on indexing", {
    timeout: 300_000,
  }, async () => {
    // Three crashes: with commits acknowledged before they are flushed, each loses its block with a high
    // chance (the WAL writer flushes every 200 ms), so the defect cannot slip through three times.
    for (let round = 0; round < 3; round++) {
      const paid = await payAndWaitIndexed(1_000_000n + BigInt(round));
      await stack.crashPostgres();
      const row = await waitFor("Postgres to answer again", async () => ({
        row: await paymentById(stack, paid.paymentId),
      }));
      expect(row.row?.paid_tx_hash, `round ${round}: the indexed payment after the crash`).toBe(paid.hash);
    }
    // The indexer reconnected by itself: a payment after the last crash is indexed too.
    const after = await payAndWaitIndexed(2_000_000n);
    expect((await paymentById(stack, after.paymentId))?.status).toBe("escrowed");
  });
});
