/**
 * The chain misbehaving under the API: reorgs of depth 1 to 5 during payments (evm_snapshot, the payment
 * and d-1 more blocks, evm_revert, then a longer history with other transactions), and an RPC that hangs
 * or drops connections for a while (a loopback proxy in front of the node). Orders and webhooks follow
 * the chain; nothing is `escrowed` before PIER_CONFIRMATIONS; a reorged-away payment takes its order
 * back to `open` with `order.payment_reverted`; /readyz reports the chain down during the fault and
 * ready after; a refund queued meanwhile is sent once the RPC is back.
 *
 * By default a second network (chain B, 1337) runs beside the one under fault, served by the same API and
 * indexer (PROFILE.networks; PIER_HARDENING_NETWORKS=1 for one): orders on chain B are paid and escrowed
 * while chain A reorgs or its RPC hangs, and /readyz then says `degraded`, naming chain A.
 */

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SENDER_LOCK_CLASS } from "../../api/src/chain/senderSupervisor.ts";
import { paymentTermsFromJson } from "../../contracts/lib/termsJson.ts";
import { localNetworkName, writeNetworksFile } from "../../scripts/lib/networksFile.ts";
import { waitFor } from "../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../harness/apiStack.ts";
import { blockNumber, evmMine, evmRevert, evmSnapshot } from "../harness/payments.ts";
import { SECOND_CHAIN_ID } from "../harness/stack.ts";
import { waitForWebhook, webhooksFor } from "../harness/waitForWebhook.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhookReceiver.ts";
import { type FaultyProxy, startFaultyProxy } from "./lib/faultyProxy.ts";
import { PROFILE } from "./lib/profile.ts";

// The replacement payment below gets depth + 1 confirmations on the new history; it must still be short
// of final there, or the order goes open -> escrowed in one step and `order.processing` is never sent.
const CONFIRMATIONS = Math.max(...PROFILE.reorgDepths) + 3;
let s: ApiStack;
let receiver: WebhookReceiver;
let proxy: FaultyProxy;
let starting: Promise<ApiStack>;
let networksFile: string | undefined;
const TWO = PROFILE.networks === 2;

beforeAll(async () => {
  starting = startApiStack({ PIER_CONFIRMATIONS: String(CONFIRMATIONS) }, { secondChain: TWO });
  s = await starting;
  proxy = await startFaultyProxy(s.stack.chain.rpcUrl);
  // The API (and its jobs) reach chain A only through the proxy; chain B directly.
  if (TWO)
    networksFile = await writeNetworksFile(
      join(s.stack.dir, "networks-proxied.json"),
      s.stack.chains.map((c, i) => ({
        chainId: c.chain.chainId,
        name: localNetworkName(i),
        rpcUrl: i === 0 ? proxy.url : c.chain.rpcUrl,
        deploymentFile: c.deploymentFile,
        confirmations: CONFIRMATIONS,
      })),
    );
  await s.restartApi(API_ENV());
  receiver = await startWebhookReceiver();
  const ep = await s.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] });
  expect(ep.status).toBe(200);
});
afterAll(async () => {
  await receiver?.close();
  await proxy?.close();
  await (await starting?.catch(() => undefined))?.stop();
});

const API_ENV = (): Record<string, string> => ({
  PIER_CONFIRMATIONS: String(CONFIRMATIONS),
  ...(networksFile ? { PIER_NETWORKS_FILE: networksFile } : { PIER_RPC_URL: proxy.url }),
});
const rpcUrl = () => s.stack.chain.rpcUrl;
const order = async () => (await s.client.post("/v1/orders", { amount: "3000000" })).body;
const chainB = () => s.stack.chains.find((c) => c.chain.chainId === SECOND_CHAIN_ID)!;

