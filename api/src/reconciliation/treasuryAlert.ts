/**
 * `treasury.low`: the fiat bridge's treasury (bridge/treasury.ts keeps pier_api_treasury_low in
 * /metrics) is below PIER_TREASURY_MIN_BALANCE, so new fiat sessions are being refused. The treasury is
 * the platform's, not a merchant's: the event goes to each merchant with fiat sessions in the last day
 * (the ones whose customers are turned away), at most once per merchant per UTC day.
 */
import { treasuryBalance } from "../bridge/treasury.ts";
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { recordEvent } from "../events/recordEvent.ts";

export async function checkTreasury(ctx: AppContext): Promise<boolean> {
  const treasury = ctx.networks.default.signers.treasury;
  if (!treasury) return false;
  const balance = await treasuryBalance(ctx);
  if (balance >= ctx.config.treasuryMinBalance) return false;
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
        dedupeKey: `treasury.low:${m.merchant_id}:${m.livemode}:${day}`,
        object: {
          object: "treasury_status",
          treasury: treasury.address,
          balance: balance.toString(),
          min_balance: ctx.config.treasuryMinBalance.toString(),
          low: true,
          fiat_sessions_refused: true,
        },
      }),
    );
  }
  ctx.log.warn({ balance: balance.toString(), merchants: rows.length }, "treasury low");
  return true;
}
