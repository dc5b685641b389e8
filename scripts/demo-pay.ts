/**
 * Pays an order on the local stack started by ./scripts/dev from the dev `customer` account, and waits
 * until the indexer serves its `payment` row over GraphQL.
 *   pnpm exec tsx scripts/demo-pay.ts [--order ord_...] [--method allowance|permit|authorization]
 * With --order, the API's public checkout data (signed terms) is paid, as the web checkout would;
 * without it, a fresh order is signed locally with the dev operator key.
 */

import type { Hex } from "viem";
import { LOCAL_CHAIN_ID } from "../contracts/lib/chains.ts";
import { loadDeployment } from "../contracts/lib/deployments.ts";
import { type PayMethod, payTerms } from "../contracts/lib/payTerms.ts";
import type { PaymentTerms } from "../contracts/lib/terms.ts";
import { type PaymentTermsJson, paymentTermsFromJson } from "../contracts/lib/termsJson.ts";
import { createPayments } from "../test/harness/payments.ts";
import { log } from "./lib/log.ts";
import { waitFor } from "./lib/ports.ts";

const rpcUrl = process.env.PIER_RPC_URL ?? "http://127.0.0.1:8545";
const indexerUrl = process.env.PIER_INDEXER_URL ?? "http://127.0.0.1:42069";
const apiUrl = process.env.PIER_API_URL ?? "http://127.0.0.1:4000";
const arg = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const method = (arg("--method") ?? "allowance") as PayMethod;
if (!["allowance", "permit", "authorization"].includes(method))
  throw new Error(`--method ${method}: one of allowance, permit, authorization`);
const orderRef = arg("--order");

// The harness for dev accounts and fresh terms; paying itself is contracts/lib/payTerms.ts, as in the CLI.
const pay = createPayments(rpcUrl, loadDeployment(LOCAL_CHAIN_ID));
const { terms, signature } = orderRef ? await checkoutTerms(orderRef) : await freshTerms();
const paid = await payTerms(method, {
  publicClient: pay.publicClient,
  wallet: pay.wallet("customer"),
  relayer: pay.wallet("keeper"),
  escrow: pay.escrow,
  terms,
  operatorSignature: signature,
});
log("demo-pay", "paid", { paymentId: paid.paymentId, tx: paid.hash, block: paid.receipt.blockNumber });

const row = await waitFor(
  "the payment row in the indexer",
  async () => {
    const res = await fetch(`${indexerUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `query($id: String!, $chainId: Float!) { payment(id: $id, chainId: $chainId) { id status amount payer paidTxHash } }`,
        variables: { id: paid.paymentId, chainId: pay.deployment.chainId },
      }),
    });
    const body = (await res.json()) as { data?: { payment?: Record<string, unknown> | null } };
    return body.data?.payment;
  },
  { timeoutMs: 15_000 },
);
console.log(JSON.stringify(row, null, 2));

/** The signed terms of an API order, from its public checkout endpoint. */
async function checkoutTerms(ref: string): Promise<{ terms: PaymentTerms; signature: Hex }> {
  const res = await fetch(`${apiUrl}/v1/checkout/${ref}`);
  if (!res.ok) throw new Error(`GET /v1/checkout/${ref}: ${res.status} ${await res.text()}`);
  const checkout = (await res.json()) as { terms: PaymentTermsJson; signature: Hex };
  return { terms: paymentTermsFromJson(checkout.terms), signature: checkout.signature };
}

/** A fresh order's terms, signed with the dev operator key. */
async function freshTerms(): Promise<{ terms: PaymentTerms; signature: Hex }> {
  const terms = await pay.newTerms();
  return { terms, signature: await pay.signTerms(terms) };
}