/** With two networks: an order on chain B, paid now; `escrowedOnB` waits for it to be final. */
async function payOnB(): Promise<string | undefined> {
  if (!TWO) return undefined;
  const o = (await s.client.post("/v1/orders", { amount: "3000000", network: SECOND_CHAIN_ID })).body;
  await chainB().pay.payByPermit(paymentTermsFromJson(o.terms));
  await evmMine(chainB().chain.rpcUrl, CONFIRMATIONS);
  return o.id;
}
async function escrowedOnB(id: string | undefined): Promise<void> {
  if (!id) return;
  const escrowed = await waitForWebhook(receiver, id, "order.escrowed", 150_000);
  expect(escrowed.body.data.object.chain_id).toBe(SECOND_CHAIN_ID);
}
const status = async (id: string) => (await s.client.get(`/v1/orders/${id}`)).body.status as string;

describe("reorgs", () => {
  test.each(PROFILE.reorgDepths)(
    "behavior: a reorg of depth %i removes a payment: open again, never escrowed",
    async (depth) => {
      const survivor = await order();
      const doomed = await order();
      const replacement = await order();
      await s.stack.pay.payByPermit(paymentTermsFromJson(survivor.terms));
      const snapshot = await evmSnapshot(rpcUrl());
      await s.stack.pay.payByPermit(paymentTermsFromJson(doomed.terms), "customer2");
      if (depth > 1) await evmMine(rpcUrl(), depth - 1);
      await waitForWebhook(receiver, doomed.id, "order.processing", 150_000);
      expect(await status(doomed.id)).toBe("processing");

      // Another history, one block longer, with a different payment in it and without the doomed one;
      // meanwhile chain B takes a payment of its own, untouched by chain A's reorg.
      await evmRevert(rpcUrl(), snapshot);
      const onB = await payOnB();
      await s.stack.pay.payByPermit(paymentTermsFromJson(replacement.terms));
      await evmMine(rpcUrl(), depth);
      const reverted = await waitForWebhook(receiver, doomed.id, "order.payment_reverted", 150_000);
      expect(reverted.body.data.object).toMatchObject({ id: doomed.id, status: "open", payment: null });
      expect(await status(doomed.id)).toBe("open");
      await waitForWebhook(receiver, replacement.id, "order.processing", 150_000);

      // Past the confirmation depth on the new history: the survivor and the replacement are final.
      await evmMine(rpcUrl(), CONFIRMATIONS);
      await waitForWebhook(receiver, survivor.id, "order.escrowed", 150_000);
      await waitForWebhook(receiver, replacement.id, "order.escrowed", 150_000);
      expect(webhooksFor(receiver, doomed.id, "order.escrowed")).toEqual([]);
      expect(await status(doomed.id)).toBe("open");
      await escrowedOnB(onB);

      // The reorged-away order can still be paid, and then follows the chain as usual.
      await s.stack.pay.payByPermit(paymentTermsFromJson(doomed.terms), "customer2");
      await evmMine(rpcUrl(), CONFIRMATIONS);
      await waitForWebhook(receiver, doomed.id, "order.escrowed", 150_000);
      const events = webhooksFor(receiver, doomed.id).map((r) => r.body.type);
      expect(events.indexOf("order.payment_reverted")).toBeLessThan(events.indexOf("order.escrowed"));
    },
  );
});

