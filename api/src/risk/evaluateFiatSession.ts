/**
 * The risk check of a new fiat session: the customer's country against the merchant's allowed
 * countries, repeated failed fiat attempts, the amount limit and the blocklist (the customer's IP: a
 * fiat customer has no wallet address). Throws RiskBlockedError (400 risk_blocked) on `block`; a flag or
 * hold is stored as a review of the order (a hold is placed on chain once the bridge has funded it).
 *
 * checkFiatSessionRisk is the one call the fiat session route makes. The country comes from the header
 * named by PIER_RISK_COUNTRY_HEADER (set by the edge proxy from GeoIP, e.g. `cf-ipcountry`); without it
 * the country rule has nothing to check.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import type { OrderRow } from "../orders/orderRow.ts";
import { countEvaluation } from "./assessOrder.ts";
import { type Evaluation, evaluateRules } from "./evaluateRules.ts";
import { gatherFacts } from "./gatherFacts.ts";
import { RiskBlockedError } from "./RiskBlockedError.ts";
import { recordReview } from "./reviews.ts";
import { getRiskSettings } from "./riskSettings.ts";

export interface FiatSessionRiskInput {
  merchantId: string;
  livemode: boolean;
  /** Token units the session will fund. */
  amount: bigint;
  orderId?: string;
  /** ISO 3166-1 alpha-2 country of the customer, when known. */
  country?: string;
  /** A stable reference to the customer (provider payer id, e-mail hash ...), when known. */
  customerRef?: string;
  customerIp?: string;
}

export async function evaluateFiatSession(
  ctx: AppContext,
  db: Db,
  input: FiatSessionRiskInput,
): Promise<Evaluation> {
  const { rules } = await getRiskSettings(ctx, db, input.merchantId, input.livemode);
  const facts = await gatherFacts(ctx, db, rules, {
    stage: "fiat_session",
    ...input,
    country: input.country?.toUpperCase(),
  });
  const evaluation = evaluateRules(rules, facts);
  countEvaluation(ctx, "fiat_session", evaluation);
  if (evaluation.outcome === "block") throw new RiskBlockedError(evaluation.findings);
  return evaluation;
}

/** For POST /v1/checkout/:id/fiat/sessions, before the session is created. */
export async function checkFiatSessionRisk(
  ctx: AppContext,
  orderId: string,
  req: { ip: string; headers: IncomingHttpHeaders },
): Promise<void> {
  const { rows } = await ctx.pool.query<OrderRow>("SELECT * FROM orders WHERE id = $1", [orderId]);
  const order = rows[0];
  if (!order) return; // the route answers 404 itself
  const header = ctx.config.risk.countryHeader;
  const raw = header ? req.headers[header] : undefined;
  const country = typeof raw === "string" && /^[A-Za-z]{2}$/.test(raw) ? raw.toUpperCase() : undefined;
  const evaluation = await evaluateFiatSession(ctx, ctx.pool, {
    merchantId: order.merchant_id,
    livemode: order.livemode,
    amount: BigInt(order.amount),
    orderId: order.id,
    country,
    customerIp: req.ip,
  });
  if (evaluation.outcome === "allow" || evaluation.outcome === "block") return;
  await recordReview(ctx, ctx.pool, {
    order,
    stage: "fiat_session",
    outcome: evaluation.outcome,
    findings: evaluation.findings,
  });
}

/** A declined or failed fiat attempt known by a customer reference, counted by fiat_failures. */
export async function recordFiatFailure(
  db: Db,
  input: { merchantId: string; customerRef: string; reason?: string },
): Promise<void> {
  await db.query("INSERT INTO risk_fiat_failures (merchant_id, customer_ref, reason) VALUES ($1, $2, $3)", [
    input.merchantId,
    input.customerRef,
    input.reason ?? null,
  ]);
}
