/**
 * The treasury's balances, watched per network and token: the bridge funds each fiat order's escrow in
 * the order's own token on its own network, so each (network, token) is a treasury of its own. Below its
 * reserve (plus what open sessions may still need) new fiat sessions there are refused with 503
 * `treasury_low` up front, instead of a customer's money being captured and then failing to fund the
 * escrow. Both facts are in /metrics, labelled by chain and token.
 */
import { erc20Abi } from "viem";
import type { ChainContext, TokenInfo } from "../chain/chainContext.ts";
import type { AppContext } from "../context.ts";
import { UnavailableError } from "../errors.ts";

/** One treasury: a token on a network. */
export interface TreasuryAccount {
  net: ChainContext;
  token: TokenInfo;
}

/** Every (network, token) the bridge may fund, on networks with a treasury signer. */
export function treasuryAccounts(ctx: AppContext): TreasuryAccount[] {
  return ctx.networks.list
    .filter((net) => net.signers.treasury)
    .flatMap((net) => net.tokens.map((token) => ({ net, token })));
}

/**
 * The reserve of one token. PIER_TREASURY_MIN_BALANCE is in units of the first network's default token;
 * other tokens keep the same face value at their own decimals (1,000 USDC of reserve is 1,000 DAI), rounded
 * up so the reserve is never below the configured one.
 */
export function minBalanceOf(ctx: AppContext, token: TokenInfo): bigint {
  const base = ctx.networks.default.token.decimals;
  const configured = ctx.config.treasuryMinBalance;
  if (token.decimals >= base) return configured * 10n ** BigInt(token.decimals - base);
  const divisor = 10n ** BigInt(base - token.decimals);
  return (configured + divisor - 1n) / divisor;
}

export async function treasuryBalance(ctx: AppContext, { net, token }: TreasuryAccount): Promise<bigint> {
  const treasury = net.signers.treasury;
  if (!treasury) return 0n;
  const balance = await net.client.readContract({
    address: token.address,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [treasury.address],
  });
  const labels = { chain_id: String(net.chainId), token: token.symbol };
  ctx.metrics.treasuryBalance.set(labels, Number(balance));
  ctx.metrics.treasuryLow.set(labels, balance < minBalanceOf(ctx, token) ? 1 : 0);
  return balance;
}

/** Token units promised to sessions on this network and token that may still be captured but are not funded yet. */
async function committed(ctx: AppContext, { net, token }: TreasuryAccount): Promise<bigint> {
  const { rows } = await ctx.pool.query<{ sum: string | null }>(
    `SELECT sum(s.token_amount)::text AS sum FROM fiat_session s JOIN orders o ON o.id = s.order_id
      WHERE s.status IN ('creating', 'created', 'requires_action', 'approved', 'captured')
        AND s.created_at > now() - interval '1 day'
        AND o.chain_id = $1 AND lower(o.token) = lower($2)
        AND NOT EXISTS (SELECT 1 FROM fiat_funding f WHERE f.session_id = s.id AND f.status = 'funded')`,
    [net.chainId, token.address],
  );
  return BigInt(rows[0]?.sum ?? "0");
}

export async function assertTreasuryCanFund(
  ctx: AppContext,
  account: TreasuryAccount,
  amount: bigint,
): Promise<void> {
  const [balance, open] = await Promise.all([treasuryBalance(ctx, account), committed(ctx, account)]);
  const reserve = minBalanceOf(ctx, account.token);
  if (balance - open - amount < reserve) {
    ctx.metrics.treasuryLow.set({ chain_id: String(account.net.chainId), token: account.token.symbol }, 1);
    ctx.log.warn(
      {
        chainId: account.net.chainId,
        token: account.token.symbol,
        balance: balance.toString(),
        committed: open.toString(),
        amount: amount.toString(),
      },
      "treasury low: fiat session refused",
    );
    throw new UnavailableError(
      "treasury_low",
      `Fiat wallet payments in ${account.token.symbol} on ${account.net.name} are temporarily unavailable (the bridge treasury is low); pay with a crypto wallet or try later`,
    );
  }
}
