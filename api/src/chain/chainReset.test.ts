/**
 * A chain replaced under a running API: the Hardhat node is stopped and a new one started on the same
 * port (same chain id 31337, new genesis), the contracts deployed again and the indexer started afresh
 * on the schema the API reads. The old chain's open transactions are abandoned visibly (refund.failed
 * with chain_reset, the reset in /readyz and `pier status`, a metric), nothing is signed for the new
 * chain with the old chain's nonces, and a refund on the new chain completes. A node replaced in the
 * middle of a sender's pass (the pass read the old chain's identity, then the new node's nonces) is
 * offered nothing signed for the old chain either.
 *
 * Before the reset, the same stack shows `pier status` naming a stuck transaction and why.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { type Hex, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { paymentEscrowAbi } from "../../../contracts/generated/abis.ts";
import { deployLocal } from "../../../scripts/deploy.ts";
import { type ChainHandle, rpc, startChain } from "../../../scripts/lib/chain.ts";
import { freePort, waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { escrowedOrders } from "../../../test/harness/escrowedOrders.ts";
import { startFaultProxy } from "../../../test/harness/faultProxy.ts";
import { createPayments, evmMine, evmSetAutomine } from "../../../test/harness/payments.ts";

// biome-ignore lint/suspicious/noExplicitAny: rows and JSON bodies are read field by field
type Json = Record<string, any>;

const PIER_BIN = new URL("../../../cli/bin/pier.js", import.meta.url).pathname;
const ENV = { PIER_TX_STUCK_AFTER_SECONDS: "2" };
const T = { timeoutMs: 60_000, intervalMs: 100 };
// Hardhat dev account 1, the operator (refunds and early releases).
const OPERATOR = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

let s: ApiStack;
let starting: Promise<ApiStack>;
/** Nodes this file starts in place of the stack's: the stack's stop() only knows the one it started. */
const replacements: ChainHandle[] = [];

beforeAll(async () => {
  starting = startApiStack(ENV);
  s = await starting;
}, 180_000);
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
  for (const chain of replacements) await chain.stop();
});

/** Stops the stack's Hardhat node and starts a new one on the same port: same chain id, new genesis. */
async function replaceChain(logName: string): Promise<void> {
  const port = Number(new URL(rpcUrl()).port);
  await s.stack.chain.stop();
  const chain = await startChain({ port, logFile: join(s.stack.dir, logName) });
  replacements.push(chain);
  process.once("exit", () => chain.process.kill("SIGKILL"));
  s.stack.chain = chain;
}

const rpcUrl = () => s.stack.chain.rpcUrl;
const q = async <R = Json>(sql: string, params: unknown[] = []) =>
  (await s.stack.db.query(sql.replaceAll("pier_api.", `"pier_api".`), params)).rows as R[];
const chainTx = async (id: string) => (await q("SELECT * FROM pier_api.chain_txs WHERE id = $1", [id]))[0]!;
const refundRow = async (id: string) => (await q("SELECT * FROM pier_api.refunds WHERE id = $1", [id]))[0]!;
/** The refund's chain transaction once it is sent (its row). */
const refundSent = (refundId: string) =>
  waitFor(
    "the refund sent",
    async () => {
      const r = await chainTx((await refundRow(refundId)).chain_tx_id);
      return r.status === "sent" && r;
    },
    T,
  );
/** The refund once it has failed (its API body): what the old chain had open is abandoned. */
const refundFailed = (refundId: string) =>
  waitFor(
    "the old chain's refund failed",
    async () => {
      const r = await s.client.get(`/v1/refunds/${refundId}`);
      return r.body.status === "failed" && r.body;
    },
    T,
  );

/** `pier status --json` against this stack. */
function pierStatus(): Promise<{ code: number | null; json: Json; human: string }> {
  const env = {
    ...process.env,
    PIER_API_URL: s.api.url,
    PIER_RPC_URL: rpcUrl(),
    PIER_INDEXER_URL: s.stack.indexer!.url,
    PIER_API_KEY: s.secretKey,
  };
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [PIER_BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (c) => (out += c));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, out }));
    });
  return Promise.all([run(["status", "--json"]), run(["status"])]).then(([json, human]) => ({
    code: json.code,
    json: JSON.parse(json.out) as Json,
    human: human.out,
  }));
}

