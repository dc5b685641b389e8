/**
 * The transaction sender against a real Hardhat node and a real API process (one stack for the file):
 * a transaction the node drops is re-broadcast; one priced out by a base-fee jump is replaced with a
 * higher fee; a transaction held unmined turns /readyz degraded and shows its age in /metrics; 50
 * refunds and releases go out pipelined, each exactly once; a nonce hole is filled with a no-op; and
 * with two API processes one drives the signer, and a kill -9 of it hands over with nothing done twice.
 *
 * Automine is turned off where a test needs transactions to stay pending, and back on after.
 */

import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { encodeFunctionData, type Hex, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { paymentEscrowAbi } from "../../../contracts/generated/abis.ts";
import { devPrivateKey } from "../../../contracts/lib/accounts.ts";
import { rpc } from "../../../scripts/lib/chain.ts";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { apiClient } from "../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { escrowedOrders } from "../../../test/harness/escrowedOrders.ts";
import { evmMine, evmSetAutomine } from "../../../test/harness/payments.ts";
import { CHAIN_TX_CHANNEL } from "./chainTxs.ts";
import { SENDER_LOCK_CLASS } from "./senderSupervisor.ts";

// biome-ignore lint/suspicious/noExplicitAny: rows and JSON bodies are read field by field
type Json = Record<string, any>;

const STUCK_AFTER_SECONDS = 3;
const WINDOW = 16;
const ENV = {
  PIER_TX_BUMP_AFTER_BLOCKS: "2",
  PIER_TX_STUCK_AFTER_SECONDS: String(STUCK_AFTER_SECONDS),
  PIER_TX_MAX_IN_FLIGHT: String(WINDOW),
};
const T = { timeoutMs: 60_000, intervalMs: 100 };
// Hardhat dev account 1, the operator (refunds and early releases).
const OPERATOR = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

let s: ApiStack;
let starting: Promise<ApiStack>;

beforeAll(async () => {
  starting = startApiStack(ENV);
  s = await starting;
}, 180_000);
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
});
afterEach(async () => {
  // A failed test must not leave the next one with a chain that does not mine.
  await evmSetAutomine(rpcUrl(), true).catch(() => {});
  await evmMine(rpcUrl()).catch(() => {});
});

const rpcUrl = () => s.stack.chain.rpcUrl;
const q = async <R = Json>(sql: string, params: unknown[] = []) =>
  (await s.stack.db.query(sql.replaceAll("pier_api.", `"pier_api".`), params)).rows as R[];

async function refund(orderId: string, amount = "1000000"): Promise<Json> {
  const res = await s.client.post("/v1/refunds", { order: orderId, amount });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const chainTxOfRefund = async (refundId: string) =>
  (
    await q(
      "SELECT c.* FROM pier_api.chain_txs c JOIN pier_api.refunds r ON r.chain_tx_id = c.id WHERE r.id = $1",
      [refundId],
    )
  )[0]!;
const attemptsOf = (chainTxId: string) =>
  q("SELECT * FROM pier_api.chain_tx_attempts WHERE chain_tx_id = $1 ORDER BY id", [chainTxId]);
const refundStatus = async (id: string, client = s.client) =>
  (await client.get(`/v1/refunds/${id}`)).body.status as string;
const nodeKnows = async (hash: string) => (await rpc(rpcUrl(), "eth_getTransactionByHash", [hash])) !== null;

/** Escrow events of the whole chain, decoded. */
async function escrowLogs() {
  const pub = s.stack.pay.publicClient;
  return parseEventLogs({
    abi: paymentEscrowAbi,
    logs: await pub.getLogs({ address: s.stack.deployment.contracts.PaymentEscrow.address, fromBlock: 0n }),
  });
}
const eventsFor = (logs: Awaited<ReturnType<typeof escrowLogs>>, name: string, paymentId: string) =>
  logs.filter((l) => l.eventName === name && (l.args as { paymentId: Hex }).paymentId === paymentId);

/** A sample of /metrics: the value of one series (0 when absent). */
async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const text = await s.api.metrics();
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}

async function readyz(): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${s.api.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Json };
}

