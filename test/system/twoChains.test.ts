/**
 * One deployment, two local chains (31337 "Local A" and 1337 "Local B"), each with its own escrow and test
 * token: the harness stack indexes both in one indexer, and the API (PIER_NETWORKS_FILE, written by
 * startApiOn) takes orders on either network. Orders on each chain go paid -> escrowed -> settled and are
 * refunded on their own chain; with chain B's node gone, chain A keeps working and /readyz names 1337 as
 * the network that is down.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { erc20Abi } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { termsAuthorizationTypedData } from "../../contracts/lib/payTerms.ts";
import { paymentTermsFromJson } from "../../contracts/lib/termsJson.ts";
import { readTokenDomain } from "../../contracts/lib/tokenDomain.ts";
import { waitFor } from "../../scripts/lib/ports.ts";
import { apiClient } from "../harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../harness/apiStack.ts";
import { evmIncreaseTime, evmMine, type Paid } from "../harness/payments.ts";
import { SECOND_CHAIN_ID } from "../harness/stack.ts";

const CHAIN_A = 31337;
const CHAIN_B = SECOND_CHAIN_ID;
const AMOUNT = "10000000";
const PIER_BIN = new URL("../../cli/bin/pier.js", import.meta.url).pathname;

let starting: Promise<ApiStack>;
let s: ApiStack;

beforeAll(async () => {
  starting = startApiStack({}, { secondChain: true });
  s = await starting;
});
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
});

/** The stack's chain with this id (its node, deployment and pay helpers). */
const chainOf = (chainId: number) => s.stack.chains.find((c) => c.chain.chainId === chainId)!;