async function readyz(): Promise<Json> {
  return (await fetch(`${s.api.url}/readyz`)).json() as Promise<Json>;
}

describe("chain identity", () => {
  test("behavior: the chain is restarted under a running API: its open transactions are abandoned visibly and a refund on the new chain completes", async () => {
    const [refunded, released] = await escrowedOrders(s.client, s.stack.pay, 2);
    // Past the syncer's reorg margin, so the new chain's low block numbers are behind its watermark.
    await evmMine(rpcUrl(), 70);
    const oldGenesis = s.stack.deployment.genesisHash.toLowerCase();

    // Two transactions sent on the old chain and never mined there.
    await evmSetAutomine(rpcUrl(), false);
    const refund = (await s.client.post("/v1/refunds", { order: refunded!.id, amount: "1000000" })).body;
    expect((await s.client.post(`/v1/orders/${released!.id}/release`, {})).status).toBe(202);
    const release = (
      await q("SELECT id FROM pier_api.chain_txs WHERE kind = 'release' AND payload->'orderIds' ? $1", [
        released!.id,
      ])
    )[0]!;
    const refundTx = await waitFor(
      "both sent",
      async () => {
        const r = await chainTx((await refundRow(refund.id)).chain_tx_id);
        return r.status === "sent" && (await chainTx(release.id)).status === "sent" && r;
      },
      T,
    );
    expect(refundTx.genesis_hash).toBe(oldGenesis);

    // Held unmined past PIER_TX_STUCK_AFTER_SECONDS: pier status names it and says why, and fails.
    const stuck = await waitFor(
      "pier status reporting the stuck refund",
      async () => {
        const st = await pierStatus();
        // (The API is ready otherwise once the indexer has caught up with the blocks mined above.) The two
        // runs ask the API at slightly different moments: both must have seen the refund stuck.
        return (
          st.json.checks.senders?.ok === false &&
          st.json.checks.indexer?.ok &&
          st.human.includes(`STUCK`) &&
          st.human.includes(refundTx.id) &&
          st
        );
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(stuck.code).toBe(1);
    expect(stuck.json.checks.api.ok).toBe(true); // degraded, still serving
    expect(stuck.json.checks.senders.detail).toContain(refundTx.id);
    const line = stuck.human
      .split("\n")
      .find((l: string) => l.startsWith("STUCK") && l.includes(refundTx.id));
    expect(line).toContain(OPERATOR);
    expect(line).toContain(`nonce ${refundTx.nonce}`);
    expect(line).toContain(refundTx.tx_hash);
    expect(line).toMatch(/unmined for \d+ s/);

    // The chain is replaced: same port and chain id, new genesis; contracts deployed again at the same
    // addresses; the indexer starts over on the schema the API reads.
    await s.stack.indexer!.stop();
    await replaceChain("chain2.log");
    const deployment = await deployLocal(rpcUrl(), s.stack.deploymentFile);
    const newGenesis = deployment.genesisHash.toLowerCase();
    expect(newGenesis).not.toBe(oldGenesis);
    expect(deployment.contracts.PaymentEscrow.address).toBe(
      s.stack.deployment.contracts.PaymentEscrow.address,
    );
    s.stack.deployment = deployment;
    await s.stack.db.query(`DROP SCHEMA "${s.stack.indexer!.schema}" CASCADE`);
    await s.stack.startIndexer();

    // Abandoned: the refund failed with chain_reset (and its refund.failed event), the release too.
    const failed = await refundFailed(refund.id);
    expect(failed.failure_code).toBe("chain_reset");
    expect(failed.failure_message).toContain(newGenesis);
    for (const id of [refundTx.id, release.id])
      expect(await chainTx(id)).toMatchObject({ status: "abandoned", error_code: "chain_reset" });
    expect(
      await q("SELECT type FROM pier_api.events WHERE dedupe_key = $1", [`${refund.id}:failed`]),
    ).toEqual([{ type: "refund.failed" }]);

    const ready = await waitFor(
      "readyz showing the reset",
      async () => {
        const body = await readyz();
        return body.senders?.find((x: Json) => x.signer === OPERATOR)?.last_reset && body;
      },
      T,
    );
    const operator = ready.senders.find((x: Json) => x.signer === OPERATOR);
    expect(operator.last_reset).toMatchObject({
      previous_genesis: oldGenesis,
      genesis_hash: newGenesis,
      abandoned: 2,
    });
    expect(operator.genesis_hash).toBe(newGenesis);
    expect(operator.stuck).toEqual([]);
    expect(ready.checks.senders.detail).toContain("2 open transaction(s) abandoned");
    const metrics = await s.api.metrics();
    expect(metrics).toMatch(
      new RegExp(`pier_api_chain_tx_abandoned_total\\{chain_id="31337",signer="${OPERATOR}"\\} 2`),
    );
    const after = await pierStatus();
    const note = after.human.split("\n").find((l) => l.startsWith("note") && l.includes(OPERATOR));
    expect(note).toContain(`genesis ${oldGenesis} -> ${newGenesis}`);
    expect(note).toContain("2 open transaction(s) of the old chain abandoned");
    expect(after.json.senders.find((x: Json) => x.signer === OPERATOR).last_reset.abandoned).toBe(2);

    // The new chain carries on: an order paid there is refunded, with the new chain's first nonce.
    const pay = createPayments(rpcUrl(), deployment);
    const [fresh] = await escrowedOrders(s.client, pay, 1);
    const second = (await s.client.post("/v1/refunds", { order: fresh!.id, amount: "1500000" })).body;
    await waitFor(
      "the new chain's refund succeeded",
      async () => (await s.client.get(`/v1/refunds/${second.id}`)).body.status === "succeeded",
      T,
    );
    const secondTx = await chainTx((await refundRow(second.id)).chain_tx_id);
    expect(secondTx).toMatchObject({ status: "confirmed", genesis_hash: newGenesis, nonce: "0" });
    const logs = parseEventLogs({
      abi: paymentEscrowAbi,
      logs: await pay.publicClient.getLogs({
        address: deployment.contracts.PaymentEscrow.address,
        fromBlock: 0n,
      }),
    });
    const refundedEvents = logs.filter(
      (l) =>
        l.eventName === "PaymentRefunded" && (l.args as { paymentId: Hex }).paymentId === fresh!.paymentId,
    );
    expect(refundedEvents.map((l) => l.transactionHash)).toEqual([secondTx.tx_hash]);
    // Nothing of the old chain was ever sent to the new one.
    for (const hash of [refundTx.tx_hash, (await chainTx(release.id)).tx_hash])
      expect(await pay.publicClient.getTransaction({ hash }).catch(() => null)).toBeNull();
  }, 180_000);

  test("behavior: the dev stack restarted (new chain, the API restarted on the same database): what was open on the old chain is abandoned at the first look, its nonces forgotten", async () => {
    // Automine back on whatever the previous test left (a failure there stops it with mining off).
    await evmSetAutomine(rpcUrl(), true);
    const [order] = await escrowedOrders(s.client, createPayments(rpcUrl(), s.stack.deployment), 1);
    await evmSetAutomine(rpcUrl(), false);
    const refund = (await s.client.post("/v1/refunds", { order: order!.id, amount: "1000000" })).body;
    const sent = await refundSent(refund.id);
    const [before] = await q("SELECT next_nonce::text FROM pier_api.chain_signer_state WHERE signer = $1", [
      OPERATOR,
    ]);
    expect(Number(before!.next_nonce)).toBeGreaterThan(0);

    // As ./scripts/dev does: everything stops, a new chain starts, the contracts are deployed again and
    // the API starts on the database it had.
    await s.api.stop();
    await s.stack.indexer!.stop();
    await replaceChain("chain3.log");
    const deployment = await deployLocal(rpcUrl(), s.stack.deploymentFile);
    s.stack.deployment = deployment;
    await s.restartApi(ENV);

    const failed = await refundFailed(refund.id);
    expect(failed.failure_code).toBe("chain_reset");
    expect(await chainTx(sent.id)).toMatchObject({ status: "abandoned", error_code: "chain_reset" });
    const [after] = await q(
      "SELECT genesis_hash, next_nonce::text FROM pier_api.chain_signer_state WHERE signer = $1",
      [OPERATOR],
    );
    expect(after).toEqual({ genesis_hash: deployment.genesisHash.toLowerCase(), next_nonce: "0" });
    const [identity] = await q("SELECT genesis_hash FROM pier_api.chain_identity WHERE chain_id = 31337");
    expect(identity!.genesis_hash).toBe(deployment.genesisHash.toLowerCase());
    // The signed bytes of the old chain were never offered to the new one.
    expect(
      await createPayments(rpcUrl(), deployment)
        .publicClient.getTransaction({ hash: sent.tx_hash })
        .catch(() => null),
    ).toBeNull();
  }, 120_000);

  // Last in the file: it leaves the API on a node with nothing deployed.
  test("behavior: the node is replaced in the middle of a sender's pass (identity read from the old node, nonces from the new): the pass offers the new node nothing signed for the old chain", async () => {
    await evmSetAutomine(rpcUrl(), true);
    // An indexer on a schema of its own (the one before may hold another chain's rows), and the API on
    // it, its RPC through a proxy in front of the node.
    await s.stack.startIndexer({ schema: `${s.stack.indexer!.schema}_mid` });
    const proxy = await startFaultProxy(rpcUrl());
    try {
      await s.restartApi({ ...ENV, PIER_RPC_URL: proxy.url });
      const [order] = await escrowedOrders(s.client, createPayments(rpcUrl(), s.stack.deployment), 1);
      // The replacement: a node of the same chain id and a genesis of its own.
      const other = await startChain({ port: await freePort(), logFile: join(s.stack.dir, "chain4.log") });
      replacements.push(other);
      const oldGenesis = await rpc<Json>(rpcUrl(), "eth_getBlockByNumber", ["0x0", false]);
      const newGenesis = await rpc<Json>(other.rpcUrl, "eth_getBlockByNumber", ["0x0", false]);
      expect(newGenesis.hash).not.toBe(oldGenesis.hash);
      await evmSetAutomine(rpcUrl(), false);
      const refund = (await s.client.post("/v1/refunds", { order: order!.id, amount: "1000000" })).body;
      const sent = await refundSent(refund.id);
      // Marked sent before it is broadcast: the switch must come after the old node has it.
      await waitFor(
        "the refund in the old node's pool",
        async () => (await rpc(rpcUrl(), "eth_getTransactionByHash", [sent.tx_hash])) !== null,
        T,
      );

      // From here the new node answers, except the identity: the old node's genesis until the pass has
      // asked the new node whether it knows the refund (nonces from the new node say it may be dropped).
      const switchedAt = proxy.seen.length;
      let asked = false;
      proxy.target = other.rpcUrl;
      proxy.plan = ({ body }) => {
        const call = JSON.parse(body) as { id: number; method: string; params: unknown[] };
        if (call.method === "eth_getTransactionByHash") asked = true;
        if (!asked && call.method === "eth_getBlockByNumber" && call.params[0] === "0x0")
          return { status: 200, body: { jsonrpc: "2.0", id: call.id, result: oldGenesis } };
        return "forward";
      };

      // The next pass reads the new identity and abandons the refund.
      const failed = await refundFailed(refund.id);
      expect(failed.failure_code).toBe("chain_reset");
      const after = proxy.seen.slice(switchedAt).map((r) => JSON.parse(r.body) as Json);
      // The pass did reach the question that leads to a re-broadcast...
      expect(after.some((c) => c.method === "eth_getTransactionByHash" && c.params[0] === sent.tx_hash)).toBe(
        true,
      );
      // ...and sent nothing to the new node.
      expect(after.filter((c) => c.method === "eth_sendRawTransaction")).toEqual([]);
      expect(await rpc(other.rpcUrl, "eth_getTransactionByHash", [sent.tx_hash])).toBeNull();
      expect(await rpc(other.rpcUrl, "eth_getTransactionCount", [OPERATOR, "pending"])).toBe("0x0");
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
