/**
 * Every way to pay and every way a payment ends, against a real chain, Postgres and Ponder: the rows of
 * payment, payment_event and merchant_daily must say exactly what the receipts and the chain say.
 */
import { readFileSync } from "node:fs";
import { createClient } from "@ponder/client";
import type { Address, Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paymentEscrowAbi } from "../../contracts/generated/abis.ts";
import { devAccount } from "../../contracts/lib/accounts.ts";
import { DEV_BALANCE } from "../../scripts/deploy.ts";
import { DEFAULT_ESCROW_PERIOD, evmIncreaseTime, type Paid, type Sent } from "../../test/harness/payments.ts";
import { type Stack, startStack } from "../../test/harness/stack.ts";
import * as schema from "../ponder.schema.ts";
import { type ExpectedEvent, expectedDaily, expectedEvents } from "./expected.ts";
import { merchantDaily, type PaymentSqlRow, paymentEvents, payments, waitForIndexedBlock } from "./tables.ts";

const blacklistArtifact = JSON.parse(
  readFileSync(
    new URL(
      "../../contracts/artifacts/contracts/src/mocks/BlacklistToken.sol/BlacklistToken.json",
      import.meta.url,
    ),
    "utf8",
  ),
) as { abi: readonly unknown[]; bytecode: Hex };

let stack: Stack;
let starting: Promise<Stack> | undefined;
/** Every transaction of the scenario, in order: the oracle's input. */
const sent: Sent[] = [];
function track<T extends Sent>(tx: T): T {
  sent.push(tx);
  return tx;
}

// The scenario's payments, one per way to pay and way to end.
let released: Paid; // allowance, released early by the merchant
let refunded: Paid; // permit, partly then fully refunded
let resolved: Paid; // ERC-3009 relayed by the keeper, disputed, resolved with a split
let onBehalf: Paid; // treasury on behalf (refunds to the bridge), partly refunded, hold placed and lifted, batch-released
let partlyRefundedThenBatched: Paid; // allowance, partly refunded, batch-released
let heldThroughBatch: Paid; // held, skipped by the batch, resolved with nothing refunded
let stillEscrowed: Paid; // permit, long escrow period, partly refunded, left open
let credited: Paid; // blacklist token: the merchant cannot receive, so it is credited, then paid once unblocked
let releaseTx: Sent;
let lastRefundTx: Sent;
let disputeTx: Sent;
let resolveTx: Sent;
let batchTx: Sent;
let heldResolveTx: Sent;
let blacklistToken: Address;

beforeAll(async () => {
  starting = startStack();
  stack = await starting;
  const p = stack.pay;
  const rpcUrl = stack.chain.rpcUrl;

  released = track(await p.payByAllowance(await p.newTerms()));
  releaseTx = track(await p.release(released.record, "merchant"));

  refunded = track(await p.payByPermit(await p.newTerms({ amount: 20_000_000n, fee: 400_000n })));
  track(await p.refund(refunded.record, 3_000_000n));
  lastRefundTx = track(await p.refund(refunded.record, 17_000_000n, "operator"));

  resolved = track(
    await p.payByAuthorization(
      await p.newTerms({ amount: 30_000_000n, fee: 900_000n }),
      "customer2",
      "keeper",
    ),
  );
  disputeTx = track(await p.dispute(resolved.record, "customer2"));
  resolveTx = track(await p.resolve(resolved.record, 12_000_000n));

  onBehalf = track(await p.payOnBehalf(await p.newTerms()));
  track(await p.refund(onBehalf.record, 1_000_000n, "operator"));
  track(await p.setHold(onBehalf.record, true));
  track(await p.setHold(onBehalf.record, false));

  partlyRefundedThenBatched = track(
    await p.payByAllowance(await p.newTerms({ amount: 8_000_000n, fee: 200_000n }), "customer2"),
  );
  track(await p.refund(partlyRefundedThenBatched.record, 2_000_000n));

  heldThroughBatch = track(await p.payByAllowance(await p.newTerms()));
  track(await p.setHold(heldThroughBatch.record, true));

  stillEscrowed = track(
    await p.payByPermit(await p.newTerms({ amount: 5_000_000n, fee: 50_000n, escrowPeriod: 30n * 86_400n })),
  );
  track(await p.refund(stillEscrowed.record, 1_500_000n));

  // A token that refuses transfers to a blacklisted merchant: release credits the merchant instead.
  const deployer = p.wallet("deployer");
  const deployHash = await deployer.deployContract({
    abi: blacklistArtifact.abi,
    bytecode: blacklistArtifact.bytecode,
    args: [],
  } as Parameters<typeof deployer.deployContract>[0]);
  blacklistToken = (await p.publicClient.waitForTransactionReceipt({ hash: deployHash })).contractAddress!;
  const blk = (functionName: string, args: unknown[]) =>
    p.send("deployer", { address: blacklistToken, abi: blacklistArtifact.abi as never, functionName, args });
  await blk("mint", [devAccount("customer").address, 100_000_000n]);
  credited = track(await p.payByAllowance(await p.newTerms({ token: blacklistToken, amount: 7_000_000n })));
  await blk("setBlacklisted", [devAccount("merchant").address, true]);
  track(await p.release(credited.record, "operator"));
  await blk("setBlacklisted", [devAccount("merchant").address, false]);
  // The keeper triggers it; the merchant is paid (and is the event's actor).
  track(await p.withdraw(blacklistToken, devAccount("merchant").address, "keeper"));

  // A week later (other UTC days): the keeper's batch releases what matured and skips the rest.
  await evmIncreaseTime(rpcUrl, DEFAULT_ESCROW_PERIOD + 3_600n);
  batchTx = track(
    await p.releaseBatch([
      onBehalf.record,
      partlyRefundedThenBatched.record,
      heldThroughBatch.record,
      stillEscrowed.record,
    ]),
  );
  heldResolveTx = track(await p.resolve(heldThroughBatch.record, 0n));

  await waitForIndexedBlock(stack);
});

