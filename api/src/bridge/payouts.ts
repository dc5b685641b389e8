/**
 * Payouts: a merchant withdraws settled funds to a fiat wallet in a currency of its choice, at a quote
 * it asked for (POST /v1/fx/quotes with `amount` = what it wants to receive). The merchant is debited
 * the token value of that amount at the mid rate plus the spread fee (target + 2 x fee of the quote, as
 * the quote prices the opposite direction); it must not exceed its settled balance: what the escrow
 * released for its orders minus earlier payouts that did not fail. Stored and queued in one
 * transaction; the provider call uses the payout id as idempotency key. Token units add up only within one
 * token: payouts are in the default token of the merchant's mode (its first network's), and the balance
 * counts that token's released orders only.
 *
 * The ledger is the API's: moving the released tokens from the merchant's payout address to the
 * treasury is outside this API (a custodial payout address), and the report shows both sides.
 */
import { homeNetwork } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { InvalidRequestError, NotFoundError, StateError } from "../errors.ts";
import { FiatError } from "../fiat/errors.ts";
import { bossDb } from "../jobs/queues.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import type { ListQueryT } from "../schemas/common.ts";
import { requireProvider } from "./fiatContext.ts";
import { newBridgeId } from "./ids.ts";
import { FIAT_JOB_OPTIONS, FIAT_PAYOUT_QUEUE } from "./queues.ts";
import { quotedIn } from "./quoteToken.ts";

export interface PayoutRow {
  id: string;
  merchant_id: string;
  livemode: boolean;
  provider: string;
  recipient: string;
  quote_id: string;
  token_amount: string;
  fiat_currency: string;
  fiat_amount: string;
  provider_payout_ref: string | null;
  status: "pending" | "paid" | "failed";
  failure_code: string | null;
  failure_message: string | null;
  created_at: Date;
}

export function toPayoutObject(row: PayoutRow) {
  return {
    id: row.id,
    object: "payout" as const,
    livemode: row.livemode,
    provider: row.provider,
    recipient: row.recipient,
    amount: row.fiat_amount,
    currency: row.fiat_currency,
    token_amount: row.token_amount,
    fx_quote: row.quote_id,
    status: row.status,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    created: Math.floor(row.created_at.getTime() / 1000),
  };
}

export async function availableForPayout(
  db: Db,
  principal: Principal,
  home: { chainId: number; token: { address: string } },
): Promise<bigint> {
  const { rows } = await db.query<{ released: string | null; paid: string | null }>(
    `SELECT (SELECT sum(amount_released - fee_paid) FROM orders WHERE merchant_id = $1 AND livemode = $2
               AND chain_id = $3 AND lower(token) = lower($4))::text AS released,
            (SELECT sum(token_amount) FROM fiat_payout WHERE merchant_id = $1 AND livemode = $2 AND status <> 'failed')::text AS paid`,
    [principal.merchantId, principal.livemode, home.chainId, home.token.address],
  );
  return BigInt(rows[0]?.released ?? "0") - BigInt(rows[0]?.paid ?? "0");
}

export async function createPayout(
  ctx: AppContext,
  tx: Db,
  principal: Principal,
  input: { fx_quote: string; recipient: string },
): Promise<PayoutRow> {
  const provider = requireProvider(ctx);
  const fx = ctx.fx;
  const quote = await fx.store.get(input.fx_quote);
  if (!quote) throw new NotFoundError("fx_quote", input.fx_quote, "fx_quote");
  if (quote.fixed !== "source")
    throw new InvalidRequestError(
      "fx_quote_mismatch",
      "A payout needs a quote with a fixed `amount` (what you receive)",
      "fx_quote",
    );
  const home = homeNetwork(ctx.networks, principal.livemode);
  if (!quotedIn(quote.token, home.token))
    throw new InvalidRequestError(
      "fx_quote_mismatch",
      `Payouts are in ${home.token.symbol} on ${home.name}; this quote is in ${quote.token.symbol}`,
      "fx_quote",
    );
  const debit = quote.targetUnits + 2n * quote.feeUnits;
  // One payout at a time per merchant: the balance check and the insert must not interleave.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('pier-payout'), hashtext($1))", [
    principal.merchantId,
  ]);
  const available = await availableForPayout(tx, principal, home);
  if (debit > available)
    throw new StateError(
      "insufficient_settled_funds",
      `This payout needs ${debit} token units; ${available < 0n ? 0n : available} are settled and available`,
      "fx_quote",
    );
  const id = newBridgeId("payout");
  await fx.store.consume(quote.id, id, new Date());
  const { rows } = await tx.query<PayoutRow>(
    `INSERT INTO fiat_payout (id, merchant_id, livemode, provider, recipient, quote_id, token_amount, fiat_currency, fiat_amount)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [
      id,
      principal.merchantId,
      principal.livemode,
      provider.name,
      input.recipient,
      quote.id,
      debit.toString(),
      quote.sourceCurrency,
      quote.sourceAmount,
    ],
  );
  await ctx.boss.send(FIAT_PAYOUT_QUEUE, { payoutId: id }, { db: bossDb(tx), ...FIAT_JOB_OPTIONS });
  return rows[0]!;
}

export async function sendPayout(ctx: AppContext, id: string): Promise<void> {
  const row = (await ctx.pool.query<PayoutRow>("SELECT * FROM fiat_payout WHERE id = $1", [id])).rows[0];
  if (row?.status !== "pending" || row.provider_payout_ref) return;
  try {
    const result = await requireProvider(ctx).payout({
      recipient: row.recipient,
      amount: { value: row.fiat_amount, currency: row.fiat_currency },
      idempotencyKey: row.id,
      note: `Pier payout ${row.id}`,
    });
    await ctx.pool.query(
      "UPDATE fiat_payout SET provider_payout_ref = $2, status = $3, completed_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END WHERE id = $1",
      [row.id, result.payoutRef, result.status],
    );
    ctx.metrics.fiatEvents.inc({ kind: "payout" });
  } catch (error) {
    if (error instanceof FiatError && !error.retryable) {
      await ctx.pool.query(
        "UPDATE fiat_payout SET status = 'failed', failure_code = $2, failure_message = $3, completed_at = now() WHERE id = $1",
        [row.id, error.code, error.message],
      );
      return;
    }
    throw error;
  }
}

export async function getPayout(db: Db, principal: Principal, id: string): Promise<PayoutRow> {
  const { rows } = await db.query<PayoutRow>(
    "SELECT * FROM fiat_payout WHERE id = $1 AND merchant_id = $2 AND livemode = $3",
    [id, principal.merchantId, principal.livemode],
  );
  if (!rows[0]) throw new NotFoundError("payout", id);
  return rows[0];
}

export function listPayouts(db: Db, principal: Principal, query: ListQueryT): Promise<Page<PayoutRow>> {
  return paginate<PayoutRow>(db, {
    table: "fiat_payout",
    columns: "*",
    where: ["merchant_id = $1", "livemode = $2"],
    params: [principal.merchantId, principal.livemode],
    query,
  });
}