describe("RPC faults", () => {
  test("behavior: while the RPC hangs then drops connections, /readyz says so and a refund waits; both recover", async () => {
    const paid = await order();
    await s.stack.pay.payByPermit(paymentTermsFromJson(paid.terms));
    await evmMine(rpcUrl(), CONFIRMATIONS);
    await waitForWebhook(receiver, paid.id, "order.escrowed", 150_000);

    const readiness = async () => {
      const res = await fetch(`${s.api.url}/readyz`, { signal: AbortSignal.timeout(30_000) });
      return {
        status: res.status,
        body: (await res.json()) as {
          status: string;
          checks: { chain: { ok: boolean } };
          networks: Record<string, { ok: boolean }>;
        },
      };
    };
    // One network down: not ready (503); one of two: degraded (200), naming it.
    const isDown = (r: Awaited<ReturnType<typeof readiness>>) =>
      !r.body.checks.chain.ok &&
      (TWO
        ? r.status === 200 &&
          r.body.status === "degraded" &&
          !r.body.networks["31337"]!.ok &&
          r.body.networks[String(SECOND_CHAIN_ID)]!.ok
        : r.status === 503);
    proxy.setMode("hang");
    await waitFor("readyz reports the hung chain", async () => isDown(await readiness()), {
      timeoutMs: 90_000,
    });
    // Orders on the other network go on meanwhile.
    await escrowedOnB(await payOnB());

    proxy.setMode("reset");
    const refund = await s.client.post("/v1/refunds", { order: paid.id, amount: "1000000" });
    expect(refund.status).toBeLessThan(300);
    expect(isDown(await readiness())).toBe(true);
    expect((await s.client.get(`/v1/refunds/${refund.body.id}`)).body.status).toBe("pending");
    const head = await blockNumber(rpcUrl());

    proxy.setMode("pass");
    await waitFor(
      "readyz ready again",
      async () => {
        const r = await readiness();
        return r.status === 200 && r.body.checks.chain.ok;
      },
      {
        timeoutMs: 90_000,
      },
    );
    await waitFor(
      "the queued refund sent and indexed",
      async () => (await s.client.get(`/v1/refunds/${refund.body.id}`)).body.status === "succeeded",
      { timeoutMs: 120_000 },
    );
    expect(await blockNumber(rpcUrl())).toBeGreaterThan(head);
    await waitForWebhook(receiver, paid.id, "order.partially_refunded", 150_000);
    expect((await s.client.get(`/v1/orders/${paid.id}`)).body.amount_refunded).toBe("1000000");
  });

  test("behavior: an API killed while its signer's send hangs on the RPC: after a restart the send goes out within a minute", async () => {
    const paid = await order();
    await s.stack.pay.payByPermit(paymentTermsFromJson(paid.terms));
    await evmMine(rpcUrl(), CONFIRMATIONS);
    await waitForWebhook(receiver, paid.id, "order.escrowed", 150_000);

    proxy.setMode("hang");
    const refund = await s.client.post("/v1/refunds", { order: paid.id, amount: "2000000" });
    expect(refund.status).toBeLessThan(300);
    // The process drives the signer's sender (it holds the signer's advisory lock) and the refund
    // waits on the hung RPC, unsent, when the process dies.
    const waiting = async () =>
      (
        await s.stack.db.query(
          `SELECT 1 FROM pier_api.chain_txs c JOIN pier_api.refunds r ON r.chain_tx_id = c.id
            WHERE r.id = $1 AND c.status = 'queued'
              AND EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                           WHERE l.locktype = 'advisory' AND l.classid = $2 AND l.granted
                             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                             AND a.application_name = 'pier-api-sender')`,
          [refund.body.id, SENDER_LOCK_CLASS],
        )
      ).rowCount === 1;
    await waitFor("the refund waiting on the driven, hung sender", waiting, { timeoutMs: 30_000 });
    process.kill(s.api.pid, "SIGKILL");
    await s.api.exited;
    proxy.setMode("pass");
    await s.restartApi(API_ENV());

    // The dead process's connection, and with it the signer's lock, is gone: the restarted process
    // drives the signer at once, and the refund goes out.
    await waitFor(
      "the refund sent after the restart",
      async () => (await s.client.get(`/v1/refunds/${refund.body.id}`)).body.status === "succeeded",
      { timeoutMs: 60_000 },
    );
    await waitForWebhook(receiver, paid.id, "order.partially_refunded", 60_000);
    expect((await s.client.get(`/v1/orders/${paid.id}`)).body.amount_refunded).toBe("2000000");
  });
});
