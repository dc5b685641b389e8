/**
 * Relayed payments against a real stack: customers who hold tokens and no ETH pay by a signed authorization
 * that Pier's relayer sends (a fresh browser account, a deployed ERC-1271 wallet, and a wallet not deployed
 * yet whose ERC-6492 signature deploys it); 50 at once, each escrowed once with its gas recorded; a signature
 * the escrow would refuse, a relayer out of gas, and a shop past its rate or budget are refused up front,
 * storing and sending nothing, and the customer's signature stays usable.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Address,
  encodeFunctionData,
  erc20Abi,
  type Hex,
  type LocalAccount,
  serializeErc6492Signature,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mockSmartWalletFactoryAbi } from "../../../contracts/generated/abis.ts";
import { mockSmartWalletFactoryBytecode } from "../../../contracts/generated/bytecode.ts";
import { devAccount } from "../../../contracts/lib/accounts.ts";
import { termsAuthorizationTypedData } from "../../../contracts/lib/payTerms.ts";
import { paymentTermsFromJson } from "../../../contracts/lib/termsJson.ts";
import { readTokenDomain } from "../../../contracts/lib/tokenDomain.ts";
import { rpc } from "../../../scripts/lib/chain.ts";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiClient, apiClient } from "../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field.
type Json = any;

const AMOUNT = "5000000";
const relayer = devAccount("relayer").address;
const walletOwner = devAccount("customer2");
let s: ApiStack;
let anon: ApiClient;
let tokens: { test: Address; regulated: Address };
let factory: Address;

beforeAll(async () => {
  s = await startApiStack({ PIER_RELAY_BUDGET_WEI: "1000000000000000000" });
  anon = s.client.withKey(undefined);
  const c = s.stack.deployment.contracts;
  tokens = { test: c.TestStablecoin!.address, regulated: c.RegulatedStablecoin!.address };
  // rUSDC (the USDC v2.2 model) has the `bytes` authorization smart wallets need.
  const file = join(s.stack.dir, "networks-relay.json");
  await writeFile(
    file,
    JSON.stringify({
      networks: [
        {
          chain_id: 31337,
          rpc_urls: [s.stack.chain.rpcUrl],
          deployment_file: s.stack.deploymentFile,
          tokens: [{ address: tokens.test }, { address: tokens.regulated }],
        },
      ],
    }),
  );
  await s.restartApi({ PIER_RELAY_BUDGET_WEI: "1000000000000000000", PIER_NETWORKS_FILE: file });
  const deployer = s.stack.pay.wallet("deployer");
  const hash = await deployer.deployContract({
    abi: mockSmartWalletFactoryAbi,
    bytecode: mockSmartWalletFactoryBytecode,
    account: deployer.account,
    chain: deployer.chain,
  });
  factory = (await s.stack.pay.publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
});
afterAll(async () => {
  await s?.stop();
});

async function order(token: Address = tokens.test, client: ApiClient = s.client): Promise<Json> {
  const res = await client.post("/v1/orders", { amount: AMOUNT, token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** `to` gets `amount` of `token` from the customer dev account (and no ETH). */
async function fund(to: Address, token: Address = tokens.test, amount = BigInt(AMOUNT)) {
  await s.stack.pay.send("customer", {
    address: token,
    abi: erc20Abi,
    functionName: "transfer",
    args: [to, amount],
  });
}

/** `signer`'s authorization of `o`'s terms for `from` (itself, or the smart wallet it owns). */
async function authorize(o: Json, signer: LocalAccount, from: Address = signer.address): Promise<Hex> {
  const terms = paymentTermsFromJson(o.terms);
  const domain = (await readTokenDomain(s.stack.pay.publicClient, { token: terms.token, chainId: 31337 }))!;
  return signer.signTypedData(
    termsAuthorizationTypedData({ domain, from, chainId: 31337, escrow: o.escrow ?? escrowAddress(), terms }),
  );
}
const escrowAddress = () => s.stack.deployment.contracts.PaymentEscrow.address;

const relay = (orderId: string, payer: Address, signature: Hex, client = anon) =>
  client.post(`/v1/checkout/${orderId}/relay`, { payer, signature });

async function escrowed(orderId: string, client: ApiClient = s.client): Promise<Json> {
  return waitFor(
    `order ${orderId} escrowed`,
    async () => {
      const o = (await client.get(`/v1/orders/${orderId}`)).body;
      return o.status === "escrowed" && o;
    },
    { timeoutMs: 60_000 },
  );
}

async function relayRow(id: string): Promise<Json> {
  return waitFor(
    `relay ${id} mined`,
    async () => {
      const { rows } = await s.stack.db.query("SELECT * FROM pier_api.relays WHERE id = $1", [id]);
      return rows[0]?.status !== "pending" && rows[0];
    },
    { timeoutMs: 60_000 },
  );
}

