/**
 * Creates an order: resolves the amount (token units, or a fiat amount converted at the rate source's
 * mid rate, fx/priceOrder.ts) and stores the EIP-712 payment terms with the rate the sale is reported at
 * (the merchant's reporting currency per unit of the token's peg). The operator signs the terms when the
 * checkout is first opened (signedOrder.ts), so creating an order is one insert. Nothing touches the chain.
 */

import { formatRatio } from "@pier/money/rational";
import pg from "pg";
import { getAddress } from "viem";
import type { TokenInfo } from "../chain/chainContext.ts";
import { resolveTarget } from "../chain/networks.ts";
import { orderIdentifiers } from "../chain/termsSigner.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { InvalidRequestError } from "../errors.ts";
import { pegRateTo, priceInTokens, RATE_PLACES } from "../fx/priceOrder.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { newId } from "../lib/ids.ts";
import { getMerchantCached } from "../merchants/merchants.ts";
import { assessNewOrder, recordOrderRisk } from "../risk/assessOrder.ts";
import { getRiskSettings } from "../risk/riskSettings.ts";
import type { CreateOrderBodyT } from "../schemas/order.ts";
import { insertOrder, type NewOrder } from "./orderInserts.ts";
import type { OrderRow } from "./orderRow.ts";

/** The escrow keeps amounts in uint128. */
const MAX_AMOUNT = 2n ** 128n - 1n;
const MIN_TTL_SECONDS = 60;
const MAX_TTL_SECONDS = 30 * 86_400;

export async function createOrder(
  ctx: AppContext,
  db: Db,
  principal: Principal,
  body: CreateOrderBodyT,
): Promise<OrderRow> {
  const accepts = acceptsOf(ctx, principal.livemode, body);
  // Unnamed network or token: the first of `accept` (on the named network), else the API's default.
  const network = body.network ?? accepts?.[0]?.chain_id;
  const { net, token } = resolveTarget(
    ctx.networks,
    principal.livemode,
    network,
    body.token ?? accepts?.find((a) => a.chain_id === network)?.token,
  );
  if (accepts && !accepts.some((a) => a.chain_id === net.chainId && a.token === token.address.toLowerCase()))
    throw new InvalidRequestError(
      "parameter_invalid",
      `network ${net.chainId} and token ${token.address} must be among accept`,
      body.token === undefined ? "network" : "token",
    );
  const { amount, fiat } = await resolveAmount(ctx, body, token);
  const now = net.head.now();
  const deadline = body.expires_at ?? now + ctx.config.orderTtlSeconds;
  if (deadline < now + MIN_TTL_SECONDS || deadline > now + MAX_TTL_SECONDS) {
    throw new InvalidRequestError(
      "parameter_invalid",
      `expires_at must be between ${MIN_TTL_SECONDS} s and ${MAX_TTL_SECONDS / 86_400} days from now (${now})`,
      "expires_at",
    );
  }
  const escrowPeriod = body.escrow_period ?? ctx.config.escrowPeriodSeconds;
  const fee = (amount * BigInt(ctx.config.feeBps)) / 10_000n;
  const merchant = await getMerchantCached(ctx.caches.merchants, db, principal.merchantId);
  const report = await reportingRate(ctx, db, principal, token.peg);
  // Risk rules (risk/): a blocked order throws here, before anything is stored.
  const risk = await assessNewOrder(ctx, db, {
    merchantId: principal.merchantId,
    livemode: principal.livemode,
    amount,
  });

  const id = newId("order");
  const operator = net.signers.operator;
  const { orderId, paymentId } = orderIdentifiers(id, operator.address);
  const payoutAddress = getAddress(merchant.payout_address);
  const row: NewOrder = {
    id,
    merchant_id: principal.merchantId,
    livemode: principal.livemode,
    chain_id: net.chainId,
    escrow: net.escrow,
    onchain_order_id: orderId,
    payment_id: paymentId,
    accepts: accepts ?? null,
    operator: operator.address,
    token: token.address,
    payout_address: payoutAddress,
    amount: amount.toString(),
    fee: fee.toString(),
    fiat_amount: fiat?.amount ?? null,
    fiat_currency: fiat?.currency ?? null,
    fx_rate: fiat?.rate ?? null,
    report_currency: report?.currency ?? null,
    report_rate: report?.rate ?? null,
    fiat_payment: null,
    description: body.description ?? null,
    metadata: body.metadata ?? {},
    success_url: body.success_url ?? null,
    cancel_url: body.cancel_url ?? null,
    deadline: String(deadline),
    escrow_period: String(escrowPeriod),
    signature: null,
    canceled_at: null,
    status: "open",
    payment: null,
    amount_refunded: "0",
    amount_released: "0",
    fee_paid: "0",
    relay_fee_wei: null,
    sync_fingerprint: null,
  };
  // Postgres fills in seq and created_at and rewrites metadata (jsonb orders an object's keys); the rest
  // of the row is what was just written, and parsing a whole returned row cost more than the insert's
  // indexes (orders.test.ts checks that the answer equals a later read). Outside a transaction the
  // insert is batched with the orders created at the same moment (orderInserts.ts).
  const insert = async (tx: Db): Promise<OrderRow> => ({
    ...row,
    ...(await (tx === ctx.pool ? ctx.orderInserts.insert(row) : insertOrder(tx, row))),
  });
  if (risk.outcome === "allow") return insert(db);
  // A flagged order and its review are stored together. The route runs without a transaction when it
  // has no Idempotency-Key (one insert needs none), so open one here for the two writes.
  const store = async (tx: Db) => {
    const order = await insert(tx);
    await recordOrderRisk(ctx, tx, order, risk);
    return order;
  };
  return db instanceof pg.Pool ? withTransaction(db, store) : store(db);
}

