/**
 * Test and live mode in one API process: chain A (31337, a local chain) is a testnet and chain B (4242,
 * outside LOCAL_CHAIN_IDS) stands for a mainnet. Test keys and sessions see only chain A, live ones only
 * chain B: orders, checkout options, listings and dashboard sign-in each stay within their mode. The
 * merchant gets its live key the way a real one would: sign in to live data, then create the key.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSiweMessage } from "viem/siwe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hashSecret } from "../../api/src/keys/apiKeys.ts";
import { devAccount, devPrivateKey } from "../../contracts/lib/accounts.ts";
import { paymentTermsFromJson } from "../../contracts/lib/termsJson.ts";
import { waitFor } from "../../scripts/lib/ports.ts";
import type { ApiClient } from "../harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../harness/apiStack.ts";
import { dashboardSignIn } from "../harness/dashboardSession.ts";

const TEST_CHAIN = 31337;
const LIVE_CHAIN = 4242;
const DASHBOARD = "http://localhost:5173";
const owner = devAccount("merchant");

let starting: Promise<ApiStack>;
let s: ApiStack;
let anon: ApiClient;
let live: ApiClient;

let ratesDir: string | undefined;

beforeAll(async () => {
  // Sandbox FX rates are refused as soon as one network is live: a rates file stands in for a real source.
  ratesDir = await mkdtemp(join(tmpdir(), "pier-rates-"));
  const ratesFile = join(ratesDir, "rates.json");
  await writeFile(
    ratesFile,
    JSON.stringify({ base: "USD", rates: { EUR: { rate: "0.86", asOf: new Date().toISOString() } } }),
  );
  starting = startApiStack(
    {
      PIER_DASHBOARD_URL: DASHBOARD,
      PIER_FX_SOURCE: "file",
      PIER_FX_RATES_FILE: ratesFile,
      // Dev keys are defaults on local chains only: a "mainnet" needs them named.
      PIER_OPERATOR_KEY: devPrivateKey("operator"),
      PIER_KEEPER_KEY: devPrivateKey("keeper"),
    },
    { secondChain: true, secondChainId: LIVE_CHAIN },
  );
  s = await starting;
  anon = s.client.withKey(undefined);
  const session = await signIn(true);
  const key = await anon.post(
    "/v1/keys",
    { name: "live server", type: "secret" },
    { headers: { ...session, origin: DASHBOARD } },
  );
  expect(key.status, JSON.stringify(key.body)).toBe(200);
  expect(key.body.secret).toMatch(/^sk_live_/);
  live = s.client.withKey(key.body.secret);
});
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
  if (ratesDir) await rm(ratesDir, { recursive: true, force: true });
});

/** Signs the owner in to one mode's data; the cookie and CSRF headers of the session. */
async function signIn(livemode: boolean): Promise<Record<string, string>> {
  // The session's mode and chain come from the chain of the signed message, i.e. of the nonce.
  const session = await dashboardSignIn(s.client, owner, { livemode });
  expect(session.body).toMatchObject({ livemode, chain_id: livemode ? LIVE_CHAIN : TEST_CHAIN });
  return session.headers;
}

const chainOf = (chainId: number) => s.stack.chains.find((c) => c.chain.chainId === chainId)!;

