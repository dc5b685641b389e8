/**
 * The indexer's tables. Their SQL names are a contract with the API (which queries them with plain SQL):
 * Ponder maps each camelCase property to a snake_case column (`refundTo` -> `refund_to`); indexer/README.md
 * lists the final names. Every on-chain integer (amounts, block numbers, unix-second timestamps) is
 * `numeric(78,0)`: exact, never a float.
 */
import { index, onchainTable, primaryKey } from "ponder";

export const PAY_METHODS = ["allowance", "permit", "authorization", "on_behalf", "dai_permit"] as const;
export const PAYMENT_STATUSES = ["escrowed", "released", "refunded", "resolved"] as const;
export const PAYMENT_EVENT_KINDS = [
  "escrowed",
  "released",
  "refunded",
  "disputed",
  "hold_placed",
  "hold_lifted",
  "resolved",
  "credited",
  "withdrawn",
] as const;

/** One row per escrowed payment: its immutable record plus its current state. */
export const payment = onchainTable(
  "payment",
  (t) => ({
    /** paymentId = keccak256(abi.encode(operator, orderId)). */
    id: t.hex().notNull(),
    chainId: t.integer().notNull(),
    orderId: t.hex().notNull(),
    operator: t.hex().notNull(),
    merchant: t.hex().notNull(),
    payer: t.hex().notNull(),
    refundTo: t.hex().notNull(),
    token: t.hex().notNull(),
    amount: t.bigint().notNull(),
    /** The signed (maximum) fee; what was actually paid is `feePaid`. */
    fee: t.bigint().notNull(),
    method: t.text({ enum: PAY_METHODS }).notNull(),
    /** escrowed (open, possibly partly refunded) | released | refunded (in full) | resolved (by the arbiter). */
    status: t.text({ enum: PAYMENT_STATUSES }).notNull(),
    /** The payer opened a dispute (stays true after resolution; see resolvedAt). */
    disputed: t.boolean().notNull(),
    /** An operator risk hold is in place right now. */
    held: t.boolean().notNull(),
    releaseAfter: t.bigint().notNull(),
    /** Merchant net received (release or resolution). */
    amountReleased: t.bigint().notNull(),
    feePaid: t.bigint().notNull(),
    amountRefunded: t.bigint().notNull(),
    /**
     * Payouts of this payment the token refused (blacklist, pause) and the escrow credited instead, by
     * recipient: the merchant, the refund address, the fee recipient. Paid out later by `withdraw`, to the
     * credited account only (see the `credit` table for what is still owed).
     */
    merchantCredited: t.bigint().notNull(),
    refundCredited: t.bigint().notNull(),
    feeCredited: t.bigint().notNull(),
    paidBlockNumber: t.bigint().notNull(),
    paidBlockHash: t.hex().notNull(),
    paidTxHash: t.hex().notNull(),
    paidAt: t.bigint().notNull(),
    releasedBlockNumber: t.bigint(),
    releasedTxHash: t.hex(),
    releasedAt: t.bigint(),
    releasedEarly: t.boolean(),
    lastRefundTxHash: t.hex(),
    lastRefundAt: t.bigint(),
    disputedAt: t.bigint(),
    disputedTxHash: t.hex(),
    resolvedAt: t.bigint(),
    resolvedTxHash: t.hex(),
    updatedBlockNumber: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.id] }),
    orderIdx: index("payment_order_idx").on(table.chainId, table.orderId),
    merchantIdx: index("payment_merchant_idx").on(table.chainId, table.merchant, table.paidAt),
    // The keeper's question: which escrowed payments have matured?
    maturityIdx: index("payment_maturity_idx").on(table.status, table.releaseAfter),
  }),
);

