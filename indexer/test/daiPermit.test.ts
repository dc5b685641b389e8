/**
 * A payment made with DAI's permit (payWithDaiPermit, PayMethod.DaiPermit) in the DAI-like model, against a
 * real chain, Postgres and Ponder: the indexer records it with method `dai_permit` (an unknown method
 * would stop indexing) and settles it like any other.
 */
import { parseUnits } from "viem";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createPayments } from "../../test/harness/payments.ts";
import { type Stack, startStack } from "../../test/harness/stack.ts";
import { paymentById, waitForIndexedBlock } from "./tables.ts";

let stack: Stack;
let starting: Promise<Stack> | undefined;

beforeAll(async () => {
  starting = startStack({ tokenModels: true });
  stack = await starting;
});

afterAll(async () => {
  await (stack ?? (await starting?.catch(() => undefined)))?.stop();
});

it("indexes a DAI-permit payment as dai_permit, then its release", async () => {
  const dai = stack.deployment.contracts.DaiLike?.address;
  if (!dai) throw new Error("the stack deployed no DaiLike");
  const pay = createPayments(stack.chain.rpcUrl, stack.deployment, { token: dai });
  const amount = parseUnits("42.5", 18);
  const fee = parseUnits("1", 18);
  const paid = await pay.payByDaiPermit(await pay.newTerms({ amount, fee }));
  await waitForIndexedBlock(stack, paid.receipt.blockNumber);
  expect(await paymentById(stack, paid.paymentId)).toMatchObject({
    method: "dai_permit",
    token: dai.toLowerCase(),
    amount,
    fee,
    status: "escrowed",
  });

  const released = await pay.release(paid.record, "merchant");
  await waitForIndexedBlock(stack, released.receipt.blockNumber);
  expect(await paymentById(stack, paid.paymentId)).toMatchObject({
    method: "dai_permit",
    status: "released",
    amount_released: amount - fee,
    fee_paid: fee,
  });
});