afterAll(async () => {
  // Through the start promise: a stack still starting when beforeAll timed out is stopped too.
  await (await starting?.catch(() => undefined))?.stop();
});

function event<N extends string>(tx: Sent, name: N) {
  const found = tx.events.find((e) => e.eventName === name);
  if (!found) throw new Error(`${name} not in tx ${tx.hash}`);
  return found as Extract<Sent["events"][number], { eventName: N }>;
}

async function rowOf(paid: Paid): Promise<PaymentSqlRow> {
  const row = (await payments(stack)).find((r) => r.id === paid.paymentId);
  if (!row) throw new Error(`payment ${paid.paymentId} not indexed`);
  return row;
}

describe("indexer: payments", () => {
  it("records every escrow event once, in chain order, with the receipts' values", async () => {
    const expected = await expectedEvents(stack.pay.publicClient, sent);
    const rows = await paymentEvents(stack);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.every((r) => r.chain_id === stack.deployment.chainId)).toBe(true);
    const actual = rows.map(({ id: _id, chain_id: _chain, ...rest }) => rest);
    expect(actual).toEqual(expected.map((e) => ({ ...e })) satisfies ExpectedEvent[]);
    // Every kind the scenario produced is there (guards against an oracle that went empty).
    expect(new Set(actual.map((r) => r.kind))).toEqual(
      new Set([
        "escrowed",
        "released",
        "refunded",
        "disputed",
        "hold_placed",
        "hold_lifted",
        "resolved",
        "credited",
        "withdrawn",
      ]),
    );
  });

  it("stores each payment's record exactly as its PaymentEscrowed event and receipt say", async () => {
    const all = [
      released,
      refunded,
      resolved,
      onBehalf,
      partlyRefundedThenBatched,
      heldThroughBatch,
      stillEscrowed,
      credited,
    ];
    expect((await payments(stack)).length).toBe(all.length);
    const methods = [
      "allowance",
      "permit",
      "authorization",
      "on_behalf",
      "allowance",
      "allowance",
      "permit",
      "allowance",
    ];
    for (const [i, paid] of all.entries()) {
      const row = await rowOf(paid);
      const a = paid.escrowed.args;
      const block = await stack.pay.publicClient.getBlock({ blockNumber: paid.receipt.blockNumber });
      expect(row).toMatchObject({
        chain_id: stack.deployment.chainId,
        order_id: a.orderId,
        operator: a.operator.toLowerCase(),
        merchant: a.merchant.toLowerCase(),
        payer: a.payer.toLowerCase(),
        refund_to: a.refundTo.toLowerCase(),
        token: a.token.toLowerCase(),
        amount: a.amount,
        fee: a.fee,
        release_after: a.releaseAfter,
        method: methods[i],
        paid_block_number: paid.receipt.blockNumber,
        paid_block_hash: paid.receipt.blockHash,
        paid_tx_hash: paid.hash,
        paid_at: block.timestamp,
      });
      expect(row.release_after).toBe(block.timestamp + paid.terms.escrowPeriod);
    }
    // Who paid and who gets refunds, per way to pay.
    expect((await rowOf(resolved)).payer).toBe(devAccount("customer2").address.toLowerCase());
    expect((await rowOf(onBehalf)).payer).toBe(devAccount("treasury").address.toLowerCase());
    expect((await rowOf(onBehalf)).refund_to).toBe(devAccount("bridge").address.toLowerCase());
  });

  it("moves each payment to the state its later events left it in", async () => {
    const rel = event(releaseTx, "PaymentReleased").args;
    expect(await rowOf(released)).toMatchObject({
      status: "released",
      released_early: true,
      amount_released: rel.merchantAmount,
      fee_paid: rel.feeAmount,
      amount_refunded: 0n,
      released_tx_hash: releaseTx.hash,
      released_block_number: releaseTx.receipt.blockNumber,
      updated_block_number: releaseTx.receipt.blockNumber,
    });

    expect(await rowOf(refunded)).toMatchObject({
      status: "refunded",
      amount_refunded: refunded.terms.amount,
      amount_released: 0n,
      fee_paid: 0n,
      last_refund_tx_hash: lastRefundTx.hash,
      released_tx_hash: null,
    });

    const res = event(resolveTx, "DisputeResolved").args;
    expect(await rowOf(resolved)).toMatchObject({
      status: "resolved",
      disputed: true,
      held: false,
      disputed_tx_hash: disputeTx.hash,
      resolved_tx_hash: resolveTx.hash,
      amount_refunded: res.refundAmount,
      amount_released: res.merchantAmount,
      fee_paid: res.feeAmount,
    });
    expect(res.refundAmount + res.merchantAmount + res.feeAmount).toBe(resolved.terms.amount);

    const batchReleases = batchTx.events.filter((e) => e.eventName === "PaymentReleased");
    expect(batchReleases.map((e) => e.args.paymentId)).toEqual([
      onBehalf.paymentId,
      partlyRefundedThenBatched.paymentId,
    ]);
    for (const paid of [onBehalf, partlyRefundedThenBatched]) {
      const ev = batchReleases.find((e) => e.args.paymentId === paid.paymentId)!.args;
      const row = await rowOf(paid);
      expect(row).toMatchObject({
        status: "released",
        held: false,
        released_early: false,
        released_tx_hash: batchTx.hash,
        amount_released: ev.merchantAmount,
        fee_paid: ev.feeAmount,
      });
      expect(row.amount_released + row.fee_paid + row.amount_refunded).toBe(row.amount);
    }

    const heldRes = event(heldResolveTx, "DisputeResolved").args;
    expect(await rowOf(heldThroughBatch)).toMatchObject({
      status: "resolved",
      held: false,
      disputed: false,
      amount_refunded: 0n,
      amount_released: heldRes.merchantAmount,
      fee_paid: heldThroughBatch.terms.fee,
      resolved_tx_hash: heldResolveTx.hash,
    });

    expect(await rowOf(stillEscrowed)).toMatchObject({
      status: "escrowed",
      amount_refunded: 1_500_000n,
      amount_released: 0n,
      released_tx_hash: null,
    });
  });

  it("agrees with the escrow's own state for every payment", async () => {
    const closed = await stack.pay.publicClient.readContract({
      address: stack.pay.escrow,
      abi: paymentEscrowAbi,
      functionName: "CLOSED",
    });
    for (const row of await payments(stack)) {
      const state = await stack.pay.publicClient.readContract({
        address: stack.pay.escrow,
        abi: paymentEscrowAbi,
        functionName: "paymentState",
        args: [row.id],
      });
      if (row.status === "escrowed") {
        expect(state.recordHash).not.toBe(closed);
        expect({ refunded: state.refunded, disputed: state.disputed, held: state.held }).toEqual({
          refunded: row.amount_refunded,
          disputed: row.disputed,
          held: row.held,
        });
      } else {
        expect(state.recordHash).toBe(closed);
      }
    }
  });

  it("reconciles with token balances: escrowed, paid to merchants, fees, refunds to the bridge", async () => {
    const rows = await payments(stack);
    const p = stack.pay;
    const tusdc = p.token.toLowerCase();
    const sum = (f: (r: PaymentSqlRow) => bigint, where: (r: PaymentSqlRow) => boolean) =>
      rows.filter(where).reduce((s, r) => s + f(r), 0n);
    const inTusdc = (r: PaymentSqlRow) => r.token === tusdc;

    expect(await p.balanceOf(p.escrow)).toBe(
      sum(
        (r) => r.amount - r.amount_refunded,
        (r) => inTusdc(r) && r.status === "escrowed",
      ),
    );
    expect((await p.balanceOf(devAccount("merchant").address)) - DEV_BALANCE).toBe(
      sum((r) => r.amount_released, inTusdc),
    );
    expect((await p.balanceOf(devAccount("feeRecipient").address)) - DEV_BALANCE).toBe(
      sum((r) => r.fee_paid, inTusdc),
    );
    const bridge = devAccount("bridge").address;
    expect((await p.balanceOf(bridge)) - DEV_BALANCE).toBe(
      sum(
        (r) => r.amount_refunded,
        (r) => inTusdc(r) && r.refund_to === bridge.toLowerCase(),
      ),
    );
    expect((await p.balanceOf(bridge)) - DEV_BALANCE).toBe(1_000_000n);

    // The blacklisted merchant was credited, then withdrew: nothing of that token stays in escrow but
    // the fee recipient's share went out, and the credit event carries the merchant's net.
    const creditedRow = await rowOf(credited);
    const creditEvent = (await paymentEvents(stack)).find((e) => e.kind === "credited");
    expect(creditEvent).toMatchObject({
      payment_id: credited.paymentId,
      order_id: credited.terms.orderId,
      amount: creditedRow.amount_released,
      actor: devAccount("merchant").address.toLowerCase(),
    });
    expect(await p.balanceOf(p.escrow, blacklistToken)).toBe(0n);
    expect(await p.balanceOf(devAccount("merchant").address, blacklistToken)).toBe(
      creditedRow.amount_released,
    );
    // The payment row says whose payout was credited; the credit row what is still owed (nothing now).
    expect(creditedRow).toMatchObject({
      merchant_credited: creditedRow.amount_released,
      refund_credited: 0n,
      fee_credited: 0n,
    });
    const { rows: credits } = await stack.db.query(
      `SELECT token, account, outstanding::text, credited::text, withdrawn::text FROM "${stack.indexer!.schema}".credit`,
    );
    expect(credits).toEqual([
      {
        token: blacklistToken.toLowerCase(),
        account: devAccount("merchant").address.toLowerCase(),
        outstanding: "0",
        credited: creditedRow.amount_released.toString(),
        withdrawn: creditedRow.amount_released.toString(),
      },
    ]);
  });

  it("sums each merchant's days in merchant_daily, per token, on the day each event was mined", async () => {
    const expected = await expectedEvents(stack.pay.publicClient, sent);
    const daily = await merchantDaily(stack);
    expect(daily.every((r) => r.chain_id === stack.deployment.chainId)).toBe(true);
    expect(daily.map(({ chain_id: _c, ...rest }) => rest)).toEqual(expectedDaily(sent, expected));
    // The scenario spans two UTC days and two tokens; totals tie out with the payment rows.
    expect(new Set(daily.map((r) => r.day)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(daily.map((r) => r.token)).size).toBe(2);
    const rows = await payments(stack);
    const total = (f: (r: (typeof daily)[number]) => bigint) => daily.reduce((s, r) => s + f(r), 0n);
    expect(total((r) => r.volume)).toBe(rows.reduce((s, r) => s + r.amount, 0n));
    expect(total((r) => r.released)).toBe(rows.reduce((s, r) => s + r.amount_released, 0n));
    expect(total((r) => r.fees)).toBe(rows.reduce((s, r) => s + r.fee_paid, 0n));
    expect(total((r) => r.refunds)).toBe(rows.reduce((s, r) => s + r.amount_refunded, 0n));
    expect(daily.reduce((s, r) => s + r.payments, 0)).toBe(rows.length);
  });

  it("serves the same rows over /sql (@ponder/client), /graphql and /payments/:chainId/:id", async () => {
    const url = stack.indexer!.url;
    const rows = await payments(stack);

    const client = createClient(`${url}/sql`, { schema });
    const viaClient = await client.db.select().from(schema.payment);
    expect(viaClient.map((r) => [r.id, r.status, r.amountRefunded]).sort()).toEqual(
      rows.map((r) => [r.id, r.status, r.amount_refunded]).sort(),
    );

    const gql = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ payments(limit: 100) { items { id status amountReleased } } }" }),
    });
    const body = (await gql.json()) as {
      data: { payments: { items: { id: Hex; status: string; amountReleased: string }[] } };
    };
    expect(body.data.payments.items.map((r) => [r.id, r.status, BigInt(r.amountReleased)]).sort()).toEqual(
      rows.map((r) => [r.id, r.status, r.amount_released]).sort(),
    );

    const one = await fetch(`${url}/payments/${stack.deployment.chainId}/${resolved.paymentId}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      id: resolved.paymentId,
      status: "resolved",
      amount: resolved.terms.amount.toString(),
      method: "authorization",
    });
    const unknown = await fetch(`${url}/payments/${stack.deployment.chainId}/0x${"ab".repeat(32)}`);
    expect(unknown.status).toBe(404);
    const otherChain = await fetch(`${url}/payments/1/${resolved.paymentId}`);
    expect(otherChain.status).toBe(404);
    const bad = await fetch(`${url}/payments/${stack.deployment.chainId}/not-a-hash`);
    expect(bad.status).toBe(400);
  });
});
