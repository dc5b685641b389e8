/**
 * A customer pays one order twice, on two networks: with the terms the checkout showed for chain A and,
 * after switching the checkout to chain B, with chain B's terms. The first payment Pier syncs binds the
 * order; the other is refunded in full on its own chain, automatically, and the merchant is told
 * (order.duplicate_payment, then order.duplicate_payment_refunded). Nothing is lost: the order keeps
 * exactly one payment and the customer gets the second back.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { paymentTermsFromJson } from "../../contracts/lib/termsJson.ts";
import { waitFor } from "../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../harness/apiStack.ts";
import { account } from "../harness/payments.ts";
import { SECOND_CHAIN_ID } from "../harness/stack.ts";

const CHAIN_A = 31337;
const CHAIN_B = SECOND_CHAIN_ID;
const AMOUNT = 10_000_000n;

let starting: Promise<ApiStack>;
let s: ApiStack;

beforeAll(async () => {
  starting = startApiStack({}, { secondChain: true });
  s = await starting;
});
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
});

const chainOf = (chainId: number) => s.stack.chains.find((c) => c.chain.chainId === chainId)!;

// biome-ignore lint/suspicious/noExplicitAny: API JSON
async function eventsOf(type: string, orderId: string): Promise<any[]> {
  const res = await s.client.get(`/v1/events?type=${type}&limit=100`);
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: API JSON
  return res.body.data.filter((e: any) => e.order === orderId);
}

describe("double payment across two networks", () => {
  test("behavior: the second payment is refunded in full on its own chain and reported; the order keeps one", async () => {
    const order = (await s.client.post("/v1/orders", { amount: AMOUNT.toString() })).body;
    const checkout = s.client.withKey(undefined);
    const onA = (await checkout.get(`/v1/checkout/${order.id}`)).body;
    expect(onA.chain_id).toBe(CHAIN_A);
    expect(onA.options.map((o: { chain_id: number }) => o.chain_id)).toEqual([CHAIN_A, CHAIN_B]);
    const tokenB = chainOf(CHAIN_B).deployment.contracts.TestStablecoin!.address;
    const onB = (await checkout.post(`/v1/checkout/${order.id}/select`, { network: CHAIN_B, token: tokenB }))
      .body;
    expect(onB.chain_id).toBe(CHAIN_B);

    const customer = account("customer").address;
    const before: Record<number, bigint> = {
      [CHAIN_A]: await chainOf(CHAIN_A).pay.balanceOf(customer),
      [CHAIN_B]: await chainOf(CHAIN_B).pay.balanceOf(customer),
    };
    await chainOf(CHAIN_A).pay.payByAllowance(paymentTermsFromJson(onA.terms));
    await chainOf(CHAIN_B).pay.payByAllowance(paymentTermsFromJson(onB.terms));

    const [duplicate] = await waitFor(
      "order.duplicate_payment",
      async () => {
        const found = await eventsOf("order.duplicate_payment", order.id);
        return found.length > 0 && found;
      },
      { timeoutMs: 60_000 },
    );
    const dup = duplicate.data.object;
    const bound = dup.chain_id === CHAIN_A ? CHAIN_B : CHAIN_A;
    expect([CHAIN_A, CHAIN_B]).toContain(dup.chain_id);
    expect(dup).toMatchObject({ object: "duplicate_payment", order: order.id, amount: AMOUNT.toString() });

    const escrowed = await waitFor(
      "the order escrowed on the binding chain",
      async () => {
        const o = (await s.client.get(`/v1/orders/${order.id}`)).body;
        return o.status === "escrowed" && o;
      },
      { timeoutMs: 60_000 },
    );
    expect(escrowed.chain_id).toBe(bound);
    expect(escrowed.amount_refunded).toBe("0");

    const [refunded] = await waitFor(
      "order.duplicate_payment_refunded",
      async () => {
        const done = await eventsOf("order.duplicate_payment_refunded", order.id);
        const failed = await eventsOf("order.duplicate_payment_refund_failed", order.id);
        if (failed.length)
          throw new Error(`duplicate refund failed: ${JSON.stringify(failed[0].data.object)}`);
        return done.length > 0 && done;
      },
      { timeoutMs: 60_000 },
    );
    expect(refunded.data.object).toMatchObject({ id: dup.id, status: "refunded" });
    const receipt = await chainOf(dup.chain_id).pay.publicClient.getTransactionReceipt({
      hash: refunded.data.object.refund_tx_hash,
    });
    expect(receipt.status).toBe("success");
    // The customer has the duplicate back on its chain and paid once on the other.
    expect(await chainOf(dup.chain_id).pay.balanceOf(customer)).toBe(before[dup.chain_id]);
    expect(await chainOf(bound).pay.balanceOf(customer)).toBe(before[bound]! - AMOUNT);
    // Reported once each, however many sync passes ran since.
    expect(await eventsOf("order.duplicate_payment", order.id)).toHaveLength(1);
    const late = await checkout.post(`/v1/checkout/${order.id}/select`, {
      network: dup.chain_id,
      token: dup.token,
    });
    expect(late.status).toBe(409);
  });
});
