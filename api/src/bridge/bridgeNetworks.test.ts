/**
 * The fiat bridge with two networks and several tokens: each order is funded from the treasury of its own
 * token on its own network (a tUSDC order on chain B from chain B's tUSDC, a EURC-priced order on chain A
 * from chain A's EURC, quoted at the EUR peg), and a treasury that runs low refuses sessions for its own
 * network and token only, with metrics and the `treasury.low` event naming which.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { type Address, erc20Abi } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { localNetworkName, tokenModelsOf, writeNetworksFile } from "../../../scripts/lib/networksFile.ts";
import { waitFor } from "../../../scripts/lib/ports.ts";
import type { ApiClient } from "../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { account, evmIncreaseTime, evmMine } from "../../../test/harness/payments.ts";
import { SECOND_CHAIN_ID } from "../../../test/harness/stack.ts";
import { type SandboxWallet, startSandboxWallet } from "../fiat/sandbox/simulator.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field.
type Json = Record<string, any>;

const CHAIN_A = 31337;
const CHAIN_B = SECOND_CHAIN_ID;
const apiKey = `sbx_${randomBytes(12).toString("hex")}`;
const webhookSecret = `whs_${randomBytes(12).toString("hex")}`;
const T = { timeoutMs: 60_000 };
const treasury = account("treasury").address;

let wallet: SandboxWallet;
let s: ApiStack;

beforeAll(async () => {
  wallet = await startSandboxWallet({ apiKey, webhookSecret });
  const env = {
    PIER_SANDBOX_URL: wallet.url,
    PIER_SANDBOX_API_KEY: apiKey,
    PIER_SANDBOX_WEBHOOK_SECRET: webhookSecret,
    PIER_FIAT_TIMEOUT_MS: "3000",
  };
  s = await startApiStack(env, { secondChain: true, tokenModels: true });
  const file = await writeNetworksFile(
    join(s.stack.dir, "networks-models.json"),
    s.stack.chains.map((c, i) => ({
      chainId: c.chain.chainId,
      name: localNetworkName(i),
      rpcUrl: c.chain.rpcUrl,
      deploymentFile: c.deploymentFile,
      confirmations: 1,
      tokens: tokenModelsOf(c.deployment),
    })),
  );
  await s.restartApi({ ...env, PIER_NETWORKS_FILE: file });
  wallet.setWebhookUrl(`${s.api.url}/v1/fiat/webhooks/sandbox`);
}, 180_000);

afterAll(async () => {
  await s?.stop();
  await wallet?.close();
});

const chainOf = (chainId: number) => s.stack.chains.find((c) => c.chain.chainId === chainId)!;
const contracts = (chainId: number) => chainOf(chainId).deployment.contracts;

async function pub(path: string, body: unknown) {
  const res = await fetch(`${s.api.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function order(
  network: number,
  token: string,
  amount: string,
  client: ApiClient = s.client,
  extra: Record<string, unknown> = {},
): Promise<Json> {
  const res = await client.post("/v1/orders", { amount, network, token, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function quote(orderId: string, currency = "EUR") {
  const res = await pub(`/v1/checkout/${orderId}/fiat/quotes`, { currency });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const openSession = (orderId: string, fxQuote: string) =>
  pub(`/v1/checkout/${orderId}/fiat/sessions`, {
    fx_quote: fxQuote,
    wallet: "paypal",
    return_url: "http://127.0.0.1:5173/pay/x",
  });

async function payByFiat(orderId: string, client: ApiClient = s.client): Promise<Json> {
  const q = await quote(orderId);
  const session = await openSession(orderId, q.id);
  expect(session.status, JSON.stringify(session.body)).toBe(200);
  const { rows } = await s.stack.db.query("SELECT provider_ref FROM pier_api.fiat_session WHERE id = $1", [
    session.body.id,
  ]);
  wallet.approve(rows[0].provider_ref, "paypal");
  return waitFor(
    `order ${orderId} escrowed`,
    async () => {
      const o = (await client.get(`/v1/orders/${orderId}`)).body;
      return o.status === "escrowed" && o;
    },
    T,
  );
}

const balance = (chainId: number, token: string) =>
  chainOf(chainId).pay.balanceOf(treasury, token as Address);

describe("fiat bridge per network and token", () => {
  test("behavior: an order on chain B is funded by chain B's treasury; chain A's balance is untouched", async () => {
    const tusdcA = contracts(CHAIN_A).TestStablecoin!.address;
    const tusdcB = contracts(CHAIN_B).TestStablecoin!.address;
    const [beforeA, beforeB] = [await balance(CHAIN_A, tusdcA), await balance(CHAIN_B, tusdcB)];
    const o = await order(CHAIN_B, tusdcB, "25000000");
    const escrowed = await payByFiat(o.id);
    expect(escrowed).toMatchObject({
      chain_id: CHAIN_B,
      fiat_payment: { provider: "sandbox", currency: "EUR" },
    });
    expect(escrowed.payment.payer.toLowerCase()).toBe(treasury.toLowerCase());
    expect(await balance(CHAIN_B, tusdcB)).toBe(beforeB - 25_000_000n);
    expect(await balance(CHAIN_A, tusdcA)).toBe(beforeA);
    const { rows } = await s.stack.db.query(
      "SELECT chain_id FROM pier_api.chain_txs WHERE kind = 'fund' AND payload->'orderIds' ? $1",
      [o.id],
    );
    expect(rows.map((r) => Number(r.chain_id))).toEqual([CHAIN_B]);
  });

  test("behavior: a EURC-priced order is quoted at the EUR peg and funded from the EURC treasury", async () => {
    const eurc = contracts(CHAIN_A).EurcLike!.address;
    const before = await balance(CHAIN_A, eurc);
    const o = await order(CHAIN_A, eurc, "40000000");
    const q = await quote(o.id);
    expect(q).toMatchObject({ target_token: "EURC", target_amount: "40000000", mid_rate: "1" });
    // Paid in USD-pegged tUSDC, the same 40 units cost a different number of euros.
    const usd = await quote(
      (await order(CHAIN_A, contracts(CHAIN_A).TestStablecoin!.address, "40000000")).id,
    );
    expect(usd.mid_rate).not.toBe("1");
    expect(usd.source_amount).not.toBe(q.source_amount);
    // A quote is spent on the token it names: the tUSDC quote does not pay the EURC order.
    const mismatch = await openSession(o.id, usd.id);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe("fx_quote_mismatch");

    await payByFiat(o.id);
    expect(await balance(CHAIN_A, eurc)).toBe(before - 40_000_000n);
  });

  test("behavior: a drained treasury refuses its own network and token only; metrics and treasury.low say which", async () => {
    const usdcB = contracts(CHAIN_B).UsdcLike!.address;
    const held = await balance(CHAIN_B, usdcB);
    const burn = account("customer2").address;
    await chainOf(CHAIN_B).pay.send("treasury", {
      address: usdcB as Address,
      abi: erc20Abi,
      functionName: "transfer",
      args: [burn, held],
    });
    const drained = await order(CHAIN_B, usdcB, "5000000");
    const refused = await openSession(drained.id, (await quote(drained.id)).id);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe("treasury_low");
    expect(refused.body.error.message).toContain("USDC on Local B");
    const sessions = await s.stack.db.query("SELECT 1 FROM pier_api.fiat_session WHERE order_id = $1", [
      drained.id,
    ]);
    expect(sessions.rowCount).toBe(0);

    // The same token on chain A, and another token on chain B, still take fiat.
    await payByFiat((await order(CHAIN_A, contracts(CHAIN_A).UsdcLike!.address, "5000000")).id);
    await payByFiat((await order(CHAIN_B, contracts(CHAIN_B).TestStablecoin!.address, "5000000")).id);

    const metrics = await s.api.metrics();
    expect(metrics).toMatch(/^pier_api_treasury_low\{chain_id="1337",token="USDC"\} 1$/m);
    expect(metrics).toMatch(/^pier_api_treasury_low\{chain_id="31337",token="USDC"\} 0$/m);
    expect(metrics).toMatch(/^pier_api_treasury_low\{chain_id="1337",token="tUSDC"\} 0$/m);

    const run = await s.client.withKey(s.adminKey).post("/v1/reconciliation/runs", {});
    expect(run.status).toBe(200);
    const events = (await s.client.get("/v1/events?type=treasury.low")).body.data;
    const low = events.map((e: Json) => [e.data.object.chain_id, e.data.object.symbol]);
    expect(low).toEqual([[CHAIN_B, "USDC"]]);
    expect(events[0].data.object).toMatchObject({ balance: "0", low: true, token: usdcB });
  });

  test("behavior: payouts count only the default token's settled orders: 25 settled DAI pay out nothing in tUSDC", async () => {
    const shop = await s.newMerchant("Payout shop");
    const settle = async (token: string, amount: string) => {
      const o = await order(CHAIN_A, token, amount, shop.client, { escrow_period: 60 });
      await payByFiat(o.id, shop.client);
      await evmIncreaseTime(chainOf(CHAIN_A).chain.rpcUrl, 61);
      await evmMine(chainOf(CHAIN_A).chain.rpcUrl);
      await waitFor(
        `order ${o.id} settled`,
        async () => (await shop.client.get(`/v1/orders/${o.id}`)).body.status === "settled",
        T,
      );
    };
    const payout = async () => {
      const q = await shop.client.post("/v1/fx/quotes", { currency: "EUR", amount: "5.00" });
      expect(q.body).toMatchObject({ target_token: "tUSDC", target_decimals: 6 });
      return shop.client.post("/v1/payouts", { fx_quote: q.body.id, recipient: "shop@example.com" });
    };
    await settle(contracts(CHAIN_A).DaiLike!.address, "25000000000000000000");
    const refused = await payout();
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("insufficient_settled_funds");
    await settle(contracts(CHAIN_A).TestStablecoin!.address, "25000000");
    const paid = await payout();
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(BigInt(paid.body.token_amount)).toBeLessThan(25_000_000n);
  });
});
