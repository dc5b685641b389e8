/**
 * Relayed payments: the customer signs an ERC-3009 authorization for the order's terms (a browser account,
 * a deployed smart wallet vouching through ERC-1271, or one not deployed yet, wrapped in ERC-6492) and the
 * network's relayer key sends it with the escrow's `bytes` payWithAuthorization and pays the gas, so the
 * customer needs no native coin.
 *
 * Checked before anything is stored, each refusal changing nothing: the order is open with time left; the
 * network has a relayer and the token takes authorizations; the call succeeds in simulation (a bad signature
 * is a 400 saying why); the relayer can pay its gas (else 503 `relayer_unavailable`, pier_api_relayer_low,
 * and the customer pays from the wallet instead); the merchant is within its rate and its daily gas budget.
 * Then the relay row and its chain transaction intent are stored in one transaction; the sender sends it
 * like a refund (crash-safe, fee bumps) and settleRelay records what it cost.
 */
import { paymentEscrowAbi } from "@pier/contracts/abis";
import { payWithAuthorizationBytesArgs } from "@pier/contracts/payTerms";
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { type Address, encodeFunctionData, getAddress, type Hex } from "viem";
import { tokenOn } from "../chain/chainContext.ts";
import { createChainTx } from "../chain/chainTxs.ts";
import { decodeRevert } from "../chain/decodeRevert.ts";
import { networkOf } from "../chain/networks.ts";
import { type ChainTxOutcome, feeWei } from "../chain/settleChainTx.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { ApiError, InvalidRequestError, StateError, UnavailableError } from "../errors.ts";
import { newId } from "../lib/ids.ts";
import { getSignedCheckoutOrder } from "../orders/getCheckout.ts";
import { termsJsonOf } from "../orders/toOrderObject.ts";

export interface RelayRow {
  id: string;
  order_id: string;
  merchant_id: string;
  livemode: boolean;
  chain_id: number;
  payer: string;
  chain_tx_id: string;
  status: "pending" | "succeeded" | "failed";
  estimated_fee_wei: string;
  gas_used: string | null;
  fee_wei: string | null;
  tx_hash: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: Date;
}

/** The relayer must hold this many times a relay's estimated cost: fee spikes between now and mining. */
const BALANCE_MARGIN = 2n;