describe("test and live mode in one process", () => {
  test("behavior: /v1/networks marks each network's mode and a default per mode", async () => {
    const { body } = await anon.get("/v1/networks");
    expect(
      body.data.map((n: Record<string, unknown>) => [n.chain_id, n.testnet, n.livemode, n.default]),
    ).toEqual([
      [TEST_CHAIN, true, false, true],
      [LIVE_CHAIN, false, true, true],
    ]);
  });

  test("behavior: a test key orders on the testnet only; naming the live network is refused and stores nothing", async () => {
    const order = await s.client.post("/v1/orders", { amount: "1000000" });
    expect(order.body).toMatchObject({ chain_id: TEST_CHAIN, livemode: false });
    const checkout = await anon.get(`/v1/checkout/${order.body.id}`);
    expect(checkout.status).toBe(200);
    const offered = new Set(
      checkout.body.options.map((o: { network: { chain_id: number } }) => o.network.chain_id),
    );
    expect([...offered]).toEqual([TEST_CHAIN]);

    const before = await s.stack.db.query("SELECT count(*)::int AS n FROM pier_api.orders");
    const refused = await s.client.post("/v1/orders", { amount: "1000000", network: LIVE_CHAIN });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "parameter_invalid", param: "network" });
    expect(refused.body.error.message).toContain(`${LIVE_CHAIN} is a live network`);
    const accept = await s.client.post("/v1/orders", {
      amount: "1000000",
      accept: [{ network: TEST_CHAIN }, { network: LIVE_CHAIN }],
    });
    expect(accept.status).toBe(400);
    const after = await s.stack.db.query("SELECT count(*)::int AS n FROM pier_api.orders");
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  test("behavior: a live order is paid and refunded on the mainnet; test keys and sessions never see it", async () => {
    const created = await live.post("/v1/orders", { amount: "2000000" });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const order = created.body;
    expect(order).toMatchObject({ chain_id: LIVE_CHAIN, livemode: true });
    const refused = await live.post("/v1/orders", { amount: "1000000", network: TEST_CHAIN });
    expect(refused.body.error.message).toContain(`${TEST_CHAIN} is a test network`);

    await chainOf(LIVE_CHAIN).pay.payByPermit(paymentTermsFromJson(order.terms));
    await waitFor("the live order escrowed", async () => {
      const o = (await live.get(`/v1/orders/${order.id}`)).body;
      return o.status === "escrowed" && o;
    });
    const refund = await live.post("/v1/refunds", { order: order.id });
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    expect(refund.body.livemode).toBe(true);
    await waitFor("the live refund succeeded", async () => {
      const r = (await live.get(`/v1/refunds/${refund.body.id}`)).body;
      if (r.status === "failed") throw new Error(`refund failed: ${r.failure_code}`);
      return r.status === "succeeded";
    });

    expect((await s.client.get(`/v1/orders/${order.id}`)).status).toBe(404);
    const testIds = (await s.client.get("/v1/orders")).body.data.map((o: { id: string }) => o.id);
    expect(testIds).not.toContain(order.id);
    const liveOrders = (await live.get("/v1/orders")).body.data;
    expect(liveOrders.map((o: { id: string }) => o.id)).toEqual([order.id]);

    const testSession = await signIn(false);
    expect((await anon.get(`/v1/orders/${order.id}`, { headers: testSession })).status).toBe(404);
    const liveSession = await signIn(true);
    const seen = await anon.get(`/v1/orders/${order.id}`, { headers: liveSession });
    expect(seen.body).toMatchObject({ id: order.id, status: "refunded", livemode: true });
  });

  test("error: with a live network, sandbox FX rates are refused at boot", async () => {
    await expect(s.startApi({ PIER_FX_SOURCE: "sandbox", PIER_WORKERS: "false" })).rejects.toThrow(
      /PIER_FX_SOURCE=sandbox .* is refused in live mode/,
    );
  });

  test("error: dashboard sign-in links (test mode only) are refused: neither minted nor redeemed", async () => {
    const mint = await s.client.withKey(s.adminKey).post("/v1/admin/dashboard_sign_in_links", {});
    expect(mint.status).toBe(403);
    expect(mint.body.error).toMatchObject({ type: "permission_error", code: "sign_in_link_live_mode" });
    // A link left from a time the instance served test networks only does not work now either.
    const token = "L".repeat(43);
    await s.stack.db.query(
      `INSERT INTO pier_api.dashboard_sign_in_links (id, token_hash, merchant_id, created_at, expires_at)
       VALUES ('dsl_leftover', $1, $2, now(), now() + interval '10 minutes')`,
      [hashSecret(token), s.merchantId],
    );
    const use = await anon.post("/v1/dashboard/sign_in_links/redeem", { token });
    expect(use.status).toBe(403);
    expect(use.body.error.code).toBe("sign_in_link_live_mode");
    expect(use.headers.get("set-cookie")).toBeNull();
    const { rows } = await s.stack.db.query(
      "SELECT used_at FROM pier_api.dashboard_sign_in_links WHERE id = 'dsl_leftover'",
    );
    expect(rows[0].used_at).toBeNull();
  });

  test("behavior: a sign-in message naming neither mode's chain is refused", async () => {
    const nonce = (await anon.post("/v1/dashboard/siwe/nonce", {})).body;
    expect(nonce.chain_id).toBe(TEST_CHAIN);
    const message = createSiweMessage({
      address: owner.address,
      chainId: 1,
      domain: nonce.domain,
      nonce: nonce.nonce,
      uri: nonce.uri,
      version: "1",
    });
    const res = await anon.post("/v1/dashboard/siwe/verify", {
      message,
      signature: await owner.signMessage({ message }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("siwe_chain_mismatch");
    expect(res.body.error.message).toContain(`${TEST_CHAIN} (test) or ${LIVE_CHAIN} (live)`);
  });
});
