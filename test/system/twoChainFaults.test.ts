/**
 * Faults with two networks running in one API: a reorg on chain B takes a payment away (its order goes
 * back to open, then follows the new history) while chain A's orders carry on; and a kill -9 of the API
 * with payments on both chains not yet synced: after a restart every order reaches escrowed on its own
 * chain and each webhook arrives once.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { paymentTermsFromJson } from "../../contracts/lib/termsJson.ts";
import { waitFor } from "../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../harness/apiStack.ts";
import { evmMine, evmRevert, evmSnapshot } from "../harness/payments.ts";
import { SECOND_CHAIN_ID } from "../harness/stack.ts";
import { waitForWebhook, webhooksFor } from "../harness/waitForWebhook.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhookReceiver.ts";

const CHAIN_A = 31337;
const CHAIN_B = SECOND_CHAIN_ID;
const CONFIRMATIONS = 3;
const ENV = { PIER_CONFIRMATIONS: String(CONFIRMATIONS) };

let starting: Promise<ApiStack>;
let s: ApiStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  starting = startApiStack(ENV, { secondChain: true });
  s = await starting;
  receiver = await startWebhookReceiver();
  const ep = await s.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] });
  expect(ep.status).toBe(200);
});
afterAll(async () => {
  await receiver?.close();
  await (await starting?.catch(() => undefined))?.stop();
});

const chainOf = (chainId: number) => s.stack.chains.find((c) => c.chain.chainId === chainId)!;
const rpc = (chainId: number) => chainOf(chainId).chain.rpcUrl;
// biome-ignore lint/suspicious/noExplicitAny: API JSON
const order = async (network: number): Promise<any> =>
  (await s.client.post("/v1/orders", { amount: "3000000", network })).body;
const status = async (id: string) => (await s.client.get(`/v1/orders/${id}`)).body.status as string;

describe("two networks under faults", () => {
  test("behavior: a reorg on chain B reverts its payment; chain A's order is escrowed meanwhile", async () => {
    const steady = await order(CHAIN_A);
    const doomed = await order(CHAIN_B);
    const snapshot = await evmSnapshot(rpc(CHAIN_B));
    await chainOf(CHAIN_B).pay.payByPermit(paymentTermsFromJson(doomed.terms), "customer2");
    await waitForWebhook(receiver, doomed.id, "order.processing", 60_000);

    // Chain B takes another, longer history without the payment; chain A goes on.
    await evmRevert(rpc(CHAIN_B), snapshot);
    await evmMine(rpc(CHAIN_B), 2);
    await chainOf(CHAIN_A).pay.payByPermit(paymentTermsFromJson(steady.terms));
    await evmMine(rpc(CHAIN_A), CONFIRMATIONS);
    const reverted = await waitForWebhook(receiver, doomed.id, "order.payment_reverted", 60_000);
    expect(reverted.body.data.object).toMatchObject({ id: doomed.id, status: "open", payment: null });
    const escrowed = await waitForWebhook(receiver, steady.id, "order.escrowed", 60_000);
    expect(escrowed.body.data.object.chain_id).toBe(CHAIN_A);
    expect(await status(doomed.id)).toBe("open");

    // Paid again on the new history, it follows chain B as usual.
    await chainOf(CHAIN_B).pay.payByPermit(paymentTermsFromJson(doomed.terms), "customer2");
    await evmMine(rpc(CHAIN_B), CONFIRMATIONS);
    const final = await waitForWebhook(receiver, doomed.id, "order.escrowed", 60_000);
    expect(final.body.data.object.chain_id).toBe(CHAIN_B);
    const types = webhooksFor(receiver, doomed.id).map((r) => r.body.type);
    expect(types.indexOf("order.payment_reverted")).toBeLessThan(types.indexOf("order.escrowed"));
  });

  test("behavior: kill -9 of the API with payments on both chains unsynced: all escrowed after restart, webhooks once", async () => {
    const orders = [await order(CHAIN_A), await order(CHAIN_B), await order(CHAIN_A), await order(CHAIN_B)];
    process.kill(s.api.pid, "SIGKILL");
    await waitFor(
      "the API process gone",
      async () => s.api.process.exitCode !== null || s.api.process.signalCode,
    );
    for (const o of orders) await chainOf(o.chain_id).pay.payByPermit(paymentTermsFromJson(o.terms));
    for (const chainId of [CHAIN_A, CHAIN_B]) await evmMine(rpc(chainId), CONFIRMATIONS);
    await s.restartApi(ENV);
    for (const o of orders) {
      const escrowed = await waitForWebhook(receiver, o.id, "order.escrowed", 90_000);
      expect(escrowed.body.data.object.chain_id).toBe(o.chain_id);
    }
    // One more pass of every loop, then count: nothing was sent twice.
    await evmMine(rpc(CHAIN_A), 1);
    const later = await order(CHAIN_A);
    await chainOf(CHAIN_A).pay.payByPermit(paymentTermsFromJson(later.terms));
    await evmMine(rpc(CHAIN_A), CONFIRMATIONS);
    await waitForWebhook(receiver, later.id, "order.escrowed", 60_000);
    for (const o of orders) {
      const ids = webhooksFor(receiver, o.id, "order.escrowed").map((r) => r.body.id);
      expect(new Set(ids).size, o.id).toBe(1);
    }
  });
});