// biome-ignore lint/suspicious/noExplicitAny: API JSON
async function createOrder(network: number, description: string): Promise<any> {
  const res = await s.client.post("/v1/orders", { amount: AMOUNT, description, network });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

// biome-ignore lint/suspicious/noExplicitAny: API JSON
async function waitForStatus(id: string, status: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(
    `order ${id} ${status}`,
    async () => {
      const order = (await s.client.get(`/v1/orders/${id}`)).body;
      return order.status === status && order;
    },
    { timeoutMs },
  );
}

// biome-ignore lint/suspicious/noExplicitAny: API JSON
async function payAndEscrow(chainId: number, order: any): Promise<void> {
  await chainOf(chainId).pay.payByAllowance(paymentTermsFromJson(order.terms));
  await waitForStatus(order.id, "escrowed");
}

describe("the harness", () => {
  test("default: two chains with their own ids and deployments, one indexer over both", async () => {
    expect(s.stack.chains.map((c) => c.chain.chainId)).toEqual([CHAIN_A, CHAIN_B]);
    expect(s.stack.chain).toBe(s.stack.chains[0]!.chain);
    expect(s.stack.deployment).toBe(s.stack.chains[0]!.deployment);
    expect(s.stack.chains[1]!.deployment.chainId).toBe(CHAIN_B);
    expect(s.stack.chains[1]!.deploymentFile).not.toBe(s.stack.deploymentFile);

    // A payment on each chain, made below the API, lands in the one indexer's tables under its chain id.
    const paid: Paid[] = [];
    for (const c of s.stack.chains) paid.push(await c.pay.payByAllowance(await c.pay.newTerms()));
    const rows = await waitFor("both payments indexed", async () => {
      const { rows } = await s.stack.db.query<{ chain_id: number; id: string }>(
        `SELECT chain_id, id FROM "${s.stack.indexer!.schema}".payment WHERE id = ANY($1)`,
        [paid.map((p) => p.paymentId)],
      );
      return rows.length === 2 && rows;
    });
    expect(rows.map((r) => r.chain_id).sort()).toEqual([CHAIN_B, CHAIN_A].sort());
  });
});

describe("orders on two networks", () => {
  test("behavior: an order on each network is paid on its chain, escrowed, then settled by the keeper", async () => {
    for (const [chainId, name] of [
      [CHAIN_A, "Local A"],
      [CHAIN_B, "Local B"],
    ] as const) {
      const order = await createOrder(chainId, `settle on ${name}`);
      expect(order.chain_id).toBe(chainId);
      expect(order.network).toMatchObject({ chain_id: chainId, name, testnet: true });
      expect(order.escrow.toLowerCase()).toBe(
        chainOf(chainId).deployment.contracts.PaymentEscrow.address.toLowerCase(),
      );
      expect(order.token.address.toLowerCase()).toBe(
        chainOf(chainId).deployment.contracts.TestStablecoin!.address.toLowerCase(),
      );
      await payAndEscrow(chainId, order);
      const rpcUrl = chainOf(chainId).chain.rpcUrl;
      await evmIncreaseTime(rpcUrl, 7 * 86_400 + 1);
      await evmMine(rpcUrl, 1);
      const settled = await waitForStatus(order.id, "settled", 90_000);
      expect(settled.chain_id).toBe(chainId);
    }
  });

  test("behavior: a refund goes out on the order's own chain", async () => {
    for (const chainId of [CHAIN_A, CHAIN_B]) {
      const order = await createOrder(chainId, `refund on ${chainId}`);
      await payAndEscrow(chainId, order);
      const refund = await s.client.post("/v1/refunds", { order: order.id });
      expect(refund.status, JSON.stringify(refund.body)).toBe(200);
      await waitFor(
        `refund ${refund.body.id} succeeded`,
        async () => {
          const r = (await s.client.get(`/v1/refunds/${refund.body.id}`)).body;
          if (r.status === "failed") throw new Error(`refund failed: ${r.failure_code} ${r.failure_message}`);
          return r.status === "succeeded";
        },
        { timeoutMs: 60_000 },
      );
      const refunded = await waitForStatus(order.id, "refunded");
      expect(refunded.amount_refunded).toBe(AMOUNT);
      // The refund's transaction is on this chain: its receipt is there.
      const txHash = (await s.client.get(`/v1/refunds/${refund.body.id}`)).body.tx_hash as string;
      const receipt = await chainOf(chainId).pay.publicClient.getTransactionReceipt({
        hash: txHash as `0x${string}`,
      });
      expect(receipt.status).toBe("success");
    }
  });

  test("behavior: the CLI creates and pays an order on chain B, and time-travels both chains", async () => {
    const env = {
      ...process.env,
      PIER_API_KEY: s.secretKey,
      PIER_API_URL: s.api.url,
      PIER_RPC_URL: chainOf(CHAIN_A).chain.rpcUrl,
      [`PIER_RPC_URL_${CHAIN_B}`]: chainOf(CHAIN_B).chain.rpcUrl,
    };
    const pier = async (...args: string[]) => {
      const { stdout } = await promisify(execFile)(process.execPath, [PIER_BIN, ...args, "--json"], { env });
      return JSON.parse(stdout);
    };
    const order = await pier("orders", "create", "--amount", AMOUNT, "--network", "Local B");
    expect(order.chain_id).toBe(CHAIN_B);
    const paid = await pier("pay", order.id, "--network", String(CHAIN_B), "--method", "permit");
    expect(paid).toMatchObject({ order: order.id, chain_id: CHAIN_B, status: "escrowed" });
    const receipt = await chainOf(CHAIN_B).pay.publicClient.getTransactionReceipt({ hash: paid.tx_hash });
    expect(receipt.status).toBe("success");

    const moved = await pier("time-travel", "1h");
    expect(moved.chains.map((c: { chain_id: number }) => c.chain_id)).toEqual([CHAIN_A, CHAIN_B]);
    for (const c of moved.chains) expect(c.chain_time - c.previous_chain_time).toBeGreaterThanOrEqual(3600);
  });

  test("error: an unknown network is refused with param network", async () => {
    const res = await s.client.post("/v1/orders", { amount: AMOUNT, network: 999_999 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "parameter_invalid", param: "network" });
  });

  test("behavior: the orders list filters by network and by token; a bad filter is a 400", async () => {
    const onA = await createOrder(CHAIN_A, "listed on A");
    const onB = await createOrder(CHAIN_B, "listed on B");
    const list = async (query: string): Promise<{ id: string; chain_id: number }[]> =>
      (await s.client.get(`/v1/orders?limit=100&${query}`)).body.data;
    const idsOf = (orders: { id: string }[]) => orders.map((o) => o.id);
    const listedB = await list(`network=${CHAIN_B}`);
    expect(idsOf(listedB)).toContain(onB.id);
    expect(idsOf(listedB)).not.toContain(onA.id);
    expect(new Set(listedB.map((o) => o.chain_id))).toEqual(new Set([CHAIN_B]));

    // Both chains' test tokens share an address (same deployer, same nonce): the token filter alone
    // matches both networks (in any letter case); with the network it is one token on one chain.
    const token = (onB.token.address as string).toLowerCase();
    expect(idsOf(await list(`token=${token.toUpperCase().replace("0X", "0x")}`))).toEqual(
      expect.arrayContaining([onA.id, onB.id]),
    );
    const onAOnly = idsOf(await list(`network=${CHAIN_A}&token=${token}`));
    expect(onAOnly).toContain(onA.id);
    expect(onAOnly).not.toContain(onB.id);
    expect(await list(`token=0x${"00".repeat(19)}01`)).toEqual([]);

    for (const bad of ["network=abc", "network=0", "token=0x123"]) {
      const res = await s.client.get(`/v1/orders?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe("parameter_invalid");
    }
  });

  test("behavior: a shop's relay budget is per network: spent on chain A, a relay on chain B still goes", async () => {
    const shop = await s.newMerchant("Relay budget shop");
    const budget = 10n ** 16n;
    const api = await s.startApi({ PIER_RELAY_BUDGET_WEI: budget.toString(), PIER_WORKERS: "false" });
    try {
      const orderOn = async (network: number) =>
        (await shop.client.post("/v1/orders", { amount: AMOUNT, network })).body;
      // Today's relays on chain A, as the sender records them, used the whole budget (in chain A's coin).
      const earlier = await orderOn(CHAIN_A);
      await s.stack.db.query(
        `INSERT INTO pier_api.chain_txs (id, chain_id, signer, kind, payload, status) VALUES ($1, $2, $3, 'relay', '{"data":"0x"}', 'confirmed')`,
        ["ctx_budgetspentonchainaaaaa", CHAIN_A, "0x0000000000000000000000000000000000000001"],
      );
      await s.stack.db.query(
        `INSERT INTO pier_api.relays (id, order_id, merchant_id, livemode, chain_id, payer, chain_tx_id, status, estimated_fee_wei, fee_wei)
         VALUES ($1, $2, $3, false, $4, $5, $6, 'succeeded', $7, $7)`,
        [
          "rly_budgetspentonchainaaaaa",
          earlier.id,
          shop.merchantId,
          CHAIN_A,
          "0x0000000000000000000000000000000000000001",
          "ctx_budgetspentonchainaaaaa",
          budget.toString(),
        ],
      );
      const customer = privateKeyToAccount(generatePrivateKey());
      const relay = async (chainId: number) => {
        const o = await orderOn(chainId);
        const c = chainOf(chainId);
        await c.pay.send("customer", {
          address: c.deployment.contracts.TestStablecoin!.address,
          abi: erc20Abi,
          functionName: "transfer",
          args: [customer.address, BigInt(AMOUNT)],
        });
        const terms = paymentTermsFromJson(o.terms);
        const domain = (await readTokenDomain(c.pay.publicClient, { token: terms.token, chainId }))!;
        const signature = await customer.signTypedData(
          termsAuthorizationTypedData({ domain, from: customer.address, chainId, escrow: o.escrow, terms }),
        );
        const res = await apiClient(api.url).post(`/v1/checkout/${o.id}/relay`, {
          payer: customer.address,
          signature,
        });
        return { order: o, res };
      };
      const onA = await relay(CHAIN_A);
      expect(onA.res.status).toBe(409);
      expect(onA.res.body.error.code).toBe("relay_budget_exhausted");
      const onB = await relay(CHAIN_B);
      expect(onB.res.status, JSON.stringify(onB.res.body)).toBe(202);
      await waitFor(
        "the chain B order escrowed",
        async () => (await shop.client.get(`/v1/orders/${onB.order.id}`)).body.status === "escrowed",
        { timeoutMs: 60_000 },
      );
    } finally {
      await api.stop();
    }
  });

  test("behavior: with chain B's node gone, chain A still escrows and /readyz names 1337 as down", async () => {
    await chainOf(CHAIN_B).chain.stop();
    const order = await createOrder(CHAIN_A, "while B is down");
    await payAndEscrow(CHAIN_A, order);
    const ready = await waitFor(
      "/readyz to report network 1337 down",
      async () => {
        const res = await fetch(`${s.api.url}/readyz`);
        // biome-ignore lint/suspicious/noExplicitAny: API JSON
        const body = (await res.json()) as any;
        return body.networks?.[String(CHAIN_B)]?.ok === false && { status: res.status, body };
      },
      { timeoutMs: 60_000 },
    );
    expect(ready.status).toBe(200);
    expect(ready.body.networks[String(CHAIN_A)].ok).toBe(true);

    // `pier status` names the network that is down, and exits 1.
    const status = await promisify(execFile)(process.execPath, [PIER_BIN, "status", "--json"], {
      env: { ...process.env, PIER_API_URL: s.api.url, PIER_RPC_URL: chainOf(CHAIN_A).chain.rpcUrl },
    }).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(status.code).toBe(1);
    const { checks } = JSON.parse(status.stdout);
    expect(checks[`network_${CHAIN_A}`]).toMatchObject({ ok: true });
    expect(checks[`network_${CHAIN_B}`]).toMatchObject({ ok: false });
    expect(checks[`network_${CHAIN_B}`].detail).toMatch(/^Local B: chain /);
  });
});
