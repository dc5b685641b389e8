/**
 * Reorgs: a payment (and a refund of an older payment) indexed on a fork that the chain then abandons
 * must vanish from every table, leaving exactly the state from before the fork; mined again on the new
 * fork, the payment comes back with its new block.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../scripts/lib/ports.ts";
import { blockNumber, evmMine, evmRevert, evmSnapshot, type Paid } from "../../test/harness/payments.ts";
import { type Stack, startStack } from "../../test/harness/stack.ts";
import { merchantDaily, paymentById, paymentEvents, payments, waitForIndexedBlock } from "./tables.ts";

let stack: Stack;
let starting: Promise<Stack> | undefined;

beforeAll(async () => {
  starting = startStack();
  stack = await starting;
});

afterAll(async () => {
  // Through the start promise: a stack still starting when beforeAll timed out is stopped too.
  await (await starting?.catch(() => undefined))?.stop();
});

async function tables() {
  return {
    payment: await payments(stack),
    paymentEvent: await paymentEvents(stack),
    merchantDaily: await merchantDaily(stack),
  };
}

describe("indexer: reorgs", () => {
  it("drops what a reorg removed, restores what it changed, and re-indexes it when mined again", async () => {
    const rpcUrl = stack.chain.rpcUrl;
    const p = stack.pay;
    const before = await p.payByAllowance(await p.newTerms());
    await waitForIndexedBlock(stack);
    const stateBeforeFork = await tables();
    expect(stateBeforeFork.payment.map((r) => r.id)).toEqual([before.paymentId]);

    const snapshot = await evmSnapshot(rpcUrl);
    const forkStart = await blockNumber(rpcUrl);
    const termsOnFork = await p.newTerms({ amount: 42_000_000n, fee: 420_000n });
    const onFork: Paid = await p.payByPermit(termsOnFork);
    const refundOnFork = await p.refund(before.record, 2_000_000n);
    await waitForIndexedBlock(stack);
    expect(await paymentById(stack, onFork.paymentId)).toMatchObject({
      paid_block_hash: onFork.receipt.blockHash,
    });
    expect((await paymentById(stack, before.paymentId))?.amount_refunded).toBe(2_000_000n);
    expect((await paymentEvents(stack)).map((e) => e.tx_hash)).toContain(refundOnFork.hash);

    // Abandon the fork: back to the snapshot, then a longer chain without those transactions.
    const forkHead = await blockNumber(rpcUrl);
    await evmRevert(rpcUrl, snapshot);
    expect(await blockNumber(rpcUrl)).toBe(forkStart);
    await evmMine(rpcUrl, Number(forkHead - forkStart) + 2);
    await waitFor(
      "the reorged payment to disappear",
      async () => !(await paymentById(stack, onFork.paymentId)),
    );
    await waitForIndexedBlock(stack);
    expect(await tables()).toEqual(stateBeforeFork);

    // The same order paid again on the new chain: indexed again, in its new block.
    const again = await p.payByPermit(termsOnFork);
    expect(again.paymentId).toBe(onFork.paymentId);
    expect(again.receipt.blockHash).not.toBe(onFork.receipt.blockHash);
    await waitForIndexedBlock(stack);
    expect(await paymentById(stack, again.paymentId)).toMatchObject({
      status: "escrowed",
      amount: 42_000_000n,
      paid_block_number: again.receipt.blockNumber,
      paid_block_hash: again.receipt.blockHash,
      paid_tx_hash: again.hash,
    });
    const events = await paymentEvents(stack);
    expect(events.filter((e) => e.payment_id === again.paymentId).map((e) => [e.kind, e.block_hash])).toEqual(
      [["escrowed", again.receipt.blockHash]],
    );
    expect(events.map((e) => e.tx_hash)).not.toContain(refundOnFork.hash);
    const daily = await merchantDaily(stack);
    expect(daily.reduce((s, r) => s + r.volume, 0n)).toBe(before.terms.amount + 42_000_000n);
    expect(daily.reduce((s, r) => s + r.refunds, 0n)).toBe(0n);
  });

  it("follows a long run of blocks mined at once, then indexes the next payment", async () => {
    // The harness mines block by block: Hardhat's hardhat_mine breaks parent links in long runs, and the
    // indexer would stall there taking it for a reorg past genesis.
    await evmMine(stack.chain.rpcUrl, 12);
    const after = await stack.pay.payByAllowance(await stack.pay.newTerms());
    await waitForIndexedBlock(stack, after.receipt.blockNumber, 30_000);
    expect(await paymentById(stack, after.paymentId)).toMatchObject({ paid_tx_hash: after.hash });
  });
});
