/**
 * The risk hook of order creation: evaluated before the order is stored, so a blocked order is never
 * created (400 risk_blocked); a flagged one is stored with its review and `risk.flagged`.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import type { OrderRow } from "../orders/orderRow.ts";
import { type Evaluation, evaluateRules } from "./evaluateRules.ts";
import { gatherFacts } from "./gatherFacts.ts";
import { RiskBlockedError } from "./RiskBlockedError.ts";
import { recordReview } from "./reviews.ts";
import { getRiskSettings } from "./riskSettings.ts";

/** Throws RiskBlockedError on `block`; otherwise returns the evaluation to record once the order exists. */
export async function assessNewOrder(
  ctx: AppContext,
  db: Db,
  input: { merchantId: string; livemode: boolean; amount: bigint },
): Promise<Evaluation> {
  const { rules } = await getRiskSettings(ctx, db, input.merchantId, input.livemode);
  const facts = await gatherFacts(ctx, db, rules, { stage: "order", ...input });
  const evaluation = evaluateRules(rules, facts);
  countEvaluation(ctx, "order", evaluation);
  if (evaluation.outcome === "block") throw new RiskBlockedError(evaluation.findings);
  return evaluation;
}

/** Stores the flag of a just-created order (a hold needs a payment: it is decided when one is seen). */
export async function recordOrderRisk(
  ctx: AppContext,
  db: Db,
  order: OrderRow,
  evaluation: Evaluation,
): Promise<void> {
  if (evaluation.outcome === "allow") return;
  await recordReview(ctx, db, {
    order,
    stage: "order",
    outcome: "flag",
    findings: evaluation.findings,
  });
}

export function countEvaluation(ctx: AppContext, stage: string, evaluation: Evaluation): void {
  ctx.metrics.riskEvaluations.inc({ stage, outcome: evaluation.outcome });
  for (const f of evaluation.findings) ctx.metrics.riskRulesFired.inc({ rule: f.rule, action: f.action });
}
