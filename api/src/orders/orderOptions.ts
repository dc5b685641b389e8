/**
 * Where an order may be paid: every network and token it accepts (all the API serves unless the merchant
 * restricted it at creation), each with the amount the customer pays in that token. The customer picks
 * one in the checkout (selectOption); its terms are signed then and become the order's current terms.
 * Terms of options switched away from stay valid until the deadline: order_terms keeps them, so the
 * syncer recognises a payment made with them (orders/foreignPayments.ts).
 *
 * Amounts: a fiat-priced order is priced in each token from its fiat amount (the token's own peg and
 * decimals, at the rate source's mid rate); a token-priced order converts from the option it was created
 * with: the same amount in another token of the same peg (decimals scaled, half up), else through the
 * peg's rate. An option whose rate is unavailable (stale, unknown currency) is left out.
 */
import { divRound } from "@pier/money/rational";
import { type Address, getAddress, type Hex } from "viem";
import type { ChainContext, TokenInfo } from "../chain/chainContext.ts";
import { tokenOn } from "../chain/chainContext.ts";
import { networksOfMode, tokenInfoOf } from "../chain/networks.ts";
import { orderIdentifiers } from "../chain/termsSigner.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { InvalidRequestError, NotFoundError, StateError } from "../errors.ts";
import { pegRateTo, priceInTokens } from "../fx/priceOrder.ts";
import type { OrderRow } from "./orderRow.ts";
import { type SignedOrderRow, signedOrder } from "./signedOrder.ts";
import { networkObjectOf } from "./toOrderObject.ts";

export interface OrderOption {
  net: ChainContext;
  token: TokenInfo;
}

/** The networks (of its mode) and tokens an order accepts, in the API's order (networks, then tokens). */
export function acceptedOptions(ctx: AppContext, row: Pick<OrderRow, "accepts" | "livemode">): OrderOption[] {
  const all = networksOfMode(ctx.networks, row.livemode).flatMap((net) =>
    net.tokens.map((token) => ({ net, token })),
  );
  if (!row.accepts) return all;
  return all.filter((o) => row.accepts!.some((a) => sameOption(a, o)));
}

function sameOption(a: { chain_id: number; token: string }, o: OrderOption): boolean {
  return a.chain_id === o.net.chainId && a.token.toLowerCase() === o.token.address.toLowerCase();
}

/** One option's signed terms, as order_terms stores them. */
export interface StoredTerms {
  chain_id: number;
  token: string;
  escrow: string;
  operator: string;
  payment_id: string;
  amount: string;
  fee: string;
  fx_rate: string | null;
  signature: string;
}

/** The option the order was created with: the first stored terms, or the row itself when never switched. */
async function originalOf(db: Db, row: SignedOrderRow): Promise<StoredTerms> {
  const { rows } = await db.query<StoredTerms>(
    "SELECT * FROM order_terms WHERE order_id = $1 ORDER BY seq LIMIT 1",
    [row.id],
  );
  return rows[0] ?? { ...row, amount: row.amount, fee: row.fee };
}

/** Units of `option`'s token the order costs; undefined when no rate is available for it. */
async function amountIn(
  ctx: AppContext,
  row: OrderRow,
  original: StoredTerms,
  option: OrderOption,
): Promise<{ amount: bigint; fxRate: string | null } | undefined> {
  try {
    if (row.fiat_amount !== null && row.fiat_currency !== null) {
      const price = await priceInTokens(ctx.fx, row.fiat_currency, row.fiat_amount, undefined, {
        decimals: option.token.decimals,
        peggedTo: option.token.peg,
      });
      return { amount: price.units, fxRate: price.rate };
    }
    const from = tokenOn(ctx.networks.byId.get(original.chain_id) ?? option.net, original.token);
    if (!from) return undefined;
    const units = BigInt(original.amount);
    const scale = (n: bigint, d: bigint) => divRound(n * 10n ** BigInt(option.token.decimals), d, "half_up");
    if (from.peg === option.token.peg)
      return { amount: scale(units, 10n ** BigInt(from.decimals)), fxRate: null };
    const rate = await pegRateTo(ctx.fx, option.token.peg, undefined, from.peg);
    return {
      amount: scale(units * rate.rate.num, rate.rate.den * 10n ** BigInt(from.decimals)),
      fxRate: null,
    };
  } catch (err) {
    ctx.log.warn({ err, orderId: row.id, chainId: option.net.chainId }, "no price for an order option");
    return undefined;
  }
}

/** The checkout's `options`: each accepted network and token with its amount, the current one selected. */
export async function checkoutOptions(ctx: AppContext, db: Db, row: SignedOrderRow) {
  const current = { chain_id: row.chain_id, token: row.token };
  const options = acceptedOptions(ctx, row);
  const needsOriginal = options.some((o) => !sameOption(current, o));
  const original = needsOriginal ? await originalOf(db, row) : undefined;
  const priced = await Promise.all(
    options.map(async (o) => {
      const selected = sameOption(current, o);
      const amount = selected ? BigInt(row.amount) : (await amountIn(ctx, row, original!, o))?.amount;
      if (amount === undefined || amount <= 0n) return undefined;
      return {
        chain_id: o.net.chainId,
        network: networkObjectOf(ctx, o.net.chainId),
        token: { ...o.token, peg: o.token.peg as string | null },
        amount: amount.toString(),
        selected,
      };
    }),
  );
  return priced.filter((o) => o !== undefined);
}

