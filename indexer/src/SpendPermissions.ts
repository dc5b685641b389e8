/**
 * SpendPermissions event handlers (subscriptions): a `spend_permission` row per permission, kept in step
 * with approvals, revocations and charges, and a `spend_permission_charge` row per charge. The charge's
 * money is indexed by PaymentEscrow.ts like any payment (its PaymentEscrowed follows in the same
 * transaction, payer = SpendPermissions, refundTo = the account); these rows say which permission paid it.
 */
import { ponder } from "ponder:registry";
import { spendPermission, spendPermissionCharge } from "ponder:schema";

/** The columns of a permission nobody has charged yet: the row's starting counters. */
const FRESH = { charges: 0, chargedTotal: 0n, spentInLastPeriod: 0n } as const;

ponder.on("SpendPermissions:SpendPermissionApproved", async ({ event, context }) => {
  const a = event.args;
  const terms = {
    operator: a.operator,
    merchant: a.merchant,
    token: a.token,
    allowance: a.allowance,
    period: BigInt(a.period),
    start: BigInt(a.start),
    end: BigInt(a.end),
    salt: a.salt,
    approved: true,
    approvedAt: event.block.timestamp,
    approvedTxHash: event.transaction.hash,
    updatedBlockNumber: event.block.number,
    updatedAt: event.block.timestamp,
  };
  // The contract emits an approval once per permission and never after a revocation, so no row exists.
  await context.db.insert(spendPermission).values({
    id: a.permissionHash,
    chainId: context.chain.id,
    account: a.account,
    revoked: false,
    ...FRESH,
    ...terms,
  });
});

ponder.on("SpendPermissions:SpendPermissionRevoked", async ({ event, context }) => {
  const a = event.args;
  const revoked = {
    revoked: true,
    revokedAt: event.block.timestamp,
    revokedTxHash: event.transaction.hash,
    updatedBlockNumber: event.block.number,
    updatedAt: event.block.timestamp,
  };
  // A permission may be revoked before it was ever approved (a signature handed out, then withdrawn).
  await context.db
    .insert(spendPermission)
    .values({
      id: a.permissionHash,
      chainId: context.chain.id,
      account: a.account,
      approved: false,
      ...FRESH,
      ...revoked,
    })
    .onConflictDoUpdate(revoked);
});

ponder.on("SpendPermissions:SpendPermissionCharged", async ({ event, context }) => {
  const a = event.args;
  const chainId = context.chain.id;
  await context.db.insert(spendPermissionCharge).values({
    chainId,
    paymentId: a.paymentId,
    permission: a.permissionHash,
    account: a.account,
    periodIndex: a.periodIndex,
    amount: a.amount,
    spentInPeriod: a.spentInPeriod,
    blockNumber: event.block.number,
    txHash: event.transaction.hash,
    chargedAt: event.block.timestamp,
  });
  // A charge follows its permission's approval (same or an earlier transaction), so the row exists.
  await context.db.update(spendPermission, { chainId, id: a.permissionHash }).set((row) => ({
    charges: row.charges + 1,
    chargedTotal: row.chargedTotal + a.amount,
    lastPeriodIndex: a.periodIndex,
    spentInLastPeriod: a.spentInPeriod,
    updatedBlockNumber: event.block.number,
    updatedAt: event.block.timestamp,
  }));
});
