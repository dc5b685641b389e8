/**
 * A captured fiat payment funds its order's escrow from the treasury, exactly once. Everything is
 * decided in one transaction with the session row locked:
 *
 *   fiat_capture (provider, capture_ref)  inserted once; a reversal recorded first wins (no funding)
 *   fiat_funding UNIQUE (provider, capture_ref), UNIQUE (order_id), UNIQUE (session_id)
 *   chain_txs    the treasury's payOnBehalf intent + its sender job (chain/chainTxs.ts)
 *
 * commit together. A crash before the commit leaves nothing (the fiat-event job is retried); after it,
 * the durable sender submits the one transaction (and the escrow itself accepts one payment per order).
 * Duplicate webhooks and the poll path meet the unique keys and do nothing.
 */
import { paymentEscrowAbi } from "@pier/contracts/abis";
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { parseMinorUnits } from "@pier/money/units";
import { encodeFunctionData, erc20Abi, type Hex, maxUint256 } from "viem";
import type { ChainContext } from "../chain/chainContext.ts";
import { createChainTx } from "../chain/chainTxs.ts";
import { networkOf } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import type { Money } from "../fiat/provider.ts";
import type { OrderRow } from "../orders/orderRow.ts";
import { signedOrder } from "../orders/signedOrder.ts";
import { termsJsonOf } from "../orders/toOrderObject.ts";
import { newBridgeId } from "./ids.ts";
import { recordIncident } from "./incidents.ts";
import type { FiatSessionRow } from "./sessionRow.ts";
import { queueUnfundableRefund } from "./unfundable.ts";

export interface CaptureFact {
  provider: string;
  providerRef: string;
  captureRef: string;
  amount?: Money;
}

export type FundOutcome = "funding" | "already_funded" | "reversed" | "not_fundable" | "mismatch";

/** Retryable: thrown so the job runs again once the treasury's allowance transaction is mined. */
export class AwaitingAllowanceError extends Error {
  override name = "AwaitingAllowanceError";
}

