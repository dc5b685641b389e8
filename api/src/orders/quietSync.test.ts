/**
 * The order sync's quiet passes (syncOrders.ts): after a full pass that found nothing, a pass stops at its
 * first query while the indexer stores no payment event and no order is due. Each test shows that a change
 * still gets a full pass: PIER_SYNC_FULL_PASS_MS is 10 minutes here, so within the waits only the sync's own
 * check (the payment-event key, the due orders) can start one.
 */
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { evmIncreaseTime, evmMine, evmRevert, evmSnapshot } from "../../../test/harness/payments.ts";

let s: ApiStack;

beforeAll(async () => {
  s = await startApiStack({ PIER_SYNC_FULL_PASS_MS: "600000" });
});

afterAll(async () => {
  await s?.stop();
});

/** This API's sync passes so far, by kind, from /metrics. */
async function passes(): Promise<{ full: number; quiet: number }> {
  const res = await fetch(`${s.api.url}/metrics`, {
    headers: { authorization: `Bearer ${s.api.metricsToken}` },
  });
  const text = await res.text();
  const count = (kind: string) =>
    Number(
      text.match(
        new RegExp(`^pier_api_sync_passes_total\\{chain_id="31337",kind="${kind}"\\} (\\d+)`, "m"),
      )?.[1] ?? 0,
    );
  return { full: count("full"), quiet: count("quiet") };
}

/** Resolves once `n` more quiet passes have run (the test env's sync runs every 50 ms). */
async function quietPasses(n: number) {
  const start = (await passes()).quiet;
  await waitFor(`${n} quiet sync passes`, async () => (await passes()).quiet >= start + n, {
    timeoutMs: 20_000,
  });
}

const status = async (id: string) => (await s.client.get(`/v1/orders/${id}`)).body.status as string;

async function createOrder(body: Record<string, unknown> = {}) {
  const res = await s.client.post("/v1/orders", { amount: "1000000", ...body });
  expect(res.status).toBe(200);
  return res.body as { id: string; terms: never };
}

describe("quiet sync passes", () => {
  test("default: with nothing to do the passes go quiet, and a payment still brings a full pass", async () => {
    await quietPasses(5);
    const before = await passes();
    const order = await createOrder();
    await s.stack.pay.payByAllowance(paymentTermsFromJson(order.terms));
    await waitFor("order escrowed", async () => (await status(order.id)) === "escrowed", {
      timeoutMs: 20_000,
    });
    expect((await passes()).full).toBeGreaterThan(before.full);
    // The escrowed order waits on nothing: quiet again.
    await quietPasses(5);
  });

  test("behavior: an unpaid order whose deadline comes while the passes are quiet is expired", async () => {
    const now = Number(await s.stack.pay.chainTime());
    const order = await createOrder({ expires_at: Math.max(now, Math.floor(Date.now() / 1000)) + 120 });
    await quietPasses(5);
    expect(await status(order.id)).toBe("open");
    await evmIncreaseTime(s.stack.chain.rpcUrl, 300);
    await evmMine(s.stack.chain.rpcUrl, 1);
    await waitFor("order expired", async () => (await status(order.id)) === "expired", { timeoutMs: 20_000 });
  });

  test("error: a reorg that removes a payment after the passes went quiet takes the order back to open", async () => {
    const order = await createOrder();
    const snapshot = await evmSnapshot(s.stack.chain.rpcUrl);
    await s.stack.pay.payByAllowance(paymentTermsFromJson(order.terms));
    await waitFor("order escrowed", async () => (await status(order.id)) === "escrowed", {
      timeoutMs: 20_000,
    });
    await quietPasses(5);
    await evmRevert(s.stack.chain.rpcUrl, snapshot);
    // A longer competing chain without the payment: its events are deleted, so the key changes.
    await evmMine(s.stack.chain.rpcUrl, 3);
    await waitFor("order open again", async () => (await status(order.id)) === "open", { timeoutMs: 60_000 });
  });
});
