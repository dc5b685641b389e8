/**
 * The treasury's token balance, watched: below PIER_TREASURY_MIN_BALANCE (plus what open sessions may
 * still need) new fiat sessions are refused with 503 `treasury_low` up front, instead of a customer's
 * money being captured and then failing to fund the escrow. Both facts are in /metrics.
 */
import { erc20Abi } from "viem";
import type { AppContext } from "../context.ts";
import { UnavailableError } from "../errors.ts";

/**
 * The default network's treasury in its default token: where fiat orders are funded unless the merchant
 * names another network (a treasury per network and token is still to come).
 */
export async function treasuryBalance(ctx: AppContext): Promise<bigint> {
  const net = ctx.networks.default;
  const treasury = net.signers.treasury;
  if (!treasury) return 0n;
  const balance = await net.client.readContract({
    address: net.token.address,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [treasury.address],
  });
  ctx.metrics.treasuryBalance.set(Number(balance));
  ctx.metrics.treasuryLow.set(balance < ctx.config.treasuryMinBalance ? 1 : 0);
  return balance;
}

/** Token units promised to sessions that may still be captured but are not funded yet. */
async function committed(ctx: AppContext): Promise<bigint> {
  const { rows } = await ctx.pool.query<{ sum: string | null }>(
    `SELECT sum(s.token_amount)::text AS sum FROM fiat_session s
      WHERE s.status IN ('creating', 'created', 'requires_action', 'approved', 'captured')
        AND s.created_at > now() - interval '1 day'
        AND NOT EXISTS (SELECT 1 FROM fiat_funding f WHERE f.session_id = s.id AND f.status = 'funded')`,
  );
  return BigInt(rows[0]?.sum ?? "0");
}

export async function assertTreasuryCanFund(ctx: AppContext, amount: bigint): Promise<void> {
  const [balance, open] = await Promise.all([treasuryBalance(ctx), committed(ctx)]);
  if (balance - open - amount < ctx.config.treasuryMinBalance) {
    ctx.metrics.treasuryLow.set(1);
    ctx.log.warn(
      { balance: balance.toString(), committed: open.toString(), amount: amount.toString() },
      "treasury low: fiat session refused",
    );
    throw new UnavailableError(
      "treasury_low",
      "Fiat wallet payments are temporarily unavailable (the bridge treasury is low); pay with a crypto wallet or try later",
    );
  }
}
