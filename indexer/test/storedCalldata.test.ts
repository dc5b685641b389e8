/**
 * The indexer stores each payment's transaction in ponder_sync without its calldata: no handler reads
 * `event.transaction.input`, and the calldata is most of a stored transaction's bytes (ponder.config.ts
 * sets PONDER_SYNC_OMIT_TRANSACTION_INPUT, patches/ponder@0.17.7.patch). The two guards of the patch are
 * checked too: a handler reading the calldata fails with a message that says why, and an indexer that
 * would read the calldata refuses rows stored without it instead of handing a handler "". That refusal
 * is where rows are read back from ponder_sync: a backfill indexes what it has just fetched from memory
 * (runtime/fetched.ts in the patch), calldata included, and reads back only what it did not keep or
 * what an earlier run cached. PONDER_BACKFILL_READ_BACK=1 makes this one read back every range.
 */
import { join } from "node:path";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rpc } from "../../scripts/lib/chain.ts";
import { blockNumber, evmMine } from "../../test/harness/payments.ts";
import { type Stack, startStack } from "../../test/harness/stack.ts";
import { paymentById, waitForIndexedBlock } from "./tables.ts";

const OMIT = "PONDER_SYNC_OMIT_TRANSACTION_INPUT";
// Ponder treats the local chain as final after 30 blocks: past them, a payment is read by the backfill.
const PAST_FINALITY = 40;

let stack: Stack;
let starting: Promise<Stack> | undefined;
let paid: { txHash: Hex; paymentId: Hex };

beforeAll(async () => {
  starting = startStack({ indexer: false });
  stack = await starting;
  const payment = await stack.pay.payByAllowance(await stack.pay.newTerms());
  paid = { txHash: payment.receipt.transactionHash, paymentId: payment.paymentId };
  await evmMine(stack.chain.rpcUrl, PAST_FINALITY);
  await stack.startIndexer();
  await waitForIndexedBlock(stack, await blockNumber(stack.chain.rpcUrl));
});

afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
});

describe("indexer: transactions stored without their calldata", () => {
  it("indexes a backfilled payment from a transaction stored without its calldata", async () => {
    expect((await paymentById(stack, paid.paymentId))?.status).toBe("escrowed");
    const { rows } = await stack.db.query("SELECT input FROM ponder_sync.transactions WHERE hash = $1", [
      paid.txHash,
    ]);
    expect(rows).toEqual([{ input: "" }]);
    // The node does hold the calldata (a pay call with its terms, hundreds of bytes): it was left out.
    const onChain = await rpc<{ input: string }>(stack.chain.rpcUrl, "eth_getTransactionByHash", [
      paid.txHash,
    ]);
    expect(onChain.input.length).toBeGreaterThan(500);
  });

  it("refuses, with its reason, rows stored without calldata when the indexer would read calldata", async () => {
    await stack.indexer!.stop();
    const logFile = join(stack.dir, "indexer-stores-calldata.log");
    await expect(
      stack.startIndexer({
        schema: "stores_calldata",
        logFile,
        env: { [OMIT]: "0", PONDER_BACKFILL_READ_BACK: "1" },
        readyTimeoutMs: 60_000,
      }),
    ).rejects.toThrow(/stored without their calldata/);
  });
});

describe("indexer: a handler that reads calldata", () => {
  it("fails with the setting's name when the calldata is not stored, and reads it when it is", async () => {
    const { createEventProxy } = await import(
      new URL("../node_modules/ponder/dist/esm/indexing/index.js", import.meta.url).href
    );
    const accessed = new Map([["PaymentEscrow:PaymentEscrowed", { transaction: new Set<string>() }]]);
    const tx = createEventProxy(accessed, "transaction", { setRetryableError() {} }, () => {});
    tx.eventName = "PaymentEscrow:PaymentEscrowed";
    tx.underlying = { hash: paid.txHash, input: "0xabcdef" };
    const before = process.env[OMIT];
    try {
      process.env[OMIT] = "1";
      expect(() => tx.proxy.input).toThrow(
        /PONDER_SYNC_OMIT_TRANSACTION_INPUT=1 stores transactions without/,
      );
      expect(tx.proxy.hash).toBe(paid.txHash);
      process.env[OMIT] = "0";
      expect(tx.proxy.input).toBe("0xabcdef");
    } finally {
      if (before === undefined) delete process.env[OMIT];
      else process.env[OMIT] = before;
    }
  });
});
