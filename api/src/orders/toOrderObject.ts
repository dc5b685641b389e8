/** Renders an order row as the API's `order` object (and the public `checkout` object). */
import type { PaymentTermsJson } from "@pier/contracts/termsJson";
import type { Address } from "viem";
import { relaysPayments } from "../chain/chainContext.ts";
import { tokenInfoOf } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { CheckoutOptionT, OrderT } from "../schemas/order.ts";
import type { OrderRow, PaymentSnapshot } from "./orderRow.ts";
import type { SignedOrderRow } from "./signedOrder.ts";

const unix = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);
const num = (s: string | null) => (s === null ? null : Number(s));

/** The order's signed terms as JSON (@pier/contracts/termsJson `PaymentTermsJson`). */
export function termsJsonOf(row: OrderRow): PaymentTermsJson {
  return {
    order_id: row.onchain_order_id,
    merchant: row.payout_address,
    token: row.token,
    amount: row.amount,
    fee: row.fee,
    deadline: row.deadline,
    escrow_period: row.escrow_period,
    operator: row.operator,
  };
}

function paymentOf(ctx: AppContext, chainId: number, p: PaymentSnapshot | null) {
  if (!p) return null;
  const head = ctx.networks.byId.get(chainId)?.head.current?.number;
  const block = BigInt(p.block_number);
  return {
    payer: p.payer,
    refund_to: p.refund_to,
    method: p.method,
    tx_hash: p.tx_hash,
    block_number: Number(block),
    block_hash: p.block_hash,
    paid_at: Number(p.paid_at),
    release_after: Number(p.release_after),
    confirmations: head !== undefined && head >= block ? Number(head - block + 1n) : 1,
    held: p.held,
    released_at: num(p.released_at),
    released_tx_hash: p.released_tx_hash,
    released_early: p.released_early,
    merchant_credited: p.merchant_credited ?? "0",
    refund_credited: p.refund_credited ?? "0",
  };
}

export function checkoutUrl(ctx: AppContext, id: string): string {
  return `${ctx.config.checkoutBaseUrl}/pay/${id}`;
}

/**
 * The order's token as the network describes it. A row on a network or token no longer configured
 * keeps its address; its symbol and decimals are then unknown ("?", 0) rather than borrowed.
 */
function tokenOf(ctx: AppContext, chainId: number, address: string) {
  const t = tokenInfoOf(ctx.networks, chainId, address);
  return {
    address: address as Address,
    symbol: t?.symbol ?? "?",
    decimals: t?.decimals ?? 0,
    peg: t?.peg ?? null,
    methods: t?.methods ?? [],
  };
}

/** The network an order is paid on: its name, whether it is a testnet, its explorer. */
export function networkObjectOf(ctx: AppContext, chainId: number) {
  const net = ctx.networks.byId.get(chainId);
  return {
    chain_id: chainId,
    name: net?.name ?? `chain ${chainId}`,
    testnet: net?.testnet ?? true,
    explorer_url: net?.explorerUrl ?? null,
  };
}

function fiatOf(row: OrderRow) {
  return row.fiat_amount && row.fiat_currency && row.fx_rate
    ? { amount: row.fiat_amount, currency: row.fiat_currency, rate: row.fx_rate }
    : null;
}

export function toOrderObject(ctx: AppContext, row: OrderRow): OrderT {
  const p = row.payment;
  const token = tokenOf(ctx, row.chain_id, row.token);
  return {
    id: row.id,
    object: "order",
    livemode: row.livemode,
    status: row.status,
    amount: row.amount,
    amount_refunded: row.amount_refunded,
    amount_released: row.amount_released,
    fee: row.fee,
    fee_paid: row.fee_paid,
    relay_fee: row.relay_fee_wei,
    currency: token.symbol,
    token,
    fiat: fiatOf(row),
    fiat_payment: row.fiat_payment ?? null,
    description: row.description,
    metadata: row.metadata,
    chain_id: row.chain_id,
    network: networkObjectOf(ctx, row.chain_id),
    escrow: row.escrow,
    onchain_order_id: row.onchain_order_id,
    payment_id: row.payment_id,
    checkout_url: checkoutUrl(ctx, row.id),
    success_url: row.success_url,
    cancel_url: row.cancel_url,
    expires_at: Number(row.deadline),
    escrow_period: Number(row.escrow_period),
    created: unix(row.created_at)!,
    canceled_at: unix(row.canceled_at),
    terms: termsJsonOf(row),
    signature: row.signature,
    payment: paymentOf(ctx, row.chain_id, p),
    dispute: p?.disputed
      ? {
          status: p.resolved_at ? "resolved" : "open",
          opened_at: num(p.disputed_at),
          resolved_at: num(p.resolved_at),
        }
      : null,
  };
}

/** The public part of `fiat_payment`: what the customer paid and how, not the bridge's internal ids. */
function checkoutFiatPaymentOf(row: SignedOrderRow & { fiat_captured_at?: string | null }) {
  const f = row.fiat_payment;
  if (!f) return null;
  return {
    amount: f.amount,
    currency: f.currency,
    provider: f.provider,
    wallet: f.wallet,
    paid_at: row.fiat_captured_at == null ? null : Number(row.fiat_captured_at),
  };
}

export function toCheckoutObject(
  ctx: AppContext,
  row: SignedOrderRow & { fiat_captured_at?: string | null },
  merchantName: string,
  options: CheckoutOptionT[] = [],
) {
  const p = row.payment;
  const token = tokenOf(ctx, row.chain_id, row.token);
  const net = ctx.networks.byId.get(row.chain_id);
  const head = net?.head.current;
  return {
    id: row.id,
    object: "checkout" as const,
    livemode: row.livemode,
    status: row.status,
    amount: row.amount,
    amount_refunded: row.amount_refunded,
    currency: token.symbol,
    token,
    fiat: fiatOf(row),
    fiat_payment: checkoutFiatPaymentOf(row),
    description: row.description,
    merchant_name: merchantName,
    chain_id: row.chain_id,
    network: networkObjectOf(ctx, row.chain_id),
    escrow: row.escrow,
    expires_at: Number(row.deadline),
    chain_time: head ? Number(head.timestamp) : null,
    success_url: row.success_url,
    cancel_url: row.cancel_url,
    terms: termsJsonOf(row),
    signature: row.signature,
    payment_record: p
      ? { terms: termsJsonOf(row), payer: p.payer, refund_to: p.refund_to, release_after: p.release_after }
      : null,
    payment: paymentOf(ctx, row.chain_id, p),
    gasless: net ? relaysPayments(net, row.token) : false,
    paymaster_url: net?.paymasterUrl ?? null,
    options,
  };
}
