/** A `fiat_session` row, its public JSON shape (the checkout polls it) and its row lock. */
import type { Db } from "../db/pool.ts";

export interface FiatSessionRow {
  id: string;
  order_id: string;
  merchant_id: string;
  livemode: boolean;
  provider: string;
  provider_ref: string | null;
  wallet: string | null;
  quote_id: string;
  fiat_currency: string;
  fiat_amount: string;
  token_amount: string;
  approval_url: string | null;
  client_secret: string | null;
  status: string;
  provider_status: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: Date;
  updated_at: Date;
}

export function toFiatSessionObject(row: FiatSessionRow) {
  return {
    id: row.id,
    object: "fiat_session" as const,
    livemode: row.livemode,
    order: row.order_id,
    provider: row.provider,
    wallet: row.wallet,
    status: row.status,
    amount: row.fiat_amount,
    currency: row.fiat_currency,
    token_amount: row.token_amount,
    fx_quote: row.quote_id,
    approval_url: row.approval_url,
    client_secret: row.client_secret,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    created: Math.floor(row.created_at.getTime() / 1000),
  };
}

/**
 * Locks a session's row for the rest of the transaction. Every transaction that changes a session and
 * its capture takes this lock first: the funding path (fundCapture.ts) holds the session while it
 * inserts the capture, so a refund that changed the capture first and the session second could deadlock
 * with it.
 */
export async function lockSession(tx: Db, sessionId: string): Promise<void> {
  await tx.query("SELECT 1 FROM fiat_session WHERE id = $1 FOR UPDATE", [sessionId]);
}
