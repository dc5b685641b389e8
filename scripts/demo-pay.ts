/**
 * Pays a fresh demo order on the local stack started by ./scripts/dev (allowance, from the dev
 * `customer` account) and waits until the indexer serves its `payment` row over GraphQL.
 *   pnpm exec tsx scripts/demo-pay.ts [--method allowance|permit|authorization]
 */
import { loadDeployment } from "../contracts/lib/deployments.ts";
import { createPayments } from "../test/harness/payments.ts";
import { log } from "./lib/log.ts";
import { waitFor } from "./lib/ports.ts";

const rpcUrl = process.env.PIER_RPC_URL ?? "http://127.0.0.1:8545";
const indexerUrl = process.env.PIER_INDEXER_URL ?? "http://127.0.0.1:42069";
const method = process.argv.includes("--method")
  ? process.argv[process.argv.indexOf("--method") + 1]
  : "allowance";

const pay = createPayments(rpcUrl, loadDeployment(31337));
const terms = await pay.newTerms();
const paid =
  method === "permit"
    ? await pay.payByPermit(terms)
    : method === "authorization"
      ? await pay.payByAuthorization(terms)
      : await pay.payByAllowance(terms);
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
