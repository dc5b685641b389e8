/**
 * `treasury.low`: a fiat bridge treasury (one per network and token, bridge/treasury.ts, which keeps
 * pier_api_treasury_low{chain_id,token} in /metrics) is below its reserve, so new fiat sessions there are
 * being refused. The treasury is the platform's, not a merchant's: the event goes to each merchant with
 * fiat sessions in the last day (the ones whose customers may be turned away: a refused session leaves no
 * row to tell by network), at most once per merchant, network and token per UTC day.
 */
import { minBalanceOf, type TreasuryAccount, treasuryAccounts, treasuryBalance } from "../bridge/treasury.ts";
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { recordEvent } from "../events/recordEvent.ts";

/** Checks every treasury; true when any is low. One network's RPC failing leaves the others checked. */
export async function checkTreasury(ctx: AppContext): Promise<boolean> {
  const results = await Promise.allSettled(treasuryAccounts(ctx).map((a) => checkAccount(ctx, a)));
  for (const r of results)
    if (r.status === "rejected") ctx.log.warn({ err: r.reason }, "treasury balance unreadable");
  return results.some((r) => r.status === "fulfilled" && r.value);
}

async function checkAccount(ctx: AppContext, account: TreasuryAccount): Promise<boolean> {
  const { net, token } = account;
  const treasury = net.signers.treasury!;
  const balance = await treasuryBalance(ctx, account);
  const reserve = minBalanceOf(ctx, token);
  if (balance >= reserve) return false;
  const { rows } = await ctx.pool.query<{ merchant_id: string; livemode: boolean }>(
    `SELECT DISTINCT merchant_id, livemode FROM fiat_session WHERE created_at > now() - interval '1 day'`,
  );
  const day = new Date().toISOString().slice(0, 10);
  for (const m of rows) {
    await withTransaction(ctx.pool, (tx) =>
      recordEvent(ctx, tx, {
        merchantId: m.merchant_id,
        livemode: m.livemode,
        type: "treasury.low",
        dedupeKey: `treasury.low:${m.merchant_id}:${m.livemode}:${net.chainId}:${token.address.toLowerCase()}:${day}`,
        object: {
          object: "treasury_status",
          treasury: treasury.address,
          chain_id: net.chainId,
          token: token.address,
          symbol: token.symbol,
          balance: balance.toString(),
          min_balance: reserve.toString(),
          low: true,
          fiat_sessions_refused: true,
        },
      }),
    );
  }
  ctx.log.warn(
    { chainId: net.chainId, token: token.symbol, balance: balance.toString(), merchants: rows.length },
    "treasury low",
  );
  return true;
}
