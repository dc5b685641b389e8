/**
 * What reconciliation compares, one SQL query per kind of mismatch. Each returns the findings it sees
 * right now, keyed by (kind, subject) so the same mismatch is stored once however often it is seen.
 * Differences younger than the grace period are left alone: the syncer and the bridge are still at work.
 *
 * Crypto (orders vs the indexer's payments vs the API's refunds):
 *   paid_not_credited         a payment is on chain (indexed) but the order does not show it
 *   credited_without_payment  the order shows a payment that the indexer does not have
 *   amount_mismatch           the paid amount differs from the order's signed amount
 *   token_mismatch            the paid token differs from the order's token
 *   refund_not_on_chain       the API marked more refunded than the chain shows
 * Fiat (captures vs fundings vs on-chain payments vs provider refunds; only once the bridge's tables
 * exist, see api/src/fiat/README.md):
 *   fiat_captured_not_funded  the provider captured money but no escrow funding completed
 *   fiat_funded_twice         an order was paid on chain by someone else as well as captured in fiat,
 *                             or has more than one live capture
 *   fiat_refund_one_side      a refund went through on chain but not at the provider, or the reverse
 */
import type { IndexerTables } from "../indexer/indexerTables.ts";

export interface FoundRow {
  kind: string;
  subject: string;
  merchant_id: string | null;
  livemode: boolean;
  order_id: string | null;
  details: Record<string, unknown>;
}

export interface Check {
  kind: string;
  fiat?: boolean;
  /** $1 chain id, $2 grace in seconds, $3 the chain head's timestamp (chain time, for on-chain times). */
  sql: (t: IndexerTables) => string;
}

