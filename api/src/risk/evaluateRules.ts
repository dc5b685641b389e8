/**
 * The rules engine proper: pure functions from what is known about an order, a payment or a fiat session
 * (the facts, gathered by gatherFacts.ts) and the merchant's rules to an outcome and the findings that
 * led to it. A rule only runs when its facts are there, so each stage checks what it can know.
 */
import type { Outcome, RiskAction, RiskRulesT, RuleName } from "./rules.ts";

export type Stage = "order" | "payment" | "fiat_session";

export interface Window {
  count: number;
  volume: bigint;
}

export interface Facts {
  stage: Stage;
  amount: bigint;
  payer?: string;
  /** The payer address (or, for a fiat session, the customer's IP) is on the blocklist. */
  blocked?: boolean;
  /** What was blocklisted (payer address or customer IP). */
  blockedEntry?: string;
  payerWindow?: Window;
  merchantWindow?: Window;
  /** Seconds since Pier first saw this payer (0 when this is the first time). */
  payerAgeSeconds?: number;
  /** The payer's transaction count on chain. */
  payerNonce?: number;
  country?: string;
  recentFiatFailures?: number;
}

export interface Finding {
  rule: RuleName;
  action: RiskAction;
  message: string;
  evidence: Record<string, string | number | boolean | null>;
}

export interface Evaluation {
  outcome: Outcome;
  findings: Finding[];
}

const SEVERITY: Record<Outcome, number> = { allow: 0, flag: 1, hold: 2, block: 3 };

export function evaluateRules(rules: RiskRulesT, facts: Facts): Evaluation {
  const findings: Finding[] = [];
  const fire = (rule: RuleName, message: string, evidence: Finding["evidence"]) => {
    findings.push({
      rule,
      action: effectiveAction(facts.stage, rule, rules[rule].action),
      message,
      evidence,
    });
  };

  const amountRule = rules.amount_limit;
  if (amountRule.enabled && facts.stage !== "payment") {
    if (amountRule.max_amount !== undefined && facts.amount > BigInt(amountRule.max_amount)) {
      fire("amount_limit", `amount ${facts.amount} is above the limit ${amountRule.max_amount}`, {
        amount: facts.amount.toString(),
        max_amount: amountRule.max_amount,
      });
    } else if (amountRule.min_amount !== undefined && facts.amount < BigInt(amountRule.min_amount)) {
      fire("amount_limit", `amount ${facts.amount} is below the minimum ${amountRule.min_amount}`, {
        amount: facts.amount.toString(),
        min_amount: amountRule.min_amount,
      });
    }
  }

  velocity("payer_velocity", rules.payer_velocity, facts.payerWindow, `payer ${facts.payer ?? ""}`);
  velocity("merchant_velocity", rules.merchant_velocity, facts.merchantWindow, "merchant");

  const fresh = rules.fresh_wallet;
  if (fresh.enabled && facts.payerAgeSeconds !== undefined) {
    const young = facts.payerAgeSeconds < fresh.min_age_seconds;
    const unused = fresh.check_nonce && facts.payerNonce === 0;
    if (young || unused) {
      fire(
        "fresh_wallet",
        young
          ? `payer first seen ${facts.payerAgeSeconds} s ago (minimum ${fresh.min_age_seconds} s)`
          : "payer has never sent a transaction",
        {
          payer: facts.payer ?? null,
          age_seconds: facts.payerAgeSeconds,
          min_age_seconds: fresh.min_age_seconds,
          nonce: facts.payerNonce ?? null,
        },
      );
    }
  }

  if (rules.blocklist.enabled && facts.blocked) {
    const entry = facts.blockedEntry ?? facts.payer ?? "";
    fire("blocklist", `${entry} is on the blocklist`, { entry, payer: facts.payer ?? null });
  }

  const country = rules.fiat_country;
  if (country.enabled && facts.country !== undefined && country.allowed_countries.length > 0) {
    if (!country.allowed_countries.includes(facts.country)) {
      fire("fiat_country", `country ${facts.country} is not allowed for this merchant`, {
        country: facts.country,
        allowed_countries: country.allowed_countries.join(","),
      });
    }
  }

  const failures = rules.fiat_failures;
  if (failures.enabled && facts.recentFiatFailures !== undefined) {
    if (facts.recentFiatFailures >= failures.max_failures) {
      fire(
        "fiat_failures",
        `${facts.recentFiatFailures} failed fiat attempts in the last ${failures.window_seconds} s (limit ${failures.max_failures})`,
        {
          failures: facts.recentFiatFailures,
          max_failures: failures.max_failures,
          window_seconds: failures.window_seconds,
        },
      );
    }
  }

  let outcome: Outcome = "allow";
  for (const f of findings) if (SEVERITY[f.action] > SEVERITY[outcome]) outcome = f.action;
  return { outcome, findings };

  function velocity(
    rule: "payer_velocity" | "merchant_velocity",
    cfg: RiskRulesT["payer_velocity"],
    window: Window | undefined,
    who: string,
  ) {
    if (!cfg.enabled || !window) return;
    const overCount = cfg.max_count !== undefined && window.count > cfg.max_count;
    const overVolume = cfg.max_volume !== undefined && window.volume > BigInt(cfg.max_volume);
    if (!overCount && !overVolume) return;
    fire(
      rule,
      overCount
        ? `${window.count} by ${who.trim()} in ${cfg.window_seconds} s (limit ${cfg.max_count})`
        : `volume ${window.volume} by ${who.trim()} in ${cfg.window_seconds} s (limit ${cfg.max_volume})`,
      {
        count: window.count,
        volume: window.volume.toString(),
        window_seconds: cfg.window_seconds,
        max_count: cfg.max_count ?? null,
        max_volume: cfg.max_volume ?? null,
      },
    );
  }
}

/**
 * What a rule's action means at a stage. A payment already on chain cannot be refused: the strongest
 * thing left is to hold it. A blocklisted fiat customer is refused outright: holding the escrow would
 * only hold the treasury's money after the customer's was taken.
 */
function effectiveAction(stage: Stage, rule: RuleName, action: RiskAction): RiskAction {
  if (stage === "payment" && action === "block") return "hold";
  if (stage === "fiat_session" && rule === "blocklist") return "block";
  return action;
}

/** Which rules the facts of a stage need (so nothing is queried for a rule that is off). */
export function neededFacts(rules: RiskRulesT, stage: Stage) {
  return {
    payerWindow: stage === "payment" && rules.payer_velocity.enabled,
    merchantWindow: stage !== "fiat_session" && rules.merchant_velocity.enabled,
    payerAge: stage === "payment" && rules.fresh_wallet.enabled,
    payerNonce: stage === "payment" && rules.fresh_wallet.enabled && rules.fresh_wallet.check_nonce,
    fiatFailures: stage === "fiat_session" && rules.fiat_failures.enabled,
  };
}