/** Every escrow event, once, in chain order (`id` is Ponder's event id, which sorts by chain position). */
export const paymentEvent = onchainTable(
  "payment_event",
  (t) => ({
    id: t.text().primaryKey(),
    chainId: t.integer().notNull(),
    /** Null for `withdrawn`, and for a batch fee credit (`credited` with payment id zero). */
    paymentId: t.hex(),
    orderId: t.hex(),
    kind: t.text({ enum: PAYMENT_EVENT_KINDS }).notNull(),
    /**
     * escrowed: amount paid in · released / resolved: merchant net · refunded: amount refunded ·
     * credited / withdrawn: amount credited / withdrawn · otherwise null.
     */
    amount: t.bigint(),
    /** released / resolved: fee paid · escrowed: the signed fee · otherwise null. */
    feeAmount: t.bigint(),
    /** refunded / resolved: what went back to refund_to in this event · otherwise null. */
    refundAmount: t.bigint(),
    token: t.hex(),
    /**
     * Who acted, as the event names it: escrowed: payer · released / refunded: caller · disputed: payer ·
     * hold_*: operator · resolved: arbiter · credited: the recipient credited · withdrawn: the recipient.
     */
    actor: t.hex().notNull(),
    /** The transaction's sender (a relayer for ERC-3009, the keeper for batch releases). */
    txFrom: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    blockHash: t.hex().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({
    paymentIdx: index("payment_event_payment_idx").on(table.chainId, table.paymentId),
    orderIdx: index("payment_event_order_idx").on(table.chainId, table.orderId),
    blockIdx: index("payment_event_block_idx").on(table.chainId, table.blockNumber),
    // The API looks up the rare kinds (credited, withdrawn) without scanning every payment's events.
    kindIdx: index("payment_event_kind_idx").on(table.chainId, table.kind),
  }),
);

/**
 * Per token and account: what the escrow owes it after payouts its token refused (PayoutCredited), net of
 * what was withdrawn since (CreditWithdrawn). `outstanding` is what a `withdraw(token, account)` would
 * pay now; the API's keeper sweeps it once the token lets it through.
 */
export const credit = onchainTable(
  "credit",
  (t) => ({
    chainId: t.integer().notNull(),
    token: t.hex().notNull(),
    account: t.hex().notNull(),
    outstanding: t.bigint().notNull(),
    credited: t.bigint().notNull(),
    withdrawn: t.bigint().notNull(),
    updatedBlockNumber: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.token, table.account] }),
  }),
);

/** Per merchant, token and UTC day: what happened that day (each event counts on the day it was mined). */
export const merchantDaily = onchainTable(
  "merchant_daily",
  (t) => ({
    chainId: t.integer().notNull(),
    merchant: t.hex().notNull(),
    token: t.hex().notNull(),
    /** YYYY-MM-DD (UTC) of the block. */
    day: t.text().notNull(),
    /** Paid into escrow. */
    volume: t.bigint().notNull(),
    /** Payments escrowed. */
    payments: t.integer().notNull(),
    /** Fees paid out at release or resolution. */
    fees: t.bigint().notNull(),
    /** Refunded to payers (refunds and the payer's share of resolutions). */
    refunds: t.bigint().notNull(),
    /** Merchant net paid out at release or resolution. */
    released: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.merchant, table.token, table.day] }),
  }),
);

/**
 * One row per SpendPermissions permission (subscriptions: contracts/docs/SpendPermissions.md), keyed by its
 * hash. A permission revoked before anyone approved it on chain is known only by its hash and account, so
 * its terms are null until (never, once revoked) an approval names them.
 */
export const spendPermission = onchainTable(
  "spend_permission",
  (t) => ({
    /** The permission's EIP-712 digest: what the account signed. */
    id: t.hex().notNull(),
    chainId: t.integer().notNull(),
    account: t.hex().notNull(),
    operator: t.hex(),
    merchant: t.hex(),
    token: t.hex(),
    /** Most charged per period, token units. */
    allowance: t.bigint(),
    /** Period length, seconds. */
    period: t.bigint(),
    start: t.bigint(),
    end: t.bigint(),
    salt: t.bigint(),
    approved: t.boolean().notNull(),
    revoked: t.boolean().notNull(),
    approvedAt: t.bigint(),
    approvedTxHash: t.hex(),
    revokedAt: t.bigint(),
    revokedTxHash: t.hex(),
    /** Charges made under it and their total, token units. */
    charges: t.integer().notNull(),
    chargedTotal: t.bigint().notNull(),
    /** The period of the latest charge and what had been charged in it after that charge. */
    lastPeriodIndex: t.bigint(),
    spentInLastPeriod: t.bigint().notNull(),
    updatedBlockNumber: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.id] }),
    accountIdx: index("spend_permission_account_idx").on(table.chainId, table.account),
  }),
);

/** One row per charge under a permission; `paymentId` is the escrow payment it paid (see `payment`). */
export const spendPermissionCharge = onchainTable(
  "spend_permission_charge",
  (t) => ({
    chainId: t.integer().notNull(),
    paymentId: t.hex().notNull(),
    permission: t.hex().notNull(),
    account: t.hex().notNull(),
    periodIndex: t.bigint().notNull(),
    amount: t.bigint().notNull(),
    /** Charged in this period, this charge included. */
    spentInPeriod: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    chargedAt: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chainId, table.paymentId] }),
    permissionIdx: index("spend_permission_charge_permission_idx").on(table.chainId, table.permission),
  }),
);