/**
 * The customer picks where to pay: the order's terms become that option's (signed now, or the ones signed
 * when it was picked before). Only while the order is open; the same option again changes nothing.
 */
export async function selectOption(
  ctx: AppContext,
  id: string,
  choice: { network: number; token: string },
): Promise<OrderRow> {
  return withTransaction(ctx.pool, async (tx) => {
    const locked = (await tx.query<OrderRow>("SELECT * FROM orders WHERE id = $1 FOR UPDATE", [id])).rows[0];
    if (!locked) throw new NotFoundError("order", id);
    const option = acceptedOptions(ctx, locked).find((o) =>
      sameOption({ chain_id: choice.network, token: choice.token }, o),
    );
    if (!option) {
      const param = acceptedOptions(ctx, locked).some((o) => o.net.chainId === choice.network)
        ? "token"
        : "network";
      throw new InvalidRequestError(
        "parameter_invalid",
        `This order cannot be paid with token ${choice.token} on network ${choice.network}`,
        param,
      );
    }
    if (
      locked.status !== "open" ||
      locked.canceled_at !== null ||
      BigInt(locked.deadline) <= BigInt(option.net.head.now())
    )
      throw new StateError(
        "order_not_open",
        `Only an open order can change how it is paid; this one is ${locked.status}`,
      );
    if (sameOption({ chain_id: locked.chain_id, token: locked.token }, option)) return locked;
    // The terms switched away from stay payable, so they are stored signed (the checkout signed them when
    // it was opened; a select without opening it signs them here).
    const row = await signedOrder(ctx, tx, locked);

    const original = await originalOf(tx, row);
    // The current option's terms stay payable until the deadline: keep them, so their payment is known.
    await storeTerms(tx, row.id, { ...row });
    const stored = (
      await tx.query<StoredTerms>(
        "SELECT * FROM order_terms WHERE order_id = $1 AND chain_id = $2 AND token = $3",
        [row.id, option.net.chainId, option.token.address.toLowerCase()],
      )
    ).rows[0];
    const terms = stored ?? (await signOption(ctx, row, original, option));
    const updated = await bindTerms(ctx, tx, row, terms);
    if (!stored) await storeTerms(tx, row.id, terms);
    ctx.log.info(
      { orderId: row.id, chainId: terms.chain_id, token: terms.token },
      "checkout option selected",
    );
    return updated;
  });
}

/**
 * Makes `terms` the order's own (the customer selected them, or a payment made with them binds the
 * order): the row `orders/syncOrders.ts` follows from then on.
 */
export async function bindTerms(
  ctx: AppContext,
  tx: Db,
  row: OrderRow,
  terms: StoredTerms,
): Promise<OrderRow> {
  const pegOf = (chainId: number, token: string) => tokenInfoOf(ctx.networks, chainId, token)?.peg;
  const samePeg = pegOf(row.chain_id, row.token) === pegOf(terms.chain_id, terms.token);
  const { rows } = await tx.query<OrderRow>(
    `UPDATE orders SET chain_id = $2, escrow = $3, token = $4, operator = $5, payment_id = $6, amount = $7,
            fee = $8, fx_rate = $9, signature = $10, sync_fingerprint = NULL,
            -- A sale reported at the old token's peg would be valued wrong in another peg's token.
            report_rate = CASE WHEN $11 THEN report_rate END,
            report_currency = CASE WHEN $11 THEN report_currency END
      WHERE id = $1 RETURNING *`,
    [
      row.id,
      terms.chain_id,
      terms.escrow,
      getAddress(terms.token),
      terms.operator,
      terms.payment_id,
      terms.amount,
      terms.fee,
      terms.fx_rate ?? row.fx_rate,
      terms.signature,
      samePeg,
    ],
  );
  return rows[0]!;
}

async function signOption(
  ctx: AppContext,
  row: OrderRow,
  original: StoredTerms,
  option: OrderOption,
): Promise<StoredTerms> {
  const priced = await amountIn(ctx, row, original, option);
  if (!priced || priced.amount <= 0n)
    throw new StateError(
      "option_unavailable",
      "This network and token cannot be priced right now; pick another",
    );
  const operator = option.net.signers.operator;
  const { orderId, paymentId } = orderIdentifiers(row.id, operator.address);
  const fee = (priced.amount * BigInt(ctx.config.feeBps)) / 10_000n;
  const signature: Hex = await option.net.signTerms({
    orderId,
    merchant: getAddress(row.payout_address) as Address,
    token: option.token.address,
    amount: priced.amount,
    fee,
    deadline: BigInt(row.deadline),
    escrowPeriod: BigInt(row.escrow_period),
    operator: operator.address,
  });
  return {
    chain_id: option.net.chainId,
    token: option.token.address.toLowerCase(),
    escrow: option.net.escrow,
    operator: operator.address,
    payment_id: paymentId,
    amount: priced.amount.toString(),
    fee: fee.toString(),
    fx_rate: priced.fxRate ?? row.fx_rate,
    signature: signature.toLowerCase(),
  };
}

async function storeTerms(db: Db, orderId: string, t: StoredTerms): Promise<void> {
  await db.query(
    `INSERT INTO order_terms (order_id, chain_id, token, escrow, operator, payment_id, amount, fee, fx_rate, signature)
     VALUES ($1, $2, lower($3), $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
    [
      orderId,
      t.chain_id,
      t.token,
      t.escrow,
      t.operator,
      t.payment_id,
      t.amount,
      t.fee,
      t.fx_rate,
      t.signature,
    ],
  );
}
