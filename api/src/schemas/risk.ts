/** Risk: a merchant's settings (rules from risk/rules.ts) and the review queue's items. */
import Type from "typebox";
import { RiskRules, RiskRulesUpdate } from "../risk/rules.ts";
import { Nullable } from "./common.ts";

export const RiskSettings = Type.Object({
  object: Type.Literal("risk_settings"),
  livemode: Type.Boolean(),
  rules: RiskRules,
  reporting_currency: Type.String({ pattern: "^[A-Z]{3}$" }),
});

const Evidence = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
);
export const RiskReview = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal("risk_review"),
    livemode: Type.Boolean(),
    order: Nullable(Type.String()),
    stage: Type.String({ enum: ["order", "payment", "fiat_session"] }),
    outcome: Type.String({ enum: ["flag", "hold", "block"] }),
    payer: Nullable(Type.String()),
    findings: Type.Array(
      Type.Object({
        rule: Type.String(),
        action: Type.String(),
        message: Type.String(),
        evidence: Evidence,
      }),
    ),
    status: Type.String({ enum: ["open", "released", "refunded", "dismissed"] }),
    created: Type.Integer(),
    reviewed_at: Nullable(Type.Integer()),
    reviewed_by: Nullable(Type.String()),
    review_note: Nullable(Type.String()),
  },
  { description: "A flag or hold with the rules that fired and their evidence." },
);

export const ReviewNoteBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

/** PUT/POST /v1/risk/rules. */
export const RiskSettingsBody = Type.Object(
  {
    rules: Type.Optional(RiskRulesUpdate),
    reporting_currency: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
  },
  { additionalProperties: false },
);