export async function fundCapture(ctx: AppContext, fact: CaptureFact): Promise<FundOutcome> {
  return withTransaction(ctx.pool, async (tx) => {
    const session = (
      await tx.query<FiatSessionRow>(
        "SELECT * FROM fiat_session WHERE provider = $1 AND provider_ref = $2 FOR UPDATE",
        [fact.provider, fact.providerRef],
      )
    ).rows[0];
    // The provider may call before createSession stored its ref: the job is retried.
    if (!session) throw new Error(`no fiat session for ${fact.provider} ${fact.providerRef} (yet)`);
    const amount = fact.amount ?? { value: session.fiat_amount, currency: session.fiat_currency };
    await tx.query(
      `INSERT INTO fiat_capture (provider, capture_ref, session_id, order_id, fiat_currency, fiat_amount, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'captured') ON CONFLICT DO NOTHING`,
      [fact.provider, fact.captureRef, session.id, session.order_id, amount.currency, amount.value],
    );
    const capture = (
      await tx.query<{ status: string }>(
        "SELECT status FROM fiat_capture WHERE provider = $1 AND capture_ref = $2",
        [fact.provider, fact.captureRef],
      )
    ).rows[0]!;
    if (capture.status !== "captured") return "reversed";
    await tx.query(
      `UPDATE fiat_session SET status = 'captured', updated_at = now()
        WHERE id = $1 AND status IN ('creating', 'created', 'requires_action', 'approved')`,
      [session.id],
    );
    const existing = await tx.query<{ capture_ref: string }>(
      "SELECT capture_ref FROM fiat_funding WHERE session_id = $1 OR order_id = $2",
      [session.id, session.order_id],
    );
    if (existing.rows[0]?.capture_ref === fact.captureRef) return "already_funded";
    if (existing.rowCount) {
      // A second wallet payment of an order another capture already funded: the customer paid twice.
      await recordIncident(tx, session, "funding_failed", { reason: "order_already_funded" });
      await queueUnfundableRefund(ctx, tx, { provider: fact.provider, captureRef: fact.captureRef });
      return "not_fundable";
    }
    if (
      amount.currency !== session.fiat_currency ||
      parseMinorUnits(amount.value, amount.currency) !==
        parseMinorUnits(session.fiat_amount, session.fiat_currency)
    ) {
      await recordIncident(tx, session, "funding_failed", {
        reason: "amount_mismatch",
        captured: amount,
        expected: { value: session.fiat_amount, currency: session.fiat_currency },
      });
      return "mismatch";
    }
    const order = (
      await tx.query<OrderRow>("SELECT * FROM orders WHERE id = $1 FOR UPDATE", [session.order_id])
    ).rows[0]!;
    if (order.status !== "open" || Number(order.deadline) <= Math.floor(Date.now() / 1000)) {
      await recordIncident(tx, session, "funding_failed", {
        reason: "order_not_payable",
        status: order.status,
      });
      await queueUnfundableRefund(ctx, tx, { provider: fact.provider, captureRef: fact.captureRef });
      return "not_fundable";
    }
    // The bridge funds on the order's network, from that network's treasury, in the order's token.
    const net = networkOf(ctx.networks, order.chain_id);
    const treasury = net.signers.treasury!;
    const bridge = net.signers.bridge!;
    await ensureAllowance(ctx, net, order.token as Hex, BigInt(order.amount));
    const fundingId = newBridgeId("funding");
    const chainTxId = await createChainTx(tx, net, {
      signer: treasury,
      kind: "fund",
      data: encodeFunctionData({
        abi: paymentEscrowAbi,
        functionName: "payOnBehalf",
        // Started from the opened checkout, the terms are signed already; signedOrder makes sure.
        args: [
          paymentTermsFromJson(termsJsonOf(order)),
          (await signedOrder(ctx, tx, order)).signature as Hex,
          bridge,
        ],
      }),
      refs: { fundingId, orderIds: [order.id] },
    });
    await tx.query(
      `INSERT INTO fiat_funding (id, provider, capture_ref, session_id, order_id, chain_id, onchain_order_id,
         treasury, refund_to, token_amount, chain_tx_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [
        fundingId,
        fact.provider,
        fact.captureRef,
        session.id,
        order.id,
        order.chain_id,
        order.onchain_order_id,
        treasury.address.toLowerCase(),
        bridge.toLowerCase(),
        order.amount,
        chainTxId,
      ],
    );
    await tx.query("UPDATE orders SET fiat_payment = $2 WHERE id = $1", [
      order.id,
      JSON.stringify({
        provider: session.provider,
        session: session.id,
        wallet: session.wallet,
        amount: session.fiat_amount,
        currency: session.fiat_currency,
        fx_quote: session.quote_id,
        capture: fact.captureRef,
        funding: fundingId,
      }),
    ]);
    ctx.metrics.fiatEvents.inc({ kind: "funding_queued" });
    ctx.log.info(
      {
        orderId: order.id,
        onchainOrderId: order.onchain_order_id,
        fiatSessionId: session.id,
        fundingId,
        chainTxId,
      },
      "fiat capture: escrow funding queued",
    );
    return "funding";
  });
}

/**
 * The approvals that give the escrow at least `needed` from an allowance of `current`: none when it is
 * enough, else the maximum, set to zero first when it is not zero already (USDT and tokens like it refuse
 * to change one non-zero allowance into another).
 */
export function approvalsFor(current: bigint, needed: bigint): bigint[] {
  if (current >= needed) return [];
  return current === 0n ? [maxUint256] : [0n, maxUint256];
}

/** The treasury approves the escrow once (max allowance), through the same durable sender. */
async function ensureAllowance(
  ctx: AppContext,
  net: ChainContext,
  token: Hex,
  amount: bigint,
): Promise<void> {
  const treasury = net.signers.treasury!;
  const allowance = await net.client.readContract({
    address: token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [treasury.address, net.escrow],
  });
  const approvals = approvalsFor(allowance, amount);
  if (approvals.length === 0) return;
  await withTransaction(ctx.pool, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('pier-treasury-approve'))");
    const open = await tx.query(
      `SELECT 1 FROM chain_txs WHERE kind = 'approve' AND chain_id = $1 AND signer = $2 AND status IN ('queued', 'sent')
          AND lower(payload->>'to') = $3`,
      [net.chainId, treasury.address.toLowerCase(), token.toLowerCase()],
    );
    if (open.rowCount) return;
    // One intent per approval: the sender sends them in order, with consecutive nonces.
    for (const value of approvals)
      await createChainTx(tx, net, {
        signer: treasury,
        kind: "approve",
        data: encodeFunctionData({
          abi: erc20Abi,
          functionName: "approve",
          args: [net.escrow, value],
        }),
        refs: { to: token },
      });
  });
  throw new AwaitingAllowanceError("the treasury's allowance to the escrow is being raised; retrying");
}
