/**
 * Subscriptions on chain, indexed: a permission approved by its first charge and charged again a period
 * later, one approved then revoked, one revoked before it was ever approved. The spend_permission and
 * spend_permission_charge rows must say what the receipts say, and each charge's money must be an
 * ordinary `payment` row (payer SpendPermissions, refunds to the account).
 */
import { type Address, erc20Abi, type Hex, maxUint256 } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spendPermissionsAbi } from "../../contracts/generated/abis.ts";
import {
  type SpendPermission,
  spendPermissionHash,
  spendPermissionTypedData,
} from "../../contracts/lib/spendPermission.ts";
import { account, evmIncreaseTime, evmMine, type Sent } from "../../test/harness/payments.ts";
import { type Stack, startStack } from "../../test/harness/stack.ts";
import { paymentById, waitForIndexedBlock } from "./tables.ts";

const PERIOD = 28 * 24 * 3600;
const ALLOWANCE = 30_000_000n;

let stack: Stack;
let spendPermissions: Address;
let charged: SpendPermission;
let revokedAfterUse: SpendPermission;
let revokedUnused: SpendPermission;
const charges: { sent: Sent; paymentId: Hex; amount: bigint }[] = [];
let revokeTx: Sent;
let revokeUnusedTx: Sent;

function permission(start: number, salt: bigint): SpendPermission {
  return {
    account: account("customer").address,
    operator: account("operator").address,
    merchant: account("merchant").address,
    token: stack.pay.token,
    allowance: ALLOWANCE,
    period: PERIOD,
    start,
    end: start + 12 * PERIOD,
    salt,
  };
}

const hashOf = (p: SpendPermission) => spendPermissionHash(stack.deployment.chainId, spendPermissions, p);

async function charge(p: SpendPermission, amount: bigint, signature: Hex = "0x") {
  const terms = await stack.pay.newTerms({ amount, fee: 0n });
  const sent = await stack.pay.send("operator", {
    address: spendPermissions,
    abi: spendPermissionsAbi,
    functionName: "charge",
    args: [p, signature, terms, await stack.pay.signTerms(terms)],
  });
  charges.push({ sent, paymentId: stack.pay.paymentIdOf(terms), amount });
}

async function rows(table: "spend_permission" | "spend_permission_charge") {
  const { rows } = await stack.db.query(`SELECT * FROM "${stack.indexer!.schema}".${table}`);
  return rows as Record<string, unknown>[];
}

beforeAll(async () => {
  stack = await startStack();
  const at = stack.deployment.contracts.SpendPermissions?.address;
  if (!at) throw new Error("the local deployment has no SpendPermissions");
  spendPermissions = at;
  const p = stack.pay;
  const now = Number(await p.chainTime());
  charged = permission(now, 1n);
  revokedAfterUse = permission(now, 2n);
  revokedUnused = permission(now, 3n);

  await p.send("customer", {
    address: p.token,
    abi: erc20Abi,
    functionName: "approve",
    args: [at, maxUint256],
  });
  // The first charge carries the customer's signature and approves the permission in the same transaction.
  const signature = await account("customer").signTypedData(
    spendPermissionTypedData(stack.deployment.chainId, at, charged),
  );
  await charge(charged, 10_000_000n, signature);
  await charge(charged, 20_000_000n); // same period: 30 of 30 spent
  await evmIncreaseTime(stack.chain.rpcUrl, PERIOD);
  await evmMine(stack.chain.rpcUrl);
  await charge(charged, 5_000_000n); // next period

  await p.send("customer", {
    address: at,
    abi: spendPermissionsAbi,
    functionName: "approve",
    args: [revokedAfterUse],
  });
  revokeTx = await p.send("customer", {
    address: at,
    abi: spendPermissionsAbi,
    functionName: "revoke",
    args: [revokedAfterUse],
  });
  revokeUnusedTx = await p.send("customer", {
    address: at,
    abi: spendPermissionsAbi,
    functionName: "revoke",
    args: [revokedUnused],
  });
  await waitForIndexedBlock(stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe("spend_permission", () => {
  it("a charged permission: its terms, approval, charge count, total and last period", async () => {
    const row = (await rows("spend_permission")).find((r) => r.id === hashOf(charged).toLowerCase());
    expect(row).toMatchObject({
      chain_id: stack.deployment.chainId,
      account: charged.account.toLowerCase(),
      operator: charged.operator.toLowerCase(),
      merchant: charged.merchant.toLowerCase(),
      token: charged.token.toLowerCase(),
      allowance: ALLOWANCE.toString(),
      period: String(PERIOD),
      start: String(charged.start),
      end: String(charged.end),
      salt: "1",
      approved: true,
      revoked: false,
      approved_tx_hash: charges[0]!.sent.hash,
      charges: 3,
      charged_total: "35000000",
      last_period_index: "1",
      spent_in_last_period: "5000000",
    });
  });

  it("approved then revoked, and revoked without ever being approved (terms unknown)", async () => {
    const all = await rows("spend_permission");
    expect(all.find((r) => r.id === hashOf(revokedAfterUse).toLowerCase())).toMatchObject({
      approved: true,
      revoked: true,
      salt: "2",
      revoked_tx_hash: revokeTx.hash,
      charges: 0,
    });
    expect(all.find((r) => r.id === hashOf(revokedUnused).toLowerCase())).toMatchObject({
      account: revokedUnused.account.toLowerCase(),
      approved: false,
      revoked: true,
      operator: null,
      allowance: null,
      revoked_tx_hash: revokeUnusedTx.hash,
    });
    expect(all).toHaveLength(3);
  });
});

describe("spend_permission_charge", () => {
  it("one row per charge with its period and running spend; its money is an ordinary escrow payment", async () => {
    const all = await rows("spend_permission_charge");
    expect(all).toHaveLength(3);
    const expected = [
      { period: "0", spent: "10000000" },
      { period: "0", spent: "30000000" },
      { period: "1", spent: "5000000" },
    ];
    for (const [i, c] of charges.entries()) {
      const row = all.find((r) => r.payment_id === c.paymentId.toLowerCase());
      expect(row).toMatchObject({
        permission: hashOf(charged).toLowerCase(),
        account: charged.account.toLowerCase(),
        amount: c.amount.toString(),
        period_index: expected[i]!.period,
        spent_in_period: expected[i]!.spent,
        tx_hash: c.sent.hash,
      });
      const payment = await paymentById(stack, c.paymentId);
      expect(payment).toMatchObject({
        payer: spendPermissions.toLowerCase(),
        refund_to: charged.account.toLowerCase(),
        amount: c.amount,
        method: "on_behalf",
      });
    }
  });
});
