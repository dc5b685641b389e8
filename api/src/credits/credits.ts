/**
 * Credits: payouts a token refused (its issuer blacklisted the recipient, or paused the token) that the
 * escrow holds instead, each owed to one account and payable only to it (`withdraw(token, account)`).
 * The indexer keeps them per token and account (its `credit` table); the API shows them on the order
 * (payment.merchant_credited / refund_credited), on the merchant (credited_balances) and in /metrics,
 * and its keeper pays them out once the token lets them through (sweepCredits.ts).
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";

export interface CreditRow {
  token: string;
  account: string;
  outstanding: string;
}

/** Every credit still owed on this chain (outstanding > 0), largest first. */
export async function outstandingCredits(ctx: AppContext, db: Db, limit = 1_000): Promise<CreditRow[]> {
  const { rows } = await db.query<CreditRow>(
    `SELECT token, account, outstanding::text AS outstanding FROM ${ctx.tables.credit}
      WHERE chain_id = $1 AND outstanding > 0 ORDER BY outstanding DESC, token, account LIMIT $2`,
    [ctx.chain.chainId, limit],
  );
  return rows;
}

export interface CreditedBalance {
  token: string;
  /** Symbol and decimals of the API's settlement token; null for another token. */
  symbol: string | null;
  decimals: number | null;
  amount: string;
}

/** What the escrow holds for `account` per token, as the merchant object shows it. */
export async function creditedBalancesOf(
  ctx: AppContext,
  db: Db,
  account: string,
): Promise<CreditedBalance[]> {
  const { rows } = await db.query<{ token: string; amount: string }>(
    `SELECT token, outstanding::text AS amount FROM ${ctx.tables.credit}
      WHERE chain_id = $1 AND account = $2 AND outstanding > 0 ORDER BY token`,
    [ctx.chain.chainId, account.toLowerCase()],
  );
  const settlement = ctx.chain.token;
  return rows.map((r) => {
    const known = r.token.toLowerCase() === settlement.address.toLowerCase();
    return {
      token: r.token,
      symbol: known ? settlement.symbol : null,
      decimals: known ? settlement.decimals : null,
      amount: r.amount,
    };
  });
}

/** Who a credited account is to Pier, for metrics: a merchant's payout address, the fee recipient, or other. */
export async function creditRoles(
  ctx: AppContext,
  db: Db,
  credits: CreditRow[],
): Promise<Map<string, "merchant" | "fee_recipient" | "other">> {
  const accounts = [...new Set(credits.map((c) => c.account.toLowerCase()))];
  const roles = new Map<string, "merchant" | "fee_recipient" | "other">();
  if (accounts.length === 0) return roles;
  const merchants = await db.query<{ account: string }>(
    "SELECT DISTINCT lower(payout_address) AS account FROM merchants WHERE lower(payout_address) = ANY($1)",
    [accounts],
  );
  const merchantSet = new Set(merchants.rows.map((r) => r.account));
  const feeRecipient = ctx.chain.deployment.roles.feeRecipient.toLowerCase();
  for (const a of accounts)
    roles.set(a, merchantSet.has(a) ? "merchant" : a === feeRecipient ? "fee_recipient" : "other");
  return roles;
}
