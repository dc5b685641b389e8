/**
 * Starts a fiat payment of an open order: checks the order is payable, the quote matches it, and the
 * treasury can fund it; consumes the quote (one session per quote); stores the session (`creating`)
 * before calling the provider with the session id as idempotency key, so a retry never opens a second
 * provider session and a crash in between leaves a row the customer can simply replace.
 */
import { tokenOn } from "../chain/chainContext.ts";
import type { AppContext } from "../context.ts";
import { InvalidRequestError, NotFoundError, StateError } from "../errors.ts";
import type { WalletKind } from "../fiat/provider.ts";
import { useQuote } from "../fx/quoteService.ts";
import type { OrderRow } from "../orders/orderRow.ts";
import { requireProvider } from "./fiatContext.ts";
import { newBridgeId } from "./ids.ts";
import { quotedIn } from "./quoteToken.ts";
import type { FiatSessionRow } from "./sessionRow.ts";
import { assertTreasuryCanFund, type TreasuryAccount } from "./treasury.ts";

export interface CreateSessionBody {
  fx_quote: string;
  wallet?: WalletKind;
  return_url: string;
  cancel_url?: string;
  simulate?: string;
}

export async function loadPayableOrder(ctx: AppContext, orderId: string): Promise<OrderRow> {
  const { rows } = await ctx.pool.query<OrderRow>("SELECT * FROM orders WHERE id = $1", [orderId]);
  const order = rows[0];
  if (!order) throw new NotFoundError("order", orderId);
  if (order.status !== "open")
    throw new StateError("order_not_payable", `This order is ${order.status}, not open for payment`, "order");
  if (Number(order.deadline) <= Math.floor(Date.now() / 1000) + 60)
    throw new StateError("order_expired", "This order's time to pay has run out", "order");
  return order;
}

/**
 * The treasury that funds `order`: its own token on its own network. Fiat needs the network's treasury
 * signer; a token no longer configured there cannot be funded.
 */
export function treasuryFor(ctx: AppContext, order: Pick<OrderRow, "chain_id" | "token">): TreasuryAccount {
  const net = ctx.networks.byId.get(Number(order.chain_id));
  const token = net && tokenOn(net, order.token);
  if (!net?.signers.treasury || !token)
    throw new StateError(
      "fiat_unavailable_for_option",
      `Fiat wallets cannot fund this order's network and token (${order.chain_id}, ${order.token}); select another option first (POST /v1/checkout/{id}/select)`,
      "order",
    );
  return { net, token };
}

export async function createFiatSession(
  ctx: AppContext,
  orderId: string,
  body: CreateSessionBody,
): Promise<FiatSessionRow> {
  const provider = requireProvider(ctx);
  const replay = await ctx.pool.query<FiatSessionRow>(
    "SELECT * FROM fiat_session WHERE quote_id = $1 AND order_id = $2 AND status <> 'failed'",
    [body.fx_quote, orderId],
  );
  if (replay.rows[0]) return replay.rows[0];
  const order = await loadPayableOrder(ctx, orderId);
  const busy = await ctx.pool.query(
    "SELECT 1 FROM fiat_session WHERE order_id = $1 AND status IN ('approved', 'captured')",
    [order.id],
  );
  if (busy.rowCount)
    throw new StateError(
      "fiat_payment_in_progress",
      "A fiat payment of this order is already under way",
      "order",
    );
  const fx = ctx.fx;
  const quote = await fx.store.get(body.fx_quote);
  if (!quote) throw new NotFoundError("fx_quote", body.fx_quote, "fx_quote");
  if (quote.targetUnits !== BigInt(order.amount) || quote.fixed !== "target")
    throw new InvalidRequestError(
      "fx_quote_mismatch",
      `FX quote ${quote.id} is not for this order's amount (${order.amount} token units); request a quote for this order`,
      "fx_quote",
    );
  const treasury = treasuryFor(ctx, order);
  if (!quotedIn(quote.token, treasury.token))
    throw new InvalidRequestError(
      "fx_quote_mismatch",
      `FX quote ${quote.id} is in ${quote.token.symbol} (${quote.token.peggedTo}), this order in ${treasury.token.symbol} (${treasury.token.peg}); request a quote for this order`,
      "fx_quote",
    );
  await assertTreasuryCanFund(ctx, treasury, BigInt(order.amount));
  const id = newBridgeId("session");
  await useQuote(fx, quote.id, id);
  await ctx.pool.query(
    `INSERT INTO fiat_session (id, order_id, merchant_id, livemode, provider, wallet, quote_id, fiat_currency,
       fiat_amount, token_amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [
      id,
      order.id,
      order.merchant_id,
      order.livemode,
      provider.name,
      body.wallet ?? null,
      quote.id,
      quote.sourceCurrency,
      quote.sourceAmount,
      order.amount,
    ],
  );
  try {
    const session = await provider.createSession({
      order: {
        id: order.id,
        onchainOrderId: order.onchain_order_id,
        description: order.description ?? undefined,
      },
      amount: { value: quote.sourceAmount, currency: quote.sourceCurrency },
      returnUrl: body.return_url,
      cancelUrl: body.cancel_url ?? body.return_url,
      idempotencyKey: id,
      wallet: body.wallet,
      simulate: body.simulate,
    });
    const updated = await ctx.pool.query<FiatSessionRow>(
      `UPDATE fiat_session SET provider_ref = $2, approval_url = $3, client_secret = $4, status = $5,
         provider_status = $6, updated_at = now() WHERE id = $1 RETURNING *`,
      [
        id,
        session.providerRef,
        session.approvalUrl ?? null,
        session.clientSecret ?? null,
        session.status,
        session.providerStatus,
      ],
    );
    ctx.log.info(
      { fiatSessionId: id, orderId: order.id, provider: provider.name, providerRef: session.providerRef },
      "fiat session created",
    );
    return updated.rows[0]!;
  } catch (error) {
    await ctx.pool.query(
      "UPDATE fiat_session SET status = 'failed', failure_code = $2, failure_message = $3, updated_at = now() WHERE id = $1",
      [id, (error as { code?: string }).code ?? "provider_error", (error as Error).message],
    );
    throw error;
  }
}

export async function getFiatSession(ctx: AppContext, orderId: string, id: string): Promise<FiatSessionRow> {
  const { rows } = await ctx.pool.query<FiatSessionRow>(
    "SELECT * FROM fiat_session WHERE id = $1 AND order_id = $2",
    [id, orderId],
  );
  if (!rows[0]) throw new NotFoundError("fiat_session", id);
  return rows[0];
}
