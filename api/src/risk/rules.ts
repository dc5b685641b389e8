/**
 * A merchant's risk rules: which checks run, their thresholds and what each does when it fires.
 * Stored per merchant and mode as JSON (risk_settings.rules); keys left out take DEFAULT_RULES, so a
 * merchant who never touched them gets the blocklist only (the other checks need thresholds that only
 * the merchant can choose).
 */
import Type, { type Static } from "typebox";

export const ACTIONS = ["flag", "hold", "block"] as const;
export type RiskAction = (typeof ACTIONS)[number];
export type Outcome = "allow" | RiskAction;

const Action = Type.Union([Type.Literal("flag"), Type.Literal("hold"), Type.Literal("block")], {
  description:
    "flag: proceed and alert · hold: operator hold on chain until reviewed · block: refuse the order or fiat session (on an observed payment, which cannot be refused, block acts as hold)",
});
const Amount = Type.String({ pattern: "^(0|[1-9][0-9]{0,77})$", description: "Token units." });
const Window = Type.Integer({ minimum: 1, maximum: 30 * 86_400, description: "Sliding window in seconds." });
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });

export const RiskRules = Type.Object(
  {
    amount_limit: Type.Object(
      {
        enabled: Type.Boolean(),
        max_amount: Type.Optional(Amount),
        min_amount: Type.Optional(Amount),
        action: Action,
      },
      { additionalProperties: false, description: "Order amount outside [min_amount, max_amount]." },
    ),
    payer_velocity: Type.Object(
      {
        enabled: Type.Boolean(),
        window_seconds: Window,
        max_count: Type.Optional(Count),
        max_volume: Type.Optional(Amount),
        action: Action,
      },
      {
        additionalProperties: false,
        description: "Payments by one payer address (any merchant) in the window, this one included.",
      },
    ),
    merchant_velocity: Type.Object(
      {
        enabled: Type.Boolean(),
        window_seconds: Window,
        max_count: Type.Optional(Count),
        max_volume: Type.Optional(Amount),
        action: Action,
      },
      {
        additionalProperties: false,
        description:
          "Orders created (at creation) or payments observed (at payment) for this merchant in the window, this one included.",
      },
    ),
    fresh_wallet: Type.Object(
      {
        enabled: Type.Boolean(),
        min_age_seconds: Type.Integer({ minimum: 0, maximum: 365 * 86_400 }),
        check_nonce: Type.Boolean({ description: "Also fire when the payer has never sent a transaction." }),
        action: Action,
      },
      { additionalProperties: false, description: "Payer first seen by Pier less than min_age_seconds ago." },
    ),
    blocklist: Type.Object(
      { enabled: Type.Boolean(), action: Action },
      {
        additionalProperties: false,
        description: "Payer on the operator's blocklist (PIER_RISK_BLOCKLIST).",
      },
    ),
    fiat_country: Type.Object(
      {
        enabled: Type.Boolean(),
        allowed_countries: Type.Array(Type.String({ pattern: "^[A-Z]{2}$" }), { maxItems: 250 }),
        action: Action,
      },
      { additionalProperties: false, description: "Fiat customer's country not in allowed_countries." },
    ),
    fiat_failures: Type.Object(
      { enabled: Type.Boolean(), window_seconds: Window, max_failures: Count, action: Action },
      {
        additionalProperties: false,
        description: "The customer already failed max_failures fiat attempts in the window.",
      },
    ),
  },
  { additionalProperties: false },
);
export type RiskRulesT = Static<typeof RiskRules>;
export type RuleName = keyof RiskRulesT;

export const DEFAULT_RULES: RiskRulesT = {
  amount_limit: { enabled: false, action: "block" },
  payer_velocity: { enabled: false, window_seconds: 3600, action: "hold" },
  merchant_velocity: { enabled: false, window_seconds: 3600, action: "flag" },
  fresh_wallet: { enabled: false, min_age_seconds: 0, check_nonce: true, action: "flag" },
  blocklist: { enabled: true, action: "hold" },
  fiat_country: { enabled: false, allowed_countries: [], action: "block" },
  fiat_failures: { enabled: false, window_seconds: 3600, max_failures: 3, action: "block" },
};

/** A partial update: each rule given replaces that rule whole. */
export const RiskRulesUpdate = Type.Partial(RiskRules);
export type RiskRulesUpdateT = Static<typeof RiskRulesUpdate>;

export function withDefaults(stored: Partial<RiskRulesT> | null | undefined): RiskRulesT {
  return { ...DEFAULT_RULES, ...(stored ?? {}) };
}
