/**
 * End to end with a remote signer: the API runs as a child process whose operator, keeper and treasury
 * keys live only in the test's signer service (test/harness/remoteSigner.ts). An order's terms are
 * signed through eth_signTypedData_v4, paid on chain, and refunded through eth_signTransaction.
 */
import { readFileSync } from "node:fs";
import { devAccount, devPrivateKey } from "@pier/contracts/accounts";
import { escrowDomain, paymentTermsTypes } from "@pier/contracts/terms";
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { getAddress, type Hex, recoverTypedDataAddress } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { type LocalRemoteSigner, startRemoteSigner } from "../../../test/harness/remoteSigner.ts";

const operator = devAccount("operator").address;
const keeper = devAccount("keeper").address;
const treasury = devAccount("treasury").address;
const AMOUNT = 10_000_000n;

let signer: LocalRemoteSigner;
let s: ApiStack;

beforeAll(async () => {
  signer = await startRemoteSigner([
    devPrivateKey("operator"),
    devPrivateKey("keeper"),
    devPrivateKey("treasury"),
  ]);
  s = await startApiStack({
    PIER_SIGNER_URL: signer.url,
    PIER_SIGNER_AUTH: "Bearer test-signer-token",
    PIER_OPERATOR_ADDRESS: operator,
    PIER_KEEPER_ADDRESS: keeper,
    PIER_TREASURY_ADDRESS: treasury,
  });
}, 180_000);

afterAll(async () => {
  await s?.stop();
  await signer?.close();
});

const forOperator = (method: string) =>
  signer.requests.filter((r) => {
    if (r.method !== method) return false;
    const first = r.params[0];
    const from = typeof first === "string" ? first : (first as { from?: string }).from;
    return from?.toLowerCase() === operator.toLowerCase();
  });

describe("remote signer, end to end", () => {
  test("default: the API holds no operator key; boot checked the signer's accounts", () => {
    const environ = readFileSync(`/proc/${s.api.pid}/environ`, "utf8").split("\0");
    expect(environ.filter((v) => /^PIER_(OPERATOR|KEEPER|TREASURY)_KEY=/.test(v))).toEqual([]);
    expect(environ).toContain(`PIER_OPERATOR_ADDRESS=${operator}`);
    expect(signer.requests.some((r) => r.method === "eth_accounts")).toBe(true);
    expect(signer.requests.every((r) => r.authorization === "Bearer test-signer-token")).toBe(true);
  });

  test("behavior: terms signed remotely are paid, and the refund is signed remotely and succeeds", async () => {
    const typedBefore = forOperator("eth_signTypedData_v4").length;
    const created = await s.client.post("/v1/orders", { amount: AMOUNT.toString() });
    expect(created.status).toBe(200);
    const order = created.body;
    const terms = paymentTermsFromJson(order.terms);
    expect(terms.operator).toBe(operator);
    // Signed when the checkout is first opened, not at creation; opened again, not signed again.
    expect(forOperator("eth_signTypedData_v4").length).toBe(typedBefore);
    const checkout = (await s.client.withKey(undefined).get(`/v1/checkout/${order.id}`)).body;
    await s.client.withKey(undefined).get(`/v1/checkout/${order.id}`);
    expect(forOperator("eth_signTypedData_v4").length).toBe(typedBefore + 1);
    expect(
      await recoverTypedDataAddress({
        domain: escrowDomain(31337, s.stack.pay.escrow),
        types: paymentTermsTypes,
        primaryType: "PaymentTerms",
        message: terms,
        signature: checkout.signature as Hex,
      }),
    ).toBe(operator);

    const paid = await s.stack.pay.payByAllowance(terms);
    const payer = paid.record.payer;
    await waitFor("order escrowed", async () => {
      const r = await s.client.get(`/v1/orders/${order.id}`);
      return r.body.status === "escrowed";
    });
    const before = await s.stack.pay.balanceOf(payer);

    const refund = await s.client.post("/v1/refunds", { order: order.id, reason: "requested_by_customer" });
    expect(refund.status).toBe(200);
    const done = await waitFor("refund settled", async () => {
      const r = await s.client.get(`/v1/refunds/${refund.body.id}`);
      return r.body.status !== "pending" && r.body;
    });
    expect(done.status).toBe("succeeded");
    expect(await s.stack.pay.balanceOf(payer)).toBe(before + AMOUNT);

    const signed = forOperator("eth_signTransaction");
    expect(signed.length).toBeGreaterThan(0);
    const asked = signed.map((r) => r.params[0] as { to: string; chainId: string; type: string });
    expect(asked.some((t) => t.to.toLowerCase() === s.stack.pay.escrow.toLowerCase())).toBe(true);
    expect(asked.every((t) => t.type === "0x2" && t.chainId === "0x7a69")).toBe(true);
    // The refund mined on chain is one of the operator's remotely signed transactions.
    const mined = await s.stack.pay.publicClient.getTransaction({ hash: done.tx_hash as Hex });
    expect(getAddress(mined.from)).toBe(operator);
    expect(mined.type).toBe("eip1559");
  });
});
