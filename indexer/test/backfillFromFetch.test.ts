/**
 * A backfill indexes each range from the rows it has just fetched and committed to ponder_sync, not
 * from reading them back (patches/ponder@0.17.7.patch, runtime/fetched.ts). Two new indexers backfill the
 * same chain, one that way and one reading every range back from ponder_sync (the unpatched path,
 * PONDER_BACKFILL_READ_BACK=1): every table of theirs holds the same rows, and both agree with the
 * oracle (expected.ts). Their debug logs show that each took its own path.
 *
 * The chain has every kind of escrow event, and blocks with several payments from different payers, so
 * logs and transactions of one block must come out in chain order.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevRole } from "../../contracts/lib/accounts.ts";
import { rpc } from "../../scripts/lib/chain.ts";
import { waitFor } from "../../scripts/lib/ports.ts";
import { blockNumber, evmMine, evmSetAutomine, type Paid, type Sent } from "../../test/harness/payments.ts";
import { type Stack, startStack } from "../../test/harness/stack.ts";
import { expectedDaily, expectedEvents } from "./expected.ts";
import { merchantDaily, paymentEvents, waitForIndexedBlock } from "./tables.ts";

// Ponder treats the local chain as final after 30 blocks: past them, everything is read by the backfill.
const PAST_FINALITY = 40;
const PAYERS: DevRole[] = ["customer", "customer2", "treasury", "bridge"];

let stack: Stack;
let starting: Promise<Stack> | undefined;
const sent: Sent[] = [];
function track<T extends Sent>(tx: T): T {
  sent.push(tx);
  return tx;
}
/** Every table of each indexer's schema (its own, not Ponder's `_`-prefixed ones), rows sorted. */
const tables: Record<"fetched" | "readBack", Record<string, string[]>> = { fetched: {}, readBack: {} };
const logs: Record<"fetched" | "readBack", string> = { fetched: "", readBack: "" };

async function snapshot(schema: string): Promise<Record<string, string[]>> {
  const { rows } = await stack.db.query(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%'`,
    [schema],
  );
  const out: Record<string, string[]> = {};
  for (const { table_name } of rows as { table_name: string }[]) {
    const { rows: content } = await stack.db.query(`SELECT * FROM "${schema}"."${table_name}"`);
    out[table_name] = content.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

/** Pays from every payer in one block: automine off, the payments sent together, then one block. */
async function paymentsInOneBlock(): Promise<Paid[]> {
  // Again each time: a permit payment in between set the payer's allowance to exactly its amount.
  for (const payer of PAYERS) await stack.pay.approveUnlimited(payer);
  await evmSetAutomine(stack.chain.rpcUrl, false);
  try {
    let failed: unknown;
    const pending = await Promise.all(
      PAYERS.map(async (payer, i) => {
        const terms = await stack.pay.newTerms({ amount: 1_000_000n * BigInt(i + 2), fee: 10_000n });
        // Started, not awaited: each resolves once the block below mines it.
        const done = stack.pay.payApproved(terms, payer);
        done.catch((error: unknown) => {
          failed = error;
        });
        return { done };
      }),
    );
    await waitFor(`${PAYERS.length} payments in the node's pending block`, async () => {
      if (failed) throw failed;
      const pendingBlock = await rpc<{ transactions: unknown[] }>(
        stack.chain.rpcUrl,
        "eth_getBlockByNumber",
        ["pending", false],
      );
      return pendingBlock.transactions.length === PAYERS.length;
    });
    await evmMine(stack.chain.rpcUrl);
    return await Promise.all(pending.map((p) => p.done));
  } finally {
    await evmSetAutomine(stack.chain.rpcUrl, true);
  }
}

async function backfill(kind: "fetched" | "readBack"): Promise<void> {
  const logFile = join(stack.dir, `indexer-${kind}.log`);
  await stack.startIndexer({
    schema: `backfill_${kind}`,
    logFile,
    env: { PONDER_LOG_LEVEL: "debug", PONDER_BACKFILL_READ_BACK: kind === "readBack" ? "1" : "0" },
  });
  await waitForIndexedBlock(stack, await blockNumber(stack.chain.rpcUrl));
  tables[kind] = await snapshot(`backfill_${kind}`);
  const expected = await expectedEvents(stack.pay.publicClient, sent);
  expect((await paymentEvents(stack)).map(({ id: _id, chain_id: _chain, ...rest }) => rest)).toEqual(
    expected,
  );
  expect((await merchantDaily(stack)).map(({ chain_id: _c, ...rest }) => rest)).toEqual(
    expectedDaily(sent, expected),
  );
  await stack.indexer!.stop();
  logs[kind] = readFileSync(logFile, "utf8");
}

beforeAll(async () => {
  starting = startStack({ indexer: false });
  stack = await starting;
  const p = stack.pay;

  const released = track(await p.payByAllowance(await p.newTerms()));
  track(await p.release(released.record, "merchant"));
  const refunded = track(await p.payByPermit(await p.newTerms({ amount: 20_000_000n, fee: 400_000n })));
  track(await p.refund(refunded.record, 3_000_000n));
  for (const paid of await paymentsInOneBlock()) track(paid);
  const disputed = track(
    await p.payByAuthorization(
      await p.newTerms({ amount: 30_000_000n, fee: 900_000n }),
      "customer2",
      "keeper",
    ),
  );
  track(await p.dispute(disputed.record, "customer2"));
  track(await p.resolve(disputed.record, 12_000_000n));
  const held = track(await p.payOnBehalf(await p.newTerms()));
  track(await p.setHold(held.record, true));
  track(await p.setHold(held.record, false));
  for (const paid of await paymentsInOneBlock()) track(paid);
  track(await p.refund(refunded.record, 17_000_000n, "operator"));
  await evmMine(stack.chain.rpcUrl, PAST_FINALITY);

  await backfill("fetched");
  await backfill("readBack");
});

afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
});

describe("indexer: backfill indexed from the rows it fetched", () => {
  it("had blocks with several payments each, and every event kind", () => {
    const blocks = new Map<bigint, number>();
    for (const s of sent) blocks.set(s.receipt.blockNumber, (blocks.get(s.receipt.blockNumber) ?? 0) + 1);
    expect([...blocks.values()].filter((n) => n === PAYERS.length)).toHaveLength(2);
    const kinds = new Set(sent.flatMap((s) => s.events.map((e) => e.eventName)));
    for (const kind of ["PaymentEscrowed", "PaymentReleased", "PaymentRefunded", "PaymentDisputed"])
      expect(kinds).toContain(kind);
  });

  it("took each path: rows kept from the fetch, or every range read back from ponder_sync", () => {
    const kept = (log: string) =>
      (log.match(/Took backfill JSON-RPC data kept from fetching it/g) ?? []).length;
    const readBack = (log: string) =>
      (log.match(/Queried backfill JSON-RPC data from database/g) ?? []).length;
    expect(kept(logs.fetched)).toBeGreaterThan(0);
    expect(readBack(logs.fetched)).toBe(0);
    expect(kept(logs.readBack)).toBe(0);
    expect(readBack(logs.readBack)).toBeGreaterThan(0);
  });

  it("writes the same rows to every table either way", () => {
    expect(Object.keys(tables.fetched).sort()).toEqual(Object.keys(tables.readBack).sort());
    expect(tables.fetched.payment?.length).toBe(sent.filter((s) => "paymentId" in s).length);
    expect(tables.fetched).toEqual(tables.readBack);
  });
});
