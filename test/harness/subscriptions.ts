/**
 * A customer's side of a subscription's hosted page, for tests that do not drive a browser: request the
 * permission for `payer`, sign it, authorize. The payer must already have given SpendPermissions a token
 * allowance for charges to succeed (the page does that first).
 */

import type { Address, LocalAccount } from "viem";
import { spendPermissionFromJson } from "../../contracts/lib/spendPermission.ts";

/** A POST to the public checkout API: the harness's ApiClient, or a browser stack's `call`. */
// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field.
export type PostJson = (path: string, body: unknown) => Promise<{ status: number; body: any }>;

export async function authorizeSubscription(
  post: PostJson,
  subscriptionId: string,
  payer: LocalAccount,
  token: Address,
  network = 31337,
) {
  const option = { network, token, account: payer.address };
  const quoted = await post(`/v1/checkout/subscriptions/${subscriptionId}/permission`, option);
  if (quoted.status !== 200) throw new Error(`permission: ${quoted.status} ${JSON.stringify(quoted.body)}`);
  const permission = spendPermissionFromJson(quoted.body.typed_data.message);
  const signature = await payer.signTypedData({ ...quoted.body.typed_data, message: permission });
  const res = await post(`/v1/checkout/subscriptions/${subscriptionId}/authorize`, { ...option, signature });
  if (res.status !== 200) throw new Error(`authorize: ${res.status} ${JSON.stringify(res.body)}`);
  // The subscription as authorized, and the permission exactly as signed (what a wallet keeps to revoke).
  return { subscription: res.body, permission, hash: quoted.body.hash as `0x${string}` };
}