describe("sender", () => {
  test("error: an intent that reverts in simulation fails for good with the decoded error, and takes no nonce", async () => {
    const order = (await s.client.post("/v1/orders", { amount: "2000000" })).body;
    const paid = await s.stack.pay.payByPermit(paymentTermsFromJson(order.terms));
    const [before] = await q("SELECT next_nonce::text FROM pier_api.chain_signer_state WHERE signer = $1", [
      OPERATOR,
    ]);
    // More than the payment holds: the escrow reverts with InvalidAmount(amount, remaining).
    const id = `ctx_test${Date.now().toString(36)}`;
    await q(
      `INSERT INTO pier_api.chain_txs (id, chain_id, signer, kind, payload, genesis_hash)
       VALUES ($1, 31337, $2, 'refund', $3, (SELECT genesis_hash FROM pier_api.chain_identity WHERE chain_id = 31337))`,
      [
        id,
        OPERATOR,
        JSON.stringify({
          data: encodeFunctionData({
            abi: paymentEscrowAbi,
            functionName: "refund",
            args: [paid.record, 5_000_000n],
          }),
        }),
      ],
    );
    // The wake-up createChainTx sends on commit: without it the sender finds the row on its 15 s idle poll.
    await q("SELECT pg_notify($1, $2)", [CHAIN_TX_CHANNEL, `31337:${OPERATOR}`]);
    const failed = await waitFor(
      "the intent failed",
      async () => {
        const [row] = await q("SELECT * FROM pier_api.chain_txs WHERE id = $1", [id]);
        return row?.status === "failed" && row;
      },
      T,
    );
    expect(failed).toMatchObject({ error_code: "InvalidAmount", nonce: null, tx_hash: null });
    expect(failed.error_message).toBe("InvalidAmount(5000000, 2000000)");
    expect(await attemptsOf(id)).toEqual([]);
    const [after] = await q("SELECT next_nonce::text FROM pier_api.chain_signer_state WHERE signer = $1", [
      OPERATOR,
    ]);
    expect(after?.next_nonce ?? "0").toBe(before?.next_nonce ?? "0");
  });

  test("behavior: a transaction the node dropped is re-broadcast, same bytes, and mined once", async () => {
    const [order] = await escrowedOrders(s.client, s.stack.pay, 1);
    await evmSetAutomine(rpcUrl(), false);
    const r = await refund(order!.id);
    const sent = await waitFor(
      "the refund sent and in the node's pool",
      async () => {
        const tx = await chainTxOfRefund(r.id);
        return tx.status === "sent" && tx.tx_hash && (await nodeKnows(tx.tx_hash)) && tx;
      },
      T,
    );
    // true: the node had it and has forgotten it (the sender may put it back any moment from now).
    expect(await rpc(rpcUrl(), "hardhat_dropTransaction", [sent.tx_hash])).toBe(true);

    // Back in the node's pool, sent again and counted as a re-broadcast (each recorded after the send).
    await waitFor(
      "the same transaction re-broadcast",
      async () =>
        (await nodeKnows(sent.tx_hash)) &&
        (await attemptsOf(sent.id))[0]!.broadcasts >= 2 &&
        (await metric("pier_api_chain_tx_rebroadcasts_total", { signer: OPERATOR })) >= 1,
      T,
    );
    const attempts = await attemptsOf(sent.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ tx_hash: sent.tx_hash, purpose: "original" });

    await evmMine(rpcUrl());
    await waitFor("refund succeeded", async () => (await refundStatus(r.id)) === "succeeded", T);
    expect(await attemptsOf(sent.id)).toHaveLength(1);
    expect((await s.client.get(`/v1/refunds/${r.id}`)).body.tx_hash).toBe(sent.tx_hash);
    const refunded = eventsFor(await escrowLogs(), "PaymentRefunded", order!.paymentId);
    expect(refunded.map((l) => l.transactionHash)).toEqual([sent.tx_hash]);
  });

  test("behavior: the base fee jumps above the transaction's max fee: replaced with a higher fee, mined once, the refund settled once", async () => {
    const [order] = await escrowedOrders(s.client, s.stack.pay, 1);
    await evmSetAutomine(rpcUrl(), false);
    const r = await refund(order!.id, "2000000");
    const sent = await waitFor(
      "the refund sent",
      async () => {
        const tx = await chainTxOfRefund(r.id);
        return tx.status === "sent" && tx;
      },
      T,
    );
    const [first] = await attemptsOf(sent.id);
    const priced = BigInt(first!.max_fee_per_gas);
    // The next block's base fee: ten times what the transaction may pay. It stays in the pool, unminable.
    await rpc(rpcUrl(), "hardhat_setNextBlockBaseFeePerGas", [`0x${(priced * 10n).toString(16)}`]);
    await evmMine(rpcUrl());
    // Blocks go by (empty: the refund cannot pay their base fee) until the sender replaces it.
    await waitFor(
      "a fee-bumped replacement",
      async () => {
        await evmMine(rpcUrl());
        return (await attemptsOf(sent.id)).some((a) => a.purpose === "fee_bump");
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    await waitFor(
      "refund succeeded",
      async () => {
        await evmMine(rpcUrl());
        return (await refundStatus(r.id)) === "succeeded";
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const attempts = await attemptsOf(sent.id);
    const mined = attempts.filter((a) => a.mined_block !== null);
    expect(mined).toHaveLength(1);
    expect(mined[0]!.purpose).toBe("fee_bump");
    expect(BigInt(mined[0]!.max_fee_per_gas)).toBeGreaterThan(priced);
    for (const a of attempts) expect(a.nonce).toBe(first!.nonce);
    const body = (await s.client.get(`/v1/refunds/${r.id}`)).body;
    expect(body.tx_hash).toBe(mined[0]!.tx_hash);
    const refunded = eventsFor(await escrowLogs(), "PaymentRefunded", order!.paymentId);
    expect(refunded.map((l) => l.transactionHash)).toEqual([mined[0]!.tx_hash]);
    expect(await q("SELECT 1 FROM pier_api.events WHERE dedupe_key LIKE $1", [`${r.id}:%`])).toHaveLength(1);
    expect(
      await metric("pier_api_chain_tx_replacements_total", { signer: OPERATOR, reason: "fee_bump" }),
    ).toBeGreaterThanOrEqual(1);
  });

  test("behavior: a transaction held unmined past the threshold turns /readyz degraded with its age in /metrics; it recovers once mined", async () => {
    const [order] = await escrowedOrders(s.client, s.stack.pay, 1);
    await evmSetAutomine(rpcUrl(), false);
    const r = await refund(order!.id);
    const sent = await waitFor(
      "the refund sent",
      async () => {
        const tx = await chainTxOfRefund(r.id);
        return tx.status === "sent" && tx;
      },
      T,
    );
    const degraded = await waitFor(
      "readyz degraded",
      async () => {
        const res = await readyz();
        return res.body.status === "degraded" && res;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    // Still 200: the API serves; the senders check names the signer, the transaction and why.
    expect(degraded.status).toBe(200);
    expect(degraded.body.checks.senders.ok).toBe(false);
    expect(degraded.body.checks.senders.detail).toContain(OPERATOR);
    expect(degraded.body.checks.senders.detail).toContain(sent.id);
    const operator = degraded.body.senders.find((x: Json) => x.signer === OPERATOR);
    expect(operator).toMatchObject({ roles: ["operator"], in_flight: 1, queued: 0 });
    expect(operator.stuck[0]).toMatchObject({
      id: sent.id,
      kind: "refund",
      status: "sent",
      tx_hash: sent.tx_hash,
    });
    expect(operator.stuck[0].age_seconds).toBeGreaterThanOrEqual(STUCK_AFTER_SECONDS);
    expect(operator.stuck[0].reason).toMatch(/unmined for \d+ s/);
    expect(operator.oldest_unmined_seconds).toBeGreaterThanOrEqual(STUCK_AFTER_SECONDS);
    const labels = { chain_id: "31337", signer: OPERATOR };
    expect(await metric("pier_api_chain_tx_oldest_unmined_seconds", labels)).toBeGreaterThanOrEqual(
      STUCK_AFTER_SECONDS,
    );
    expect(await metric("pier_api_chain_tx_stuck", labels)).toBe(1);
    expect(await metric("pier_api_chain_tx_in_flight", labels)).toBe(1);

    await evmMine(rpcUrl());
    await waitFor("refund succeeded", async () => (await refundStatus(r.id)) === "succeeded", T);
    const ready = await readyz();
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe("ready");
    expect(ready.body.checks.senders.ok).toBe(true);
    expect(await metric("pier_api_chain_tx_oldest_unmined_seconds", labels)).toBe(0);
    expect(await metric("pier_api_chain_tx_stuck", labels)).toBe(0);
  });

  test("behavior: 50 refunds and early releases at once go out pipelined, each exactly once", async () => {
    const refunded = await escrowedOrders(s.client, s.stack.pay, 20);
    const released = await escrowedOrders(s.client, s.stack.pay, 10);
    await evmSetAutomine(rpcUrl(), false);
    // 40 refunds (two per order) and 10 early releases, all asked for at once.
    const answers = await Promise.all([
      ...refunded.flatMap((o) => [
        s.client.post("/v1/refunds", { order: o.id, amount: "500000" }),
        s.client.post("/v1/refunds", { order: o.id, amount: "700000" }),
      ]),
      ...released.map((o) => s.client.post(`/v1/orders/${o.id}/release`, {})),
    ]);
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBeLessThan(300);
    const orderIds = [...refunded, ...released].map((o) => o.id);
    const ours = () =>
      q<{ id: string; status: string; nonce: string | null; tx_hash: string | null }>(
        `SELECT id, status, nonce::text, tx_hash FROM pier_api.chain_txs
          WHERE kind IN ('refund', 'release') AND payload->'orderIds'->>0 = ANY ($1)`,
        [orderIds],
      );
    // Nothing is mined: the sender fills its window and stops there.
    const full = await waitFor(
      "a full window in flight",
      async () => {
        const rows = await ours();
        return rows.length === 50 && rows.filter((r) => r.status === "sent").length >= WINDOW && rows;
      },
      T,
    );
    expect(full.filter((r) => r.status === "sent")).toHaveLength(WINDOW);
    expect(full.filter((r) => r.status === "queued")).toHaveLength(50 - WINDOW);
    // A row is marked sent before its broadcast: mine only once the node holds the whole window, or the
    // first block may miss the last of it.
    const inFlight = full.filter((r) => r.status === "sent");
    await waitFor(
      "the window in the node's pool",
      async () => (await Promise.all(inFlight.map((r) => nodeKnows(r.tx_hash!)))).every(Boolean),
      T,
    );

    await waitFor(
      "all 50 done",
      async () => {
        await evmMine(rpcUrl());
        return (await ours()).every((r) => r.status === "confirmed");
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    const rows = await ours();
    const nonces = rows.map((r) => Number(r.nonce)).sort((a, b) => a - b);
    expect(new Set(nonces).size).toBe(50);
    expect(nonces.at(-1)! - nonces[0]!).toBe(49); // contiguous: no gap, no reuse

    const logs = await escrowLogs();
    for (const o of refunded) {
      const events = eventsFor(logs, "PaymentRefunded", o.paymentId);
      expect(events.map((e) => (e.args as { amount: bigint }).amount).sort()).toEqual([500_000n, 700_000n]);
    }
    for (const o of released) expect(eventsFor(logs, "PaymentReleased", o.paymentId)).toHaveLength(1);
    for (const o of refunded) {
      const list = (await s.client.get(`/v1/refunds?order=${o.id}`)).body.data as Json[];
      expect(list.map((x) => x.status)).toEqual(["succeeded", "succeeded"]);
    }
    // Pipelined: blocks holding several of these transactions at once.
    const pub = s.stack.pay.publicClient;
    const blocks = new Map<bigint, number>();
    for (const r of rows) {
      const receipt = await pub.getTransactionReceipt({ hash: r.tx_hash as Hex });
      expect(receipt.status).toBe("success");
      blocks.set(receipt.blockNumber, (blocks.get(receipt.blockNumber) ?? 0) + 1);
    }
    expect(Math.max(...blocks.values())).toBe(WINDOW);
    expect(blocks.size).toBeLessThan(50);
  }, 150_000);

  test("behavior: a nonce hole is filled with a no-op, so the transactions behind it are mined", async () => {
    const [order] = await escrowedOrders(s.client, s.stack.pay, 1);
    // As if a nonce had been given out and lost: the sender's count runs one ahead of the chain.
    const [state] = await q(
      "UPDATE pier_api.chain_signer_state SET next_nonce = next_nonce + 1 WHERE signer = $1 RETURNING next_nonce::text",
      [OPERATOR],
    );
    const hole = Number(state!.next_nonce) - 1;
    const r = await refund(order!.id);
    await waitFor("refund succeeded", async () => (await refundStatus(r.id)) === "succeeded", T);
    const tx = await chainTxOfRefund(r.id);
    expect(Number(tx.nonce)).toBe(hole + 1);
    const noop = await q(
      "SELECT * FROM pier_api.chain_txs WHERE kind = 'noop' AND signer = $1 AND nonce = $2",
      [OPERATOR, hole],
    );
    expect(noop).toHaveLength(1);
    expect(noop[0]!.status).toBe("confirmed");
    const receipt = await s.stack.pay.publicClient.getTransactionReceipt({ hash: noop[0]!.tx_hash as Hex });
    expect(receipt.to?.toLowerCase()).toBe(OPERATOR);
  });

  test("behavior: the signer's key used elsewhere at the refund's nonce: the refund is simulated again and sent with a new nonce, once", async () => {
    const [order] = await escrowedOrders(s.client, s.stack.pay, 1);
    await evmSetAutomine(rpcUrl(), false);
    const r = await refund(order!.id, "900000");
    const sent = await waitFor(
      "the refund sent",
      async () => {
        const tx = await chainTxOfRefund(r.id);
        return tx.status === "sent" && tx;
      },
      T,
    );
    const [first] = await attemptsOf(sent.id);
    // Someone with the operator key replaces it in the pool at the same nonce, and that is mined.
    const operator = privateKeyToAccount(devPrivateKey("operator"));
    const raw = await operator.signTransaction({
      chainId: 31337,
      type: "eip1559",
      to: operator.address,
      value: 0n,
      nonce: Number(sent.nonce),
      gas: 21_000n,
      maxFeePerGas: BigInt(first!.max_fee_per_gas) * 2n,
      maxPriorityFeePerGas: BigInt(first!.max_priority_fee_per_gas) * 2n,
    });
    const foreign = await rpc<string>(rpcUrl(), "eth_sendRawTransaction", [raw]);
    await evmMine(rpcUrl());
    expect((await s.stack.pay.publicClient.getTransactionReceipt({ hash: foreign as Hex })).status).toBe(
      "success",
    );

    await waitFor(
      "refund succeeded",
      async () => {
        await evmMine(rpcUrl());
        return (await refundStatus(r.id)) === "succeeded";
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    const tx = await chainTxOfRefund(r.id);
    expect(Number(tx.nonce)).toBe(Number(sent.nonce) + 1);
    const attempts = await attemptsOf(sent.id);
    expect(attempts.map((a) => Number(a.nonce))).toEqual([Number(sent.nonce), Number(sent.nonce) + 1]);
    expect(attempts.filter((a) => a.mined_block !== null).map((a) => a.tx_hash)).toEqual([tx.tx_hash]);
    const refunded = eventsFor(await escrowLogs(), "PaymentRefunded", order!.paymentId);
    expect(refunded.map((l) => l.transactionHash)).toEqual([tx.tx_hash]);
  }, 120_000);

  test("behavior: with two API processes one drives the signer; after a kill -9 of it the other finishes every refund once", async () => {
    const orders = await escrowedOrders(s.client, s.stack.pay, 6);
    const second = await s.startApi(ENV);
    const holders = async () =>
      (
        await q<{ pid: number }>(
          `SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objsubid = 2 AND l.granted
              -- The test run's Postgres server is shared: count this stack's database only.
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [SENDER_LOCK_CLASS],
        )
      ).map((r) => r.pid);
    const driverOf = async () =>
      (
        await q<{ driver: string }>("SELECT driver FROM pier_api.chain_signer_state WHERE signer = $1", [
          OPERATOR,
        ])
      )[0]?.driver;
    // Every signer's lock is held, each by one connection (which process holds which does not matter:
    // the victim below is whichever drives the operator).
    const signers = (await readyz()).body.senders.length as number;
    await waitFor("every signer driven", async () => (await holders()).length === signers, T);

    await evmSetAutomine(rpcUrl(), false);
    const refunds = await Promise.all(orders.map((o) => refund(o.id, "400000")));
    await waitFor(
      "all six in flight",
      async () => {
        for (const r of refunds) if ((await chainTxOfRefund(r.id)).status !== "sent") return false;
        return true;
      },
      T,
    );
    const driver = await driverOf();
    const victim = [s.api, second].find((a) => driver?.endsWith(`:${a.pid}`))!;
    expect(victim).toBeDefined();
    process.kill(victim.pid, "SIGKILL");
    await victim.exited;
    const survivor = victim === second ? s.api : second;
    const client = apiClient(survivor.url, s.secretKey);
    await waitFor(
      "the other process drives the operator",
      async () => (await driverOf())?.endsWith(`:${survivor.pid}`),
      T,
    );

    await waitFor(
      "every refund succeeded",
      async () => {
        await evmMine(rpcUrl());
        for (const r of refunds) if ((await refundStatus(r.id, client)) !== "succeeded") return false;
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const logs = await escrowLogs();
    for (const o of orders) expect(eventsFor(logs, "PaymentRefunded", o.paymentId)).toHaveLength(1);
    for (const r of refunds) expect(await attemptsOf((await chainTxOfRefund(r.id)).id)).toHaveLength(1);
    await evmSetAutomine(rpcUrl(), true);
    if (victim === s.api) await s.restartApi(ENV);
    else await second.stop();
  }, 150_000);
});
