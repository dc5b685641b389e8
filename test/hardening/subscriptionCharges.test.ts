/**
 * Charging under a crash, with replicas: 200 subscriptions come due at once (their trials end together)
 * while two API processes run the scheduler on one database; one is killed -9 while part-way through,
 * the other finishes the cycle alone, then the killed one comes back. Each subscription must be invoiced
 * once and charged once on chain (one SpendPermissionCharged per permission, one escrow payment per
 * invoice), and the payer must have paid exactly 200 charges.
 *
 * One payer holds all 200 subscriptions: each is its own permission (its salt comes from the
 * subscription id) with its own cap, so "once per subscription" is checked per permission hash.
 */
import { type Address, erc20Abi, type Hex, maxUint256, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { spendPermissionsAbi } from "../../contracts/generated/abis.ts";
import { waitFor } from "../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../harness/apiStack.ts";
import { account, evmIncreaseTime, evmMine } from "../harness/payments.ts";
import { authorizeSubscription } from "../harness/subscriptions.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field.
type Json = any;

const SUBSCRIPTIONS = 200;
const AMOUNT = 1_000_000n; // 1 USD in tUSDC units
const ENV = { PIER_KEEPER_INTERVAL_MS: "100" };
const payer = account("customer2");

let s: ApiStack;
let token: Address;
let spendPermissions: Address;
const subscriptions: { id: string; hash: Hex }[] = [];

/** The API's tables, as the API names its schema by default. */
const invoiceCount = async (status?: string): Promise<number> => {
  const { rows } = await s.stack.db.query(
    `SELECT count(*)::int AS n FROM pier_api.subscription_invoices${status ? " WHERE status = $1" : ""}`,
    status ? [status] : [],
  );
  return rows[0].n;
};

beforeAll(async () => {
  s = await startApiStack(ENV);
  token = s.stack.deployment.contracts.TestStablecoin!.address;
  spendPermissions = s.stack.deployment.contracts.SpendPermissions!.address;
  await s.stack.pay.send("customer2", {
    address: token,
    abi: erc20Abi,
    functionName: "approve",
    args: [spendPermissions, maxUint256],
  });
  const plan = await s.client.post("/v1/plans", {
    amount: "1",
    currency: "USD",
    interval: "month",
    trial_days: 1,
  });
  expect(plan.status).toBe(200);
  const anon = s.client.withKey(undefined);
  for (let i = 0; i < SUBSCRIPTIONS; i++) {
    const sub = (await s.client.post("/v1/subscriptions", { plan: plan.body.id })).body;
    const { subscription, hash } = await authorizeSubscription(anon.post, sub.id, payer, token);
    expect(subscription.status).toBe("trialing");
    subscriptions.push({ id: sub.id, hash });
  }
}, 300_000);

afterAll(async () => {
  await s?.stop();
});

describe("subscription charges", () => {
  test("behavior: two replicas, one killed -9 mid-cycle: 200 due subscriptions, each invoiced and charged exactly once", async () => {
    const replica = await s.startApi(ENV);
    const before = await s.stack.pay.balanceOf(payer.address);
    const fromBlock = await s.stack.pay.publicClient.getBlockNumber();
    // Every trial ends: all 200 first charges are due at the next scheduler pass.
    await evmIncreaseTime(s.stack.chain.rpcUrl, 2 * 86_400);
    await evmMine(s.stack.chain.rpcUrl);
    await waitFor("the scheduler part-way through the cycle", async () => (await invoiceCount()) > 0, {
      timeoutMs: 30_000,
      intervalMs: 5,
    });
    process.kill(s.api.pid, "SIGKILL");
    await s.api.exited;
    const atKill = await invoiceCount();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(SUBSCRIPTIONS);

    // The replica finishes alone; the killed process, back, finds nothing left to charge.
    await waitFor(
      `${SUBSCRIPTIONS} invoices paid`,
      async () => (await invoiceCount("paid")) === SUBSCRIPTIONS,
      {
        timeoutMs: 120_000,
      },
    );
    await s.restartApi(ENV);
    await replica.stop();

    expect(await invoiceCount()).toBe(SUBSCRIPTIONS);
    const perSubscription = await s.stack.db.query(
      "SELECT subscription_id, count(*)::int AS n, max(attempts) AS attempts FROM pier_api.subscription_invoices GROUP BY 1",
    );
    expect(perSubscription.rows).toHaveLength(SUBSCRIPTIONS);
    expect(perSubscription.rows.every((r) => r.n === 1 && r.attempts === 1)).toBe(true);

    // On chain: one charge per permission, nothing else taken from the payer.
    const logs = await s.stack.pay.publicClient.getLogs({ address: spendPermissions, fromBlock });
    const charged = parseEventLogs({ abi: spendPermissionsAbi, logs, eventName: "SpendPermissionCharged" });
    const perPermission = new Map<string, number>();
    for (const c of charged)
      perPermission.set(c.args.permissionHash, (perPermission.get(c.args.permissionHash) ?? 0) + 1);
    expect(perPermission.size).toBe(SUBSCRIPTIONS);
    for (const { hash } of subscriptions)
      expect(perPermission.get(hash.toLowerCase()) ?? perPermission.get(hash)).toBe(1);
    expect(before - (await s.stack.pay.balanceOf(payer.address))).toBe(AMOUNT * BigInt(SUBSCRIPTIONS));

    const subs = await s.client.get(`/v1/subscriptions?limit=100&status=active`);
    expect(subs.status).toBe(200);
    expect(subs.body.data.every((x: Json) => x.cycles_charged === 1)).toBe(true);
  }, 240_000);
});