export async function relayPayment(
  ctx: AppContext,
  orderId: string,
  input: { payer: string; signature: string },
): Promise<{ relay: RelayRow; created: boolean }> {
  const order = await getSignedCheckoutOrder(ctx, orderId);
  const net = networkOf(ctx.networks, order.chain_id);
  const chainId = String(net.chainId);
  if (order.status !== "open")
    throw new StateError("order_not_payable", `This order is ${order.status}, not open for payment`, "order");
  if (Number(order.deadline) <= net.head.now() + 30)
    throw new StateError("order_expired", "This order's time to pay has run out", "order");
  const relayer = net.signers.relayer;
  if (!relayer)
    throw new UnavailableError(
      "relay_unavailable",
      `Pier does not relay payments on ${net.name}: pay from your wallet`,
    );
  if (!tokenOn(net, order.token)?.methods.includes("authorization"))
    throw new StateError(
      "relay_method_unsupported",
      "This token takes no signed authorizations (ERC-3009): pay from your wallet",
      "order",
    );
  const payer = getAddress(input.payer);
  const pending = await pendingRelay(ctx.pool, order.id);
  if (pending) {
    if (pending.payer === payer.toLowerCase()) return { relay: pending, created: false };
    throw new StateError("relay_in_progress", "Another payment of this order is being relayed", "order");
  }

  const terms = paymentTermsFromJson(termsJsonOf(order));
  const data = encodeFunctionData({
    abi: paymentEscrowAbi,
    functionName: "payWithAuthorization",
    args: payWithAuthorizationBytesArgs(terms, order.signature as Hex, payer, input.signature as Hex),
  });
  // Simulated first: a signature the token or the wallet refuses is the customer's to fix, not a stuck intent.
  let gas: bigint;
  try {
    gas = await net.client.estimateGas({ account: relayer.address, to: net.escrow, data });
  } catch (error) {
    const revert = decodeRevert(error);
    if (!revert) throw error;
    ctx.metrics.relays.inc({ chain_id: chainId, result: "refused" });
    throw new InvalidRequestError(
      "relay_refused",
      `The escrow would refuse this payment: ${revert.message}`,
      "signature",
    );
  }
  const { maxFeePerGas } = await net.client.estimateFeesPerGas();
  const estimated = gas * maxFeePerGas;
  const balance = await net.client.getBalance({ address: relayer.address });
  if (balance < estimated * BALANCE_MARGIN) {
    ctx.metrics.relayerLow.set({ chain_id: chainId }, 1);
    ctx.metrics.relays.inc({ chain_id: chainId, result: "unavailable" });
    ctx.log.error(
      {
        chainId: net.chainId,
        relayer: relayer.address,
        balance: balance.toString(),
        needed: estimated.toString(),
      },
      "relayer cannot pay gas: fund it",
    );
    throw new UnavailableError(
      "relayer_unavailable",
      "Pier cannot pay the network fee right now: pay from your wallet instead (your signature was not used)",
    );
  }
  ctx.metrics.relayerLow.set({ chain_id: chainId }, 0);

  const relay = await withTransaction(ctx.pool, async (tx) => {
    // One merchant's relays are counted and stored one at a time: the limits hold under concurrency.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('pier-relay'), hashtext($1))", [order.merchant_id]);
    const again = await pendingRelay(tx, order.id);
    if (again) return { row: again, created: false };
    await enforceLimits(ctx, tx, order.merchant_id, net.chainId, estimated);
    const id = newId("relay");
    const chainTxId = await createChainTx(tx, net, {
      signer: relayer,
      kind: "relay",
      data,
      refs: { orderIds: [order.id], relayId: id },
    });
    const { rows } = await tx.query<RelayRow>(
      `INSERT INTO relays (id, order_id, merchant_id, livemode, chain_id, payer, chain_tx_id, estimated_fee_wei)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        id,
        order.id,
        order.merchant_id,
        order.livemode,
        net.chainId,
        payer.toLowerCase(),
        chainTxId,
        estimated.toString(),
      ],
    );
    return { row: rows[0]!, created: true };
  });
  if (relay.created) {
    ctx.metrics.relays.inc({ chain_id: chainId, result: "accepted" });
    ctx.log.info({ relayId: relay.row.id, orderId: order.id, payer, gas: gas.toString() }, "payment relayed");
  }
  return { relay: relay.row, created: relay.created };
}

async function pendingRelay(db: Db, orderId: string): Promise<RelayRow | undefined> {
  const { rows } = await db.query<RelayRow>(
    "SELECT * FROM relays WHERE order_id = $1 AND status = 'pending'",
    [orderId],
  );
  return rows[0];
}

/**
 * The merchant's relays per minute, and its gas per network and UTC day (mined relays at cost, pending ones
 * at estimate): each network's fees are in its own coin, so they are never added across networks.
 */
async function enforceLimits(
  ctx: AppContext,
  tx: Db,
  merchantId: string,
  network: number,
  estimated: bigint,
) {
  const chainId = String(network);
  const { rows } = await tx.query<{ last_minute: number; spent: string }>(
    `SELECT count(*) FILTER (WHERE created_at > now() - interval '1 minute')::int AS last_minute,
            coalesce(sum(coalesce(fee_wei, estimated_fee_wei))
              FILTER (WHERE chain_id = $2 AND (status <> 'failed' OR fee_wei IS NOT NULL)), 0)::text AS spent
       FROM relays WHERE merchant_id = $1 AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    [merchantId, network],
  );
  const { last_minute, spent } = rows[0]!;
  if (last_minute >= ctx.config.relay.perMinute) {
    ctx.metrics.relays.inc({ chain_id: chainId, result: "limited" });
    throw new ApiError(
      429,
      "rate_limit_error",
      "relay_rate_limited",
      "Too many relayed payments for this shop: try again in a minute, or pay from your wallet",
      {
        headers: { "retry-after": "60" },
      },
    );
  }
  if (BigInt(spent) + estimated > ctx.config.relay.budgetWeiPerDay) {
    ctx.metrics.relays.inc({ chain_id: chainId, result: "limited" });
    throw new StateError(
      "relay_budget_exhausted",
      "This shop's relayed payments are used up for today: pay from your wallet",
      "order",
    );
  }
}

/** Called by the sender (chain/settleChainTx.ts) in its transaction when the relay's intent ends. */
export async function settleRelay(tx: Db, relayId: string, outcome: ChainTxOutcome): Promise<void> {
  const fee = outcome.gas ? feeWei(outcome.gas) : null;
  const { rows } = await tx.query<{ order_id: string }>(
    `UPDATE relays SET status = $2, gas_used = $3, fee_wei = $4, tx_hash = $5, failure_code = $6, failure_message = $7,
            updated_at = now()
      WHERE id = $1 AND status = 'pending' RETURNING order_id`,
    [
      relayId,
      outcome.ok ? "succeeded" : "failed",
      outcome.gas?.gasUsed.toString() ?? null,
      fee?.toString() ?? null,
      outcome.txHash,
      outcome.ok ? null : outcome.code,
      outcome.ok ? null : outcome.message,
    ],
  );
  // Mined, paid for, whether it succeeded or reverted: the order's cost to relay.
  if (rows[0] && fee !== null)
    await tx.query("UPDATE orders SET relay_fee_wei = coalesce(relay_fee_wei, 0) + $2 WHERE id = $1", [
      rows[0].order_id,
      fee.toString(),
    ]);
}

/** The relay as the API shows it (schemas/relay.ts). */
export function toRelayObject(r: RelayRow) {
  return {
    id: r.id,
    object: "relay" as const,
    order: r.order_id,
    status: r.status,
    chain_id: r.chain_id,
    payer: getAddress(r.payer as Address),
    estimated_fee: r.estimated_fee_wei,
    gas_used: r.gas_used,
    fee: r.fee_wei,
    tx_hash: r.tx_hash,
    failure_code: r.failure_code,
    failure_message: r.failure_message,
    created: Math.floor(r.created_at.getTime() / 1000),
  };
}
