/**
 * Crash and restart: the indexer is stopped with SIGTERM and killed with SIGKILL while payments keep
 * arriving. Restarted on the same schema it resumes (no re-index from scratch) and converges: every
 * payment exactly once, every event exactly once, aggregates neither short nor double-counted.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../scripts/lib/ports.ts";
import type { Paid } from "../../test/harness/payments.ts";
import { type Stack, startStack } from "../../test/harness/stack.ts";
import { expectedDaily, expectedEvents } from "./expected.ts";
import { countRows, merchantDaily, paymentEvents, payments, waitForIndexedBlock } from "./tables.ts";

let stack: Stack;
let starting: Promise<Stack> | undefined;

beforeAll(async () => {
  starting = startStack();
  stack = await starting;
  await stack.pay.approveUnlimited("customer");
});

afterAll(async () => {
  // Through the start promise: a stack still starting when beforeAll timed out is stopped too.
  await (await starting?.catch(() => undefined))?.stop();
});

/** Payments the stream may run ahead of the indexer: enough to have some while it is down, bounded. */
const MAX_AHEAD = 20;

/**
 * Pays one order after another from `customer` until `stop()`, each amount distinct. It stays at most
 * MAX_AHEAD payments ahead of the indexed rows, so a long restart leaves a bounded backlog instead of
 * an ever longer backfill on a busy machine.
 */
function paymentStream() {
  const paid: Paid[] = [];
  let stopping = false;
  let paused = false;
  let failure: unknown;
  const done = (async () => {
    // Bounded, whatever happens to the test: 2,000 payments is far more than it needs.
    for (let i = 0; i < 2_000 && !stopping; i++) {
      await waitFor(
        "the indexer to catch up with the stream",
        async () => stopping || (!paused && paid.length - (await countRows(stack, "payment")) < MAX_AHEAD),
        { timeoutMs: 600_000 },
      );
      if (stopping) break;
      const terms = await stack.pay.newTerms({ amount: 1_000_000n + BigInt(i), fee: 10_000n });
      paid.push(await stack.pay.payApproved(terms, "customer"));
    }
  })().catch((error) => {
    failure = error;
  });
  return {
    paid,
    /** Holds the stream after the payment in flight (if any), so the indexer can catch up with it. */
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
    async stop() {
      stopping = true;
      await done;
      if (failure) throw failure;
    },
  };
}

/** Each index of the schema's tables, by name: an index built again gets a new oid. */
async function indexOids(schema: string): Promise<Map<string, number>> {
  const { rows } = await stack.db.query<{ name: string; oid: number }>(
    `SELECT c.relname AS name, c.oid::int AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'i'`,
    [schema],
  );
  return new Map(rows.map((r) => [r.name, r.oid]));
}

describe("indexer: restarts", () => {
  // The restart after kill -9 waits out Ponder's 25 s lock timeout: give it time on a busy 2-core machine.
  it("converges after a clean stop, a SIGTERM and a kill -9 in the middle of a stream of payments", {
    timeout: 600_000,
  }, async () => {
    const stream = paymentStream();
    const schema = stack.indexer!.schema;
    const indexedAtLeast = (n: number) =>
      waitFor(`${n} payments indexed`, async () => (await countRows(stack, "payment")) >= n, {
        timeoutMs: 90_000,
      });

    // 1. The launcher's stop(): Ponder's clean shutdown releases its schema lock, so it restarts at once.
    await indexedAtLeast(10);
    const indexesBefore = await indexOids(schema);
    expect(indexesBefore.size).toBeGreaterThan(6); // the schema's indexes besides the 6 primary keys
    const first = stack.indexer!;
    await first.stop();
    expect(await first.exited).toBe(0);
    let sentWhileDown = stream.paid.length;
    await stack.startIndexer();
    expect(stack.indexer!.schema).toBe(schema);

    // 2. SIGTERM, as a process supervisor sends it: Ponder's own clean shutdown, which releases the lock
    //    (the Ponder patch keeps Vite from exiting first), so this restart does not wait for it either.
    await indexedAtLeast(sentWhileDown + 5);
    const second = stack.indexer!;
    process.kill(second.pid, "SIGTERM");
    expect(await second.exited).toBe(0);
    sentWhileDown = stream.paid.length;
    await stack.startIndexer();
    expect(stack.indexer!.schema).toBe(schema);

    // 3. kill -9 while payments keep coming, and more payments while nothing indexes: the lock stays
    //    taken, and the next start waits for it to expire. Kill once the indexer has caught up with the
    //    stream, so the stream has room to go on while it is dead.
    //    The stream pauses meanwhile: a stream that keeps paying could stay ahead on a busy machine.
    await indexedAtLeast(sentWhileDown + 5);
    stream.pause();
    await waitFor(
      "the indexer to catch up with the paused stream",
      async () => (await countRows(stack, "payment")) >= stream.paid.length,
      { timeoutMs: 120_000 },
    );
    const third = stack.indexer!;
    process.kill(third.pid, "SIGKILL");
    expect(await third.exited).toBe("SIGKILL");
    stream.resume();
    const paidAtKill = stream.paid.length;
    await waitFor("payments while the indexer is dead", async () => stream.paid.length >= paidAtKill + 10, {
      timeoutMs: 30_000,
    });
    await stream.stop();
    await stack.startIndexer();
    expect(stack.indexer!.schema).toBe(schema);
    await waitForIndexedBlock(stack);

    const paid = stream.paid;
    const rows = await payments(stack);
    expect(rows.length).toBe(paid.length);
    expect(new Map(rows.map((r) => [r.id, r.paid_tx_hash]))).toEqual(
      new Map(paid.map((p) => [p.paymentId, p.hash])),
    );
    expect(rows.every((r) => r.status === "escrowed")).toBe(true);

    const expected = await expectedEvents(stack.pay.publicClient, paid);
    const events = await paymentEvents(stack);
    expect(events.map(({ id: _id, chain_id: _c, ...rest }) => rest)).toEqual(expected);

    const daily = await merchantDaily(stack);
    expect(daily.map(({ chain_id: _c, ...rest }) => rest)).toEqual(expectedDaily(paid, expected));
    expect(daily.reduce((s, r) => s + r.payments, 0)).toBe(paid.length);

    // Every restart resumed the existing schema rather than starting over.
    const log = readFileSync(join(stack.dir, "indexer.log"), "utf8");
    expect(log.match(/Detected crash recovery/g)?.length).toBe(3);
    // Only the start after kill -9 found the lock taken; the clean stop and SIGTERM had released it.
    expect(log.match(/Received SIGTERM/g)?.length).toBe(1);
    expect(log.match(/Schema is locked by a different Ponder app/g)?.length).toBe(1);
    // ...and kept its indexes: none was dropped and built again over the whole table (the Ponder patch).
    expect(await indexOids(schema)).toEqual(indexesBefore);
  });
});
