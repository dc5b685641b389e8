/** 400 risk_blocked: a risk rule refuses this order or fiat session; the message names the rule. */
import { ApiError } from "../errors.ts";
import type { Finding } from "./evaluateRules.ts";

const PARAM_OF: Partial<Record<Finding["rule"], string>> = {
  amount_limit: "amount",
  fiat_country: "country",
};

export class RiskBlockedError extends ApiError {
  constructor(findings: Finding[]) {
    const blocking = findings.filter((f) => f.action === "block");
    const first = blocking[0] ?? findings[0];
    super(
      400,
      "invalid_request_error",
      "risk_blocked",
      `Refused by risk rule ${blocking.map((f) => `${f.rule} (${f.message})`).join("; ")}`,
      { param: first ? PARAM_OF[first.rule] : undefined },
    );
  }
}
