/**
 * Credits: payouts a token refused (its issuer blacklisted the recipient, or paused the token) that the
 * escrow holds instead, each owed to one account and payable only to it (`withdraw(token, account)`).
 * The indexer keeps them per token and account (its `credit` table); the API shows them on the order
 * (payment.merchant_credited / refund_credited), on the merchant (credited_balances) and in /metrics,
 * and its keeper pays them out once the token lets them through (sweepCredits.ts).
 */
import type { ChainContext } from "../chain/chainContext.ts";
import { tokenInfoOf } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";

export interface CreditRow {
  token: string;
  account: string;
  outstanding: string;
}

/** Every credit still owed on this network (outstanding > 0), largest first. */
export async function outstandingCredits(
  ctx: AppContext,
  net: ChainContext,
  db: Db,
  limit = 1_000,
): Promise<CreditRow[]> {
  const { rows } = await db.query<CreditRow>(
    `SELECT token, account, outstanding::text AS outstanding FROM ${ctx.tables.credit}
      WHERE chain_id = $1 AND outstanding > 0 ORDER BY outstanding DESC, token, account LIMIT $2`,
    [net.chainId, limit],
  );
  return rows;
}

export interface CreditedBalance {
  chain_id: number;
  token: string;
  /** Symbol and decimals of an accepted token; null for another token. */
  symbol: string | null;
  decimals: number | null;
  amount: string;
}

/** What the escrows hold for `account` per network and token, as the merchant object shows it. */
export async function creditedBalancesOf(
  ctx: AppContext,
  db: Db,
  account: string,
): Promise<CreditedBalance[]> {
  const { rows } = await db.query<{ chain_id: number; token: string; amount: string }>(
    `SELECT chain_id, token, outstanding::text AS amount FROM ${ctx.tables.credit}
      WHERE chain_id = ANY($1) AND account = $2 AND outstanding > 0 ORDER BY chain_id, token`,
    [ctx.networks.list.map((n) => n.chainId), account.toLowerCase()],
  );
  return rows.map((r) => {
    const known = tokenInfoOf(ctx.networks, r.chain_id, r.token);
    return {
      chain_id: Number(r.chain_id),
      token: r.token,
      symbol: known?.symbol ?? null,
      decimals: known?.decimals ?? null,
      amount: r.amount,
    };
  });
}

/** Who a credited account is to Pier, for metrics: a merchant's payout address, the fee recipient, or other. */
export async function creditRoles(
  net: ChainContext,
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
  const feeRecipient = net.deployment.roles.feeRecipient.toLowerCase();
  for (const a of accounts)
    roles.set(a, merchantSet.has(a) ? "merchant" : a === feeRecipient ? "fee_recipient" : "other");
  return roles;
}