/**
 * The merchant's reporting currency and its rate to the token's peg now, stored with the order. A rate
 * source that cannot answer (stale, down, no such currency) leaves it unset rather than refusing the
 * sale: the report then values that order at the current rate and says so.
 */
async function reportingRate(ctx: AppContext, db: Db, principal: Principal, peg: string) {
  const { reportingCurrency } = await getRiskSettings(ctx, db, principal.merchantId, principal.livemode);
  try {
    const rate = await pegRateTo(ctx.fx, reportingCurrency, undefined, peg);
    return { currency: reportingCurrency, rate: formatRatio(rate.rate, RATE_PLACES, "half_even") };
  } catch (error) {
    ctx.log.warn({ err: error, currency: reportingCurrency }, "no reporting rate for a new order");
    return undefined;
  }
}

/** The merchant's `accept` list as stored: each network's named token, or all of its tokens. */
function acceptsOf(
  ctx: AppContext,
  livemode: boolean,
  body: CreateOrderBodyT,
): { chain_id: number; token: string }[] | undefined {
  if (!body.accept) return undefined;
  const out = new Map<string, { chain_id: number; token: string }>();
  for (const a of body.accept) {
    const { net } = resolveTarget(ctx.networks, livemode, a.network, undefined);
    const tokens =
      a.token === undefined ? net.tokens : [resolveTarget(ctx.networks, livemode, a.network, a.token).token];
    for (const t of tokens) {
      const token = t.address.toLowerCase();
      out.set(`${net.chainId}:${token}`, { chain_id: net.chainId, token });
    }
  }
  return [...out.values()];
}

async function resolveAmount(ctx: AppContext, body: CreateOrderBodyT, token: TokenInfo) {
  const hasFiat = body.fiat_amount !== undefined || body.fiat_currency !== undefined;
  if (body.amount !== undefined && hasFiat) {
    throw new InvalidRequestError(
      "parameter_invalid",
      "Give either amount or fiat_amount + fiat_currency, not both",
      "amount",
    );
  }
  let amount: bigint;
  let fiat: { amount: string; currency: string; rate: string } | undefined;
  if (body.amount !== undefined) {
    amount = BigInt(body.amount);
  } else if (hasFiat) {
    if (body.fiat_amount === undefined) {
      throw new InvalidRequestError(
        "parameter_missing",
        "fiat_amount is required with fiat_currency",
        "fiat_amount",
      );
    }
    if (body.fiat_currency === undefined) {
      throw new InvalidRequestError(
        "parameter_missing",
        "fiat_currency is required with fiat_amount",
        "fiat_currency",
      );
    }
    const price = await priceInTokens(ctx.fx, body.fiat_currency, body.fiat_amount, undefined, {
      decimals: token.decimals,
      peggedTo: token.peg,
    });
    amount = price.units;
    fiat = { amount: body.fiat_amount, currency: body.fiat_currency, rate: price.rate };
  } else {
    throw new InvalidRequestError(
      "parameter_missing",
      "amount (or fiat_amount + fiat_currency) is required",
      "amount",
    );
  }
  if (amount <= 0n) {
    throw new InvalidRequestError(
      "parameter_invalid",
      "The amount must be positive",
      fiat ? "fiat_amount" : "amount",
    );
  }
  if (amount > MAX_AMOUNT)
    throw new InvalidRequestError("parameter_invalid", "The amount is too large", "amount");
  return { amount, fiat };
}
