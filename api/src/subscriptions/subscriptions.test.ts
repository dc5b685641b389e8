/**
 * Subscriptions against a real stack (Postgres, Hardhat with SpendPermissions, the API as a process):
 * the merchant's create / list / retrieve / cancel with their 409s, and the public checkout: options,
 * the permission to sign (the same on a retry), authorize with real signatures from a local account and
 * from ERC-1271 / ERC-6492 smart wallets, and every refusal (bad signature, another account, another
 * chain, canceled). Each change is one event.
 */
import { spendPermissionHash } from "@pier/contracts/spendPermission";
import {
  type Address,
  encodeFunctionData,
  type Hex,
  type LocalAccount,
  serializeErc6492Signature,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mockSmartWalletFactoryAbi, spendPermissionsAbi } from "../../../contracts/generated/abis.ts";
import { mockSmartWalletFactoryBytecode } from "../../../contracts/generated/bytecode.ts";
import type { ApiClient } from "../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { addMonths } from "./billingCycle.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field.
type Json = any;

const DAY = 86_400;
let s: ApiStack;
let anon: ApiClient;
let token: Address;
let spendPermissions: Address;
let factory: Address;
let monthly: Json;
let trial: Json;

beforeAll(async () => {
  // No workers: nothing charges these subscriptions behind the tests' backs (charging.test.ts does that),
  // so each status read here is the one the request under test left.
  s = await startApiStack({ PIER_WORKERS: "false" });
  anon = s.client.withKey(undefined);
  const c = s.stack.deployment.contracts;
  token = c.TestStablecoin!.address;
  spendPermissions = c.SpendPermissions!.address;
  const deployer = s.stack.pay.wallet("deployer");
  const hash = await deployer.deployContract({
    abi: mockSmartWalletFactoryAbi,
    bytecode: mockSmartWalletFactoryBytecode,
    account: deployer.account,
    chain: deployer.chain,
  });
  factory = (await s.stack.pay.publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
  monthly = (
    await s.client.post("/v1/plans", { amount: "9.99", currency: "USD", interval: "month", cycles: 3 })
  ).body;
  trial = (
    await s.client.post("/v1/plans", { amount: "5", currency: "USD", interval: "week", trial_days: 7 })
  ).body;
}, 240_000);
afterAll(async () => {
  await s?.stop();
});

async function subscribe(plan: Json = monthly, body: Record<string, unknown> = {}): Promise<Json> {
  const res = await s.client.post("/v1/subscriptions", { plan: plan.id, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function eventsOf(type: string, id: string): Promise<Json[]> {
  const res = await s.client.get(`/v1/events?type=${type}&limit=100`);
  expect(res.status).toBe(200);
  return res.body.data.filter((e: Json) => e.data.object.id === id);
}

const randomAccount = () => privateKeyToAccount(generatePrivateKey());

async function permissionFor(id: string, account: Address, network = 31337): Promise<Json> {
  const res = await anon.post(`/v1/checkout/subscriptions/${id}/permission`, { network, token, account });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The typed data of the API's answer as viem signs it (uint fields as bigints), optionally on another chain. */
function typedData(p: Json, chainId?: number) {
  const m = p.typed_data.message;
  return {
    domain: { ...p.typed_data.domain, chainId: chainId ?? p.typed_data.domain.chainId },
    types: p.typed_data.types,
    primaryType: "SpendPermission" as const,
    message: { ...m, allowance: BigInt(m.allowance), salt: BigInt(m.salt) },
  };
}

const sign = (signer: LocalAccount, p: Json, chainId?: number) => signer.signTypedData(typedData(p, chainId));

const authorize = (id: string, account: Address, signature: Hex, network = 31337) =>
  anon.post(`/v1/checkout/subscriptions/${id}/authorize`, { network, token, account, signature });

describe("merchant: /v1/subscriptions", () => {
  test("default: created incomplete with its hosted page; subscription.created once", async () => {
    const sub = await subscribe(monthly, { customer: "cus_42", metadata: { seat: "1" } });
    expect(sub).toMatchObject({
      object: "subscription",
      livemode: false,
      plan: monthly.id,
      status: "incomplete",
      customer: "cus_42",
      metadata: { seat: "1" },
      current_period_start: null,
      current_period_end: null,
      trial_end: null,
      cancel_at_period_end: false,
      canceled_at: null,
      ended_at: null,
      cycles_charged: 0,
      network: null,
      token: null,
      payer: null,
      permission: null,
    });
    expect(sub.id).toMatch(/^sub_[0-9A-Za-z]{24}$/);
    expect(sub.url).toMatch(new RegExp(`/s/${sub.id}$`));
    expect((await s.client.get(`/v1/subscriptions/${sub.id}`)).body).toEqual(sub);
    expect(await eventsOf("subscription.created", sub.id)).toHaveLength(1);
  });

  test("behavior: Idempotency-Key replays the subscription and stores one event", async () => {
    const first = await s.client.post("/v1/subscriptions", { plan: monthly.id }, { idempotencyKey: "sub-1" });
    const again = await s.client.post("/v1/subscriptions", { plan: monthly.id }, { idempotencyKey: "sub-1" });
    expect(again.body.id).toBe(first.body.id);
    expect(await eventsOf("subscription.created", first.body.id)).toHaveLength(1);
  });

  test("behavior: list filters by status and plan", async () => {
    const a = await subscribe(trial);
    const b = await subscribe(trial);
    await s.client.post(`/v1/subscriptions/${a.id}/cancel`, {});
    const byPlan = await s.client.get(`/v1/subscriptions?plan=${trial.id}`);
    expect(byPlan.body.data.map((x: Json) => x.id)).toEqual([b.id, a.id]);
    const canceled = await s.client.get(`/v1/subscriptions?plan=${trial.id}&status=canceled`);
    expect(canceled.body.data.map((x: Json) => x.id)).toEqual([a.id]);
    expect((await s.client.get("/v1/subscriptions?status=paused")).status).toBe(400);
  });

  test("error: an unknown, another merchant's or archived plan", async () => {
    const missing = await s.client.post("/v1/subscriptions", { plan: `plan_${"a".repeat(24)}` });
    expect(missing.status).toBe(404);
    expect(missing.body.error.param).toBe("plan");
    const other = await s.newMerchant("Other shop");
    expect((await other.client.post("/v1/subscriptions", { plan: monthly.id })).status).toBe(404);
    const sub = await subscribe();
    expect((await other.client.get(`/v1/subscriptions/${sub.id}`)).status).toBe(404);
    const old = (await s.client.post("/v1/plans", { amount: "1", currency: "USD", interval: "day" })).body;
    await s.client.post(`/v1/plans/${old.id}/archive`);
    const refused = await s.client.post("/v1/subscriptions", { plan: old.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "plan_inactive", param: "plan" });
    expect((await s.client.post("/v1/subscriptions", { plan: monthly.id, customer: "" })).status).toBe(400);
  });

  test("behavior: cancel now; a second cancel is a 409 naming the state", async () => {
    const sub = await subscribe();
    const res = await s.client.post(`/v1/subscriptions/${sub.id}/cancel`, {});
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("canceled");
    expect(res.body.canceled_at).toBeGreaterThan(0);
    expect(res.body.ended_at).toBe(res.body.canceled_at);
    for (const body of [{}, { at_period_end: true }]) {
      const again = await s.client.post(`/v1/subscriptions/${sub.id}/cancel`, body);
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({
        type: "invalid_request_error",
        code: "subscription_canceled",
      });
      expect(again.body.error.message).toContain("canceled");
    }
    expect(await eventsOf("subscription.canceled", sub.id)).toHaveLength(1);
  });

  test("error: at_period_end before the customer authorized", async () => {
    const sub = await subscribe();
    const res = await s.client.post(`/v1/subscriptions/${sub.id}/cancel`, { at_period_end: true });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "subscription_incomplete", param: "at_period_end" });
    expect((await s.client.get(`/v1/subscriptions/${sub.id}`)).body.status).toBe("incomplete");
  });
});

describe("checkout: /v1/checkout/subscriptions/:id", () => {
  test("default: the plan, the merchant and the options pegged to its currency", async () => {
    const sub = await subscribe(trial);
    const res = await anon.get(`/v1/checkout/subscriptions/${sub.id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id: sub.id,
      object: "subscription_checkout",
      status: "incomplete",
      merchant_name: "Test shop",
      plan: {
        amount: "5.00",
        currency: "USD",
        interval: "week",
        interval_count: 1,
        trial_days: 7,
        cycles: null,
      },
      payer: null,
      permission: null,
    });
    const options = res.body.options as Json[];
    expect(options.length).toBeGreaterThan(0);
    const test = options.find((o) => o.token === token);
    expect(test).toMatchObject({
      network: 31337,
      decimals: 6,
      amount: "5000000",
      spend_permissions: spendPermissions,
    });
    expect((await anon.get(`/v1/checkout/subscriptions/sub_${"a".repeat(24)}`)).status).toBe(404);
  });

  test("behavior: the permission is exact, and the same on a retry", async () => {
    const sub = await subscribe();
    const customer = randomAccount();
    const p = await permissionFor(sub.id, customer.address);
    const m = p.typed_data.message;
    expect(p.typed_data.domain).toEqual({
      name: "Pier SpendPermissions",
      version: "1",
      chainId: 31337,
      verifyingContract: spendPermissions,
    });
    expect(m).toMatchObject({
      account: customer.address,
      operator: s.stack.deployment.roles.operator,
      merchant: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
      token,
      allowance: "9990000",
      period: 28 * DAY,
    });
    // Three monthly cycles from `start` (no anchor day, so start is the first charge).
    expect(m.end).toBe(addMonths(m.start, 3, new Date(m.start * 1000).getUTCDate()));
    expect(p.hash).toBe(spendPermissionHash(31337, spendPermissions, typedData(p).message));
    expect(await permissionFor(sub.id, customer.address)).toEqual(p);
  });

  test("behavior: an EOA authorizes; active with its period and permission; the same signature replays", async () => {
    const sub = await subscribe();
    const customer = randomAccount();
    const p = await permissionFor(sub.id, customer.address);
    const signature = await sign(customer, p);
    const res = await authorize(sub.id, customer.address, signature);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const m = p.typed_data.message;
    expect(res.body).toMatchObject({
      id: sub.id,
      status: "active",
      network: 31337,
      token,
      payer: customer.address,
      trial_end: null,
      current_period_start: m.start,
      permission: { hash: p.hash, allowance: "9990000", period: 28 * DAY, start: m.start, end: m.end },
    });
    expect(res.body.current_period_end - m.start).toBeGreaterThanOrEqual(28 * DAY);
    expect(res.body.current_period_end - m.start).toBeLessThanOrEqual(31 * DAY);
    const again = await authorize(sub.id, customer.address, signature);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect(await eventsOf("subscription.activated", sub.id)).toHaveLength(1);
    // What was signed and stored is what the contract takes: anyone may approve it with the signature,
    // and its hash on chain is the stored permission hash.
    const onChain = typedData(p).message;
    await s.stack.pay.send("deployer", {
      address: spendPermissions,
      abi: spendPermissionsAbi,
      functionName: "approveWithSignature",
      args: [onChain, signature],
    });
    const read = (functionName: "permissionHash" | "isValid") =>
      s.stack.pay.publicClient.readContract({
        address: spendPermissions,
        abi: spendPermissionsAbi,
        functionName,
        args: [onChain],
      });
    expect(await read("permissionHash")).toBe(res.body.permission.hash);
    expect(await read("isValid")).toBe(true);
    // The public view hands back exactly the struct that was signed: what revoke takes.
    expect((await anon.get(`/v1/checkout/subscriptions/${sub.id}`)).body).toMatchObject({
      status: "active",
      livemode: false,
      next_charge_at: res.body.next_charge_at,
      trial_end: null,
      end_reason: null,
      payer: customer.address,
      permission: { network: 31337, spend_permissions: spendPermissions, hash: p.hash, message: m },
    });
    // Authorized: no new permission, and another account is a 409.
    const late = await anon.post(`/v1/checkout/subscriptions/${sub.id}/permission`, {
      network: 31337,
      token,
      account: customer.address,
    });
    expect(late.status).toBe(409);
    const other = randomAccount();
    const refused = await authorize(
      sub.id,
      other.address,
      await sign(other, { ...p, typed_data: p.typed_data }),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "subscription_authorized", param: "account" });

    // Cancel at period end: status unchanged, one subscription.updated, twice changes nothing.
    for (let i = 0; i < 2; i++) {
      const c = await s.client.post(`/v1/subscriptions/${sub.id}/cancel`, { at_period_end: true });
      expect(c.status).toBe(200);
      expect(c.body).toMatchObject({ status: "active", cancel_at_period_end: true, canceled_at: null });
    }
    expect(await eventsOf("subscription.updated", sub.id)).toHaveLength(1);

    // Canceled now: even the signature that authorized it is refused, naming the state.
    expect((await s.client.post(`/v1/subscriptions/${sub.id}/cancel`, {})).body.status).toBe("canceled");
    const replay = await authorize(sub.id, customer.address, signature);
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe("subscription_canceled");
  });

  test("behavior: a trial plan starts trialing; the permission starts at the trial's end", async () => {
    const sub = await subscribe(trial);
    const customer = randomAccount();
    const p = await permissionFor(sub.id, customer.address);
    const m = p.typed_data.message;
    const res = await authorize(sub.id, customer.address, await sign(customer, p));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      status: "trialing",
      trial_end: m.start,
      current_period_start: m.start - 7 * DAY,
      current_period_end: m.start,
      permission: { period: 7 * DAY, allowance: "5000000" },
    });
    expect(m.end - m.start).toBeGreaterThanOrEqual(5 * 365 * DAY);
  });

  test("behavior: an ERC-1271 smart wallet and an undeployed one (ERC-6492) authorize", async () => {
    const owner = randomAccount();
    const salt = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;
    const walletAt = (n: number) =>
      s.stack.pay.publicClient.readContract({
        address: factory,
        abi: mockSmartWalletFactoryAbi,
        functionName: "addressOf",
        args: [owner.address, salt(n)],
      });
    await s.stack.pay.send("deployer", {
      address: factory,
      abi: mockSmartWalletFactoryAbi,
      functionName: "deploy",
      args: [owner.address, salt(1)],
    });
    const [deployed, late] = [await walletAt(1), await walletAt(2)];

    const one = await subscribe();
    const p1 = await permissionFor(one.id, deployed);
    const res1 = await authorize(one.id, deployed, await sign(owner, p1));
    expect(res1.status, JSON.stringify(res1.body)).toBe(200);
    expect(res1.body).toMatchObject({ status: "active", payer: deployed });

    const two = await subscribe();
    const p2 = await permissionFor(two.id, late);
    const wrapped = serializeErc6492Signature({
      address: factory,
      data: encodeFunctionData({
        abi: mockSmartWalletFactoryAbi,
        functionName: "deploy",
        args: [owner.address, salt(2)],
      }),
      signature: await sign(owner, p2),
    });
    const res2 = await authorize(two.id, late, wrapped);
    expect(res2.status, JSON.stringify(res2.body)).toBe(200);
    expect(res2.body).toMatchObject({ status: "active", payer: late });

    // The wallet checks its owner's key: another key's signature is refused.
    const three = await subscribe();
    const p3 = await permissionFor(three.id, deployed);
    const bad = await authorize(three.id, deployed, await sign(randomAccount(), p3));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("signature_invalid");
  });

  test("error: a bad signature, another account's, another chain's; nothing changes", async () => {
    const sub = await subscribe();
    const customer = randomAccount();
    const p = await permissionFor(sub.id, customer.address);
    const cases: [string, Hex][] = [
      ["garbage", `0x${"11".repeat(65)}`],
      ["another account's", await sign(randomAccount(), p)],
      ["another chain's", await sign(customer, p, 1)],
    ];
    for (const [why, signature] of cases) {
      const res = await authorize(sub.id, customer.address, signature);
      expect(res.status, why).toBe(400);
      expect(res.body.error).toMatchObject({ code: "signature_invalid", param: "signature" });
    }
    const wrongNetwork = await authorize(sub.id, customer.address, await sign(customer, p), 1);
    expect(wrongNetwork.status).toBe(400);
    expect(wrongNetwork.body.error.param).toBe("network");
    const wrongToken = await anon.post(`/v1/checkout/subscriptions/${sub.id}/permission`, {
      network: 31337,
      token: s.stack.deployment.contracts.PaymentEscrow.address,
      account: customer.address,
    });
    expect(wrongToken.status).toBe(400);
    expect(wrongToken.body.error.param).toBe("token");
    expect((await s.client.get(`/v1/subscriptions/${sub.id}`)).body.status).toBe("incomplete");
    expect(await eventsOf("subscription.activated", sub.id)).toHaveLength(0);
  });

  test("error: authorize before requesting the permission, and a canceled subscription", async () => {
    const sub = await subscribe();
    const customer = randomAccount();
    const early = await authorize(sub.id, customer.address, `0x${"11".repeat(65)}`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("permission_not_requested");

    const p = await permissionFor(sub.id, customer.address);
    const signature = await sign(customer, p);
    await s.client.post(`/v1/subscriptions/${sub.id}/cancel`, {});
    const res = await authorize(sub.id, customer.address, signature);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("subscription_canceled");
    const again = await anon.post(`/v1/checkout/subscriptions/${sub.id}/permission`, {
      network: 31337,
      token,
      account: customer.address,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("subscription_canceled");
  });
});
