/**
 * Dashboard sign-in for tests: Sign-In with Ethereum by any local account (a team member or an invited
 * wallet), returning the cookie and CSRF headers a session's requests carry.
 */
import type { LocalAccount } from "viem";
import { createSiweMessage } from "viem/siwe";
import type { ApiClient, ApiResponse } from "./apiClient.ts";

export interface DashboardSession {
  /** `cookie` and `x-csrf-token`: pass as request headers. */
  headers: Record<string, string>;
  /** The `dashboard_session` object. */
  body: Record<string, unknown> & { role: string; address: string; merchant: { id: string } };
}

/** The raw sign-in answer (for refusals); `merchant` picks one of several merchants. */
export async function signInResponse(
  client: ApiClient,
  account: LocalAccount,
  opts: { merchant?: string; livemode?: boolean } = {},
): Promise<ApiResponse> {
  const anon = client.withKey(undefined);
  const nonce = await anon.post(
    "/v1/dashboard/siwe/nonce",
    opts.livemode === undefined ? {} : { livemode: opts.livemode },
  );
  if (nonce.status !== 200) throw new Error(`nonce: ${nonce.status} ${JSON.stringify(nonce.body)}`);
  const message = createSiweMessage({
    address: account.address,
    chainId: nonce.body.chain_id,
    domain: nonce.body.domain,
    nonce: nonce.body.nonce,
    uri: nonce.body.uri,
    version: "1",
    statement: nonce.body.statement,
    issuedAt: new Date(),
    expirationTime: new Date(nonce.body.expires_at * 1000),
  });
  return anon.post("/v1/dashboard/siwe/verify", {
    message,
    signature: await account.signMessage({ message }),
    ...(opts.merchant ? { merchant: opts.merchant } : {}),
  });
}

export async function dashboardSignIn(
  client: ApiClient,
  account: LocalAccount,
  opts: { merchant?: string; livemode?: boolean } = {},
): Promise<DashboardSession> {
  const res = await signInResponse(client, account, opts);
  if (res.status !== 200)
    throw new Error(`sign-in of ${account.address}: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    headers: { cookie: res.headers.get("set-cookie")!.split(";")[0]!, "x-csrf-token": res.body.csrf_token },
    body: res.body,
  };
}