const count = async (table: string) =>
  Number((await s.stack.db.query(`SELECT count(*) AS n FROM pier_api.${table}`)).rows[0].n);

const balance = (address: Address) => s.stack.pay.publicClient.getBalance({ address });

describe("relayed payments", () => {
  test("behavior: a customer with tokens and no ETH pays by a relayed authorization; the relayer's gas is recorded", async () => {
    const customer = privateKeyToAccount(generatePrivateKey());
    await fund(customer.address);
    const o = await order();
    const relayerBefore = await balance(relayer);
    const res = await relay(o.id, customer.address, await authorize(o, customer));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({
      object: "relay",
      order: o.id,
      status: "pending",
      payer: customer.address,
    });
    const paid = await escrowed(o.id);
    expect(paid.payment.payer).toBe(customer.address);
    const row = await relayRow(res.body.id);
    expect(row.status).toBe("succeeded");
    expect(BigInt(row.fee_wei)).toBe(relayerBefore - (await balance(relayer)));
    expect(await balance(customer.address)).toBe(0n);
    const { rows } = await s.stack.db.query("SELECT status, fee_wei FROM pier_api.chain_txs WHERE id = $1", [
      row.chain_tx_id,
    ]);
    expect(rows[0]).toMatchObject({ status: "confirmed", fee_wei: row.fee_wei });
    // Recorded on the order and in the day's settlement report.
    const updated = (await s.client.get(`/v1/orders/${o.id}`)).body;
    expect(updated.relay_fee).toBe(row.fee_wei);
    // The day by the block's timestamp, asked for by name: the local chain runs ahead of the wall
    // clock, so just before midnight the server's default range can still end the day before.
    const paidDay = new Date(paid.payment.paid_at * 1000).toISOString().slice(0, 10);
    const report = (await s.client.get(`/v1/reports/settlement?network=31337&from=${paidDay}&to=${paidDay}`))
      .body;
    const day = report.data.find((d: Json) => d.date === paidDay);
    expect(BigInt(day.relay_fees)).toBeGreaterThanOrEqual(BigInt(row.fee_wei));
    expect(report.totals.relay_fees).toBe(
      report.data.reduce((sum: bigint, d: Json) => sum + BigInt(d.relay_fees), 0n).toString(),
    );
    // Paid: a second relay of the order is refused.
    const again = await relay(o.id, customer.address, await authorize(o, customer));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("order_not_payable");
  });

  test("behavior: a deployed ERC-1271 wallet and a wallet not deployed yet (ERC-6492) pay rUSDC by relay, without ETH", async () => {
    const salt = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;
    const walletAt = (n: number) =>
      s.stack.pay.publicClient.readContract({
        address: factory,
        abi: mockSmartWalletFactoryAbi,
        functionName: "addressOf",
        args: [walletOwner.address, salt(n)],
      });
    await s.stack.pay.send("deployer", {
      address: factory,
      abi: mockSmartWalletFactoryAbi,
      functionName: "deploy",
      args: [walletOwner.address, salt(1)],
    });
    const [deployed, late] = [await walletAt(1), await walletAt(2)];
    expect(await s.stack.pay.publicClient.getCode({ address: late })).toBeUndefined();
    for (const w of [deployed, late]) await fund(w, tokens.regulated);

    const first = await order(tokens.regulated);
    const one = await relay(first.id, deployed, await authorize(first, walletOwner, deployed));
    expect(one.status, JSON.stringify(one.body)).toBe(202);
    const second = await order(tokens.regulated);
    const wrapped = serializeErc6492Signature({
      address: factory,
      data: encodeFunctionData({
        abi: mockSmartWalletFactoryAbi,
        functionName: "deploy",
        args: [walletOwner.address, salt(2)],
      }),
      signature: await authorize(second, walletOwner, late),
    });
    const two = await relay(second.id, late, wrapped);
    expect(two.status, JSON.stringify(two.body)).toBe(202);

    expect((await escrowed(first.id)).payment.payer).toBe(deployed);
    expect((await escrowed(second.id)).payment.payer).toBe(late);
    expect(await s.stack.pay.publicClient.getCode({ address: late })).not.toBeUndefined();
    for (const w of [deployed, late]) expect(await balance(w)).toBe(0n);
    expect((await relayRow(two.body.id)).status).toBe("succeeded");
  });

  test("error: a signature the escrow would refuse is a 400 naming why; nothing is stored or sent", async () => {
    const customer = privateKeyToAccount(generatePrivateKey());
    const other = privateKeyToAccount(generatePrivateKey());
    await fund(customer.address);
    const o = await order();
    const [relays, txs] = [await count("relays"), await count("chain_txs")];
    const bad = await relay(o.id, customer.address, await authorize(o, other, customer.address));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "relay_refused", param: "signature" });
    expect(bad.body.error.message).toMatch(/invalid ?signature/i);
    const garbage = await relay(o.id, customer.address, "0x1234");
    expect(garbage.status).toBe(400);
    const malformed = await anon.post(`/v1/checkout/${o.id}/relay`, { payer: "0x12", signature: "0x00" });
    expect(malformed.body.error).toMatchObject({ code: "parameter_invalid", param: "payer" });
    expect([await count("relays"), await count("chain_txs")]).toEqual([relays, txs]);
    // The customer's own signature still pays.
    expect((await relay(o.id, customer.address, await authorize(o, customer))).status).toBe(202);
    await escrowed(o.id);
  });

  test("behavior: 50 relayed payments at once: each escrowed once, each fee recorded, one nonce each", async () => {
    const customers = Array.from({ length: 50 }, () => privateKeyToAccount(generatePrivateKey()));
    for (const c of customers) await fund(c.address);
    const orders = [];
    for (let i = 0; i < customers.length; i++) orders.push(await order());
    const signatures = await Promise.all(orders.map((o, i) => authorize(o, customers[i]!)));
    const responses = await Promise.all(
      orders.map((o, i) => relay(o.id, customers[i]!.address, signatures[i]!)),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 202));
    for (const [i, o] of orders.entries())
      expect((await escrowed(o.id)).payment.payer).toBe(customers[i]!.address);
    const ids = orders.map((o) => o.id);
    const settled = async () =>
      (
        await s.stack.db.query(
          `SELECT r.status, r.fee_wei, c.nonce, c.status AS tx_status FROM pier_api.relays r
             JOIN pier_api.chain_txs c ON c.id = r.chain_tx_id WHERE r.order_id = ANY($1)`,
          [ids],
        )
      ).rows;
    // The indexer may show an order escrowed before the sender has read its relay's receipt.
    await waitFor("every relay settled", async () => (await settled()).every((r) => r.status !== "pending"));
    const rows = await settled();
    expect(rows).toHaveLength(50);
    expect(
      rows.every((r) => r.status === "succeeded" && r.tx_status === "confirmed" && BigInt(r.fee_wei) > 0n),
    ).toBe(true);
    expect(new Set(rows.map((r) => r.nonce)).size).toBe(50);
  });

  test("error: a relayer out of gas: 503 and an alert, nothing stored; funded again, the same signature pays", async () => {
    const customer = privateKeyToAccount(generatePrivateKey());
    await fund(customer.address);
    const o = await order();
    const signature = await authorize(o, customer);
    const funds = await balance(relayer);
    await rpc(s.stack.chain.rpcUrl, "hardhat_setBalance", [relayer, "0x0"]);
    try {
      const relays = await count("relays");
      const refused = await relay(o.id, customer.address, signature);
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe("relayer_unavailable");
      expect(refused.body.error.message).toContain("pay from your wallet");
      expect(await count("relays")).toBe(relays);
      const metrics = await s.api.metrics();
      expect(metrics).toMatch(/^pier_api_relayer_low\{chain_id="31337"\} 1$/m);
    } finally {
      await rpc(s.stack.chain.rpcUrl, "hardhat_setBalance", [relayer, `0x${funds.toString(16)}`]);
    }
    expect((await relay(o.id, customer.address, signature)).status).toBe(202);
    await escrowed(o.id);
    const metrics = await s.api.metrics();
    expect(metrics).toMatch(/^pier_api_relayer_low\{chain_id="31337"\} 0$/m);
  });

  test("error: past a shop's relays per minute (429) or its daily gas budget (409) the customer pays from the wallet", async () => {
    const limited = await s.startApi({ PIER_RELAY_PER_MINUTE: "1", PIER_WORKERS: "false" });
    const broke = await s.startApi({ PIER_RELAY_BUDGET_WEI: "1", PIER_WORKERS: "false" });
    const shop = await s.newMerchant("Busy shop");
    const customers = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()));
    for (const c of customers) await fund(c.address);
    const orders = [await order(tokens.test, shop.client), await order(tokens.test, shop.client)];
    const at = (url: string) => apiClient(url);
    const first = await relay(
      orders[0].id,
      customers[0]!.address,
      await authorize(orders[0], customers[0]!),
      at(limited.url),
    );
    expect(first.status).toBe(202);
    const second = await relay(
      orders[1].id,
      customers[1]!.address,
      await authorize(orders[1], customers[1]!),
      at(limited.url),
    );
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe("relay_rate_limited");
    expect(second.headers.get("retry-after")).toBe("60");
    const poor = await relay(
      orders[1].id,
      customers[1]!.address,
      await authorize(orders[1], customers[1]!),
      at(broke.url),
    );
    expect(poor.status).toBe(409);
    expect(poor.body.error.code).toBe("relay_budget_exhausted");
    const { rows } = await s.stack.db.query(
      "SELECT count(*)::int AS n FROM pier_api.relays WHERE order_id = $1",
      [orders[1].id],
    );
    expect(rows[0].n).toBe(0);
    await escrowed(orders[0].id, shop.client);
    await limited.stop();
    await broke.stop();
  });
});