export const CHECKS: Check[] = [
  {
    kind: "paid_not_credited",
    sql: (t) => `
      SELECT 'paid_not_credited' AS kind, o.id AS subject, o.merchant_id, o.livemode, o.id AS order_id,
             jsonb_build_object('order_status', o.status, 'payment_id', p.id, 'paid_tx_hash', p.paid_tx_hash,
                                'amount', p.amount::text, 'payer', p.payer) AS details
        FROM orders o JOIN ${t.payment} p ON p.chain_id = o.chain_id AND p.id = o.payment_id
       WHERE o.chain_id = $1 AND o.status IN ('open', 'expired', 'canceled')
         AND p.paid_at < $3::bigint - $2`,
  },
  {
    kind: "credited_without_payment",
    sql: (t) => `
      SELECT 'credited_without_payment' AS kind, o.id AS subject, o.merchant_id, o.livemode, o.id AS order_id,
             jsonb_build_object('order_status', o.status, 'payment_id', o.payment_id,
                                'claimed_tx_hash', o.payment->>'tx_hash') AS details
        FROM orders o
       WHERE o.chain_id = $1 AND o.payment IS NOT NULL
         AND o.status IN ('processing', 'escrowed', 'settled', 'disputed', 'refunded')
         AND o.status_changed_at < now() - make_interval(secs => $2)
         AND NOT EXISTS (SELECT 1 FROM ${t.payment} p WHERE p.chain_id = o.chain_id AND p.id = o.payment_id)`,
  },
  {
    kind: "amount_mismatch",
    sql: (t) => `
      SELECT 'amount_mismatch' AS kind, o.id AS subject, o.merchant_id, o.livemode, o.id AS order_id,
             jsonb_build_object('order_amount', o.amount::text, 'paid_amount', p.amount::text,
                                'payment_id', p.id) AS details
        FROM orders o JOIN ${t.payment} p ON p.chain_id = o.chain_id AND p.id = o.payment_id
       WHERE o.chain_id = $1 AND p.amount <> o.amount AND $2::int >= 0`,
  },
  {
    kind: "token_mismatch",
    sql: (t) => `
      SELECT 'token_mismatch' AS kind, o.id AS subject, o.merchant_id, o.livemode, o.id AS order_id,
             jsonb_build_object('order_token', o.token, 'paid_token', p.token, 'payment_id', p.id) AS details
        FROM orders o JOIN ${t.payment} p ON p.chain_id = o.chain_id AND p.id = o.payment_id
       WHERE o.chain_id = $1 AND lower(p.token) <> lower(o.token) AND $2::int >= 0 AND $3::bigint > 0`,
  },
  {
    kind: "refund_not_on_chain",
    sql: (t) => `
      SELECT 'refund_not_on_chain' AS kind, o.id AS subject, o.merchant_id, o.livemode, o.id AS order_id,
             jsonb_build_object('api_refunded', r.total::text, 'chain_refunded', coalesce(p.amount_refunded, 0)::text)
               AS details
        FROM orders o
        JOIN (SELECT order_id, sum(amount) AS total, max(completed_at) AS last FROM refunds
               WHERE status = 'succeeded' GROUP BY order_id) r ON r.order_id = o.id
        LEFT JOIN ${t.payment} p ON p.chain_id = o.chain_id AND p.id = o.payment_id
       WHERE o.chain_id = $1 AND r.total > coalesce(p.amount_refunded, 0)
         AND r.last < now() - make_interval(secs => $2)`,
  },
  {
    kind: "fiat_captured_not_funded",
    fiat: true,
    sql: () => `
      SELECT 'fiat_captured_not_funded' AS kind, c.provider || ':' || c.capture_ref AS subject,
             o.merchant_id, o.livemode, o.id AS order_id,
             jsonb_build_object('provider', c.provider, 'capture_ref', c.capture_ref, 'fiat_amount', c.fiat_amount,
                                'fiat_currency', c.fiat_currency, 'funding_status', f.status) AS details
        FROM fiat_capture c JOIN orders o ON o.id = c.order_id
        LEFT JOIN fiat_funding f ON f.provider = c.provider AND f.capture_ref = c.capture_ref
       WHERE o.chain_id = $1 AND c.status = 'captured' AND coalesce(f.status, 'none') <> 'funded'
         AND c.captured_at < now() - make_interval(secs => $2)`,
  },
  {
    kind: "fiat_funded_twice",
    fiat: true,
    sql: (t) => `
      SELECT 'fiat_funded_twice' AS kind, o.id AS subject, o.merchant_id, o.livemode, o.id AS order_id,
             jsonb_build_object('live_captures', x.captures, 'onchain_payer', p.payer,
                                'treasury', f.treasury, 'method', p.method) AS details
        FROM orders o
        JOIN (SELECT order_id, count(*) AS captures, max(captured_at) AS last FROM fiat_capture
               WHERE status = 'captured' GROUP BY order_id) x ON x.order_id = o.id
        LEFT JOIN fiat_funding f ON f.order_id = o.id
        LEFT JOIN ${t.payment} p ON p.chain_id = o.chain_id AND p.id = o.payment_id
       WHERE o.chain_id = $1 AND x.last < now() - make_interval(secs => $2)
         AND (x.captures > 1
              OR (p.id IS NOT NULL AND (f.id IS NULL OR lower(p.payer) <> lower(f.treasury))))`,
  },
  {
    kind: "fiat_refund_one_side",
    fiat: true,
    sql: (t) => `
      SELECT 'fiat_refund_one_side' AS kind, 'refund:' || r.id AS subject, r.merchant_id, r.livemode,
             r.order_id, jsonb_build_object('refund', r.id, 'onchain_status', r.status,
                                            'provider_status', coalesce(fr.status, 'none')) AS details
        FROM refunds r JOIN fiat_funding f ON f.order_id = r.order_id
        LEFT JOIN fiat_refund fr ON fr.refund_id = r.id
       WHERE r.status = 'succeeded' AND coalesce(fr.status, 'none') <> 'succeeded'
         AND r.completed_at < now() - make_interval(secs => $2) AND f.chain_id = $1
      UNION ALL
      SELECT 'fiat_refund_one_side', 'capture:' || c.provider || ':' || c.capture_ref, o.merchant_id, o.livemode,
             o.id, jsonb_build_object('capture_ref', c.capture_ref, 'provider_status', c.status,
                                      'chain_refunded', coalesce(p.amount_refunded, 0)::text)
        FROM fiat_capture c JOIN orders o ON o.id = c.order_id
        LEFT JOIN ${t.payment} p ON p.chain_id = o.chain_id AND p.id = o.payment_id
       WHERE o.chain_id = $1 AND c.status = 'refunded' AND coalesce(p.amount_refunded, 0) = 0
         AND c.captured_at < now() - make_interval(secs => $2)
         -- A capture that never funded the escrow (bridge/unfundable.ts refunds it at the provider
         -- only) has nothing to refund on chain.
         AND EXISTS (SELECT 1 FROM fiat_funding ff
                      WHERE ff.provider = c.provider AND ff.capture_ref = c.capture_ref AND ff.status = 'funded')`,
  },
];
