/** Orders created through the API and paid on chain by permit, returned once the API shows them escrowed. */

import { paymentTermsFromJson } from "../../contracts/lib/termsJson.ts";
import { waitFor } from "../../scripts/lib/ports.ts";
import type { ApiClient } from "./apiClient.ts";
import type { Payments } from "./payments.ts";

export interface EscrowedOrder {
  id: string;
  /** The escrow's payment id (bytes32), as in its events. */
  paymentId: string;
}

export async function escrowedOrders(
  client: ApiClient,
  pay: Payments,
  count: number,
  amount = "3000000",
): Promise<EscrowedOrder[]> {
  const orders: EscrowedOrder[] = [];
  for (let i = 0; i < count; i++) {
    const res = await client.post("/v1/orders", { amount });
    if (res.status !== 200)
      throw new Error(`creating an order failed: ${res.status} ${JSON.stringify(res.body)}`);
    const paid = await pay.payByPermit(paymentTermsFromJson(res.body.terms));
    orders.push({ id: res.body.id as string, paymentId: paid.paymentId });
  }
  await waitFor(
    `${count} orders escrowed`,
    async () => {
      for (const o of orders)
        if ((await client.get(`/v1/orders/${o.id}`)).body.status !== "escrowed") return false;
      return true;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  return orders;
}
