/**
 * The risk check of a new fiat session, for the fiat session route: the customer's country against the
 * merchant's allowed countries, repeated failed attempts by the same customer, the amount limit and the
 * blocklist (when the session names a payer address). Throws RiskBlockedError (400 risk_blocked) on
 * `block`; returns the evaluation otherwise. The route reports failed attempts with recordFiatFailure.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { countEvaluation } from "./assessOrder.ts";
import { type Evaluation, evaluateRules } from "./evaluateRules.ts";
import { gatherFacts } from "./gatherFacts.ts";
import { RiskBlockedError } from "./RiskBlockedError.ts";
import { getRiskSettings } from "./riskSettings.ts";

export interface FiatSessionRiskInput {
  merchantId: string;
  livemode: boolean;
  /** Token units the session will fund. */
  amount: bigint;
  /** ISO 3166-1 alpha-2 country of the customer, when known. */
  country?: string;
  /** A stable reference to the customer (e-mail hash, provider payer id, ...). */
  customerRef?: string;
  payer?: string;
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

/** A declined or failed fiat attempt, counted by the repeated-failures rule. */
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
