/**
 * Gathers the facts the enabled rules need, and nothing more: sliding-window counts from Pier's own
 * tables (orders, risk_payer_activity, risk_fiat_failures), the blocklist, and the payer's nonce over
 * RPC. The observed payment being assessed is already in risk_payer_activity, so windows include it.
 */
import type { Address } from "viem";
import { homeNetwork, networkOf } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { type Facts, neededFacts, type Stage, type Window } from "./evaluateRules.ts";
import type { RiskRulesT } from "./rules.ts";

export interface FactInput {
  stage: Stage;
  merchantId: string;
  livemode: boolean;
  amount: bigint;
  payer?: string;
  orderId?: string;
  /** The network the payment is on (payer nonce); default the first network. */
  chainId?: number;
  country?: string;
  customerRef?: string;
  /** Fiat sessions: the customer's IP, checked against the blocklist. */
  customerIp?: string;
}

export async function gatherFacts(
  ctx: AppContext,
  db: Db,
  rules: RiskRulesT,
  input: FactInput,
): Promise<Facts> {
  const need = neededFacts(rules, input.stage);
  const facts: Facts = { stage: input.stage, amount: input.amount, payer: input.payer };
  if (rules.blocklist.enabled) {
    const list = ctx.blocklist;
    for (const entry of [input.payer, input.customerIp]) {
      if (entry && (await list.has(entry))) {
        facts.blocked = true;
        facts.blockedEntry = entry;
        break;
      }
    }
  }
  if (need.payerWindow && input.payer) {
    facts.payerWindow = await windowOf(
      db,
      "SELECT count(*)::int AS count, coalesce(sum(amount), 0)::text AS volume FROM risk_payer_activity WHERE payer = $1 AND observed_at > now() - make_interval(secs => $2)",
      [input.payer.toLowerCase(), rules.payer_velocity.window_seconds],
    );
  }
  if (need.merchantWindow) {
    const seconds = rules.merchant_velocity.window_seconds;
    facts.merchantWindow =
      input.stage === "order"
        ? // The order being created is not stored yet: count it in.
          plusOne(
            await windowOf(
              db,
              "SELECT count(*)::int AS count, coalesce(sum(amount), 0)::text AS volume FROM orders WHERE merchant_id = $1 AND livemode = $2 AND created_at > now() - make_interval(secs => $3)",
              [input.merchantId, input.livemode, seconds],
            ),
            input.amount,
          )
        : await windowOf(
            db,
            "SELECT count(*)::int AS count, coalesce(sum(amount), 0)::text AS volume FROM risk_payer_activity WHERE merchant_id = $1 AND observed_at > now() - make_interval(secs => $2)",
            [input.merchantId, seconds],
          );
  }
  if (need.payerAge && input.payer) {
    const { rows } = await db.query<{ age: number | null }>(
      "SELECT floor(extract(epoch FROM now() - min(observed_at)))::int AS age FROM risk_payer_activity WHERE payer = $1 AND order_id IS DISTINCT FROM $2",
      [input.payer.toLowerCase(), input.orderId ?? null],
    );
    facts.payerAgeSeconds = rows[0]?.age ?? 0;
  }
  if (need.payerNonce && input.payer) {
    const net =
      input.chainId === undefined
        ? homeNetwork(ctx.networks, input.livemode)
        : networkOf(ctx.networks, input.chainId);
    facts.payerNonce = await net.client.getTransactionCount({ address: input.payer as Address });
  }
  if (need.fiatFailures) {
    // Failed fiat sessions of this order (card testing on one checkout), plus failures the fiat route
    // reported for this customer reference.
    const { rows } = await db.query<{ count: number }>(
      `SELECT (SELECT count(*) FROM fiat_session WHERE order_id = $1 AND status IN ('declined', 'failed', 'reversed')
                 AND updated_at > now() - make_interval(secs => $3))
            + (SELECT count(*) FROM risk_fiat_failures WHERE customer_ref = $2
                 AND failed_at > now() - make_interval(secs => $3)) AS count`,
      [input.orderId ?? null, input.customerRef ?? null, rules.fiat_failures.window_seconds],
    );
    facts.recentFiatFailures = Number(rows[0]?.count ?? 0);
  }
  if (input.country !== undefined) facts.country = input.country;
  return facts;
}

async function windowOf(db: Db, sql: string, params: unknown[]): Promise<Window> {
  const { rows } = await db.query<{ count: number; volume: string }>(sql, params);
  return { count: rows[0]?.count ?? 0, volume: BigInt(rows[0]?.volume ?? "0") };
}

function plusOne(w: Window, amount: bigint): Window {
  return { count: w.count + 1, volume: w.volume + amount };
}
