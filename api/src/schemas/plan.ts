/** Plan schemas: a merchant's recurring price (amount in a currency per interval) and its create body. */
import Type, { type Static } from "typebox";
import { Metadata, Nullable } from "./common.ts";
import { Currency, FiatAmount } from "./fx.ts";

export const PlanIdPattern = "^plan_[0-9A-Za-z]{24}$";

export const PlanInterval = Type.Union(
  [Type.Literal("day"), Type.Literal("week"), Type.Literal("month"), Type.Literal("year")],
  { description: "How often the customer is charged (times interval_count)." },
);

export const CreatePlanBody = Type.Object(
  {
    amount: {
      ...FiatAmount,
      description:
        'Price per interval in `currency`, a decimal string ("9.99"); charged in a token pegged to it.',
    },
    currency: {
      ...Currency,
      description: "ISO 4217 code a token of this mode's networks is pegged to (USD, EUR...).",
    },
    interval: PlanInterval,
    interval_count: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 365,
        default: 1,
        description: "Intervals between charges: at most 365 days, 52 weeks, 12 months or 3 years.",
      }),
    ),
    anchor_day: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 31,
        description:
          "month/year plans: the day of the month charges fall on (months shorter than it charge on their last day). The first period runs to the next such day. Default: the first charge's day.",
      }),
    ),
    trial_days: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 730,
        default: 0,
        description: "Free days before the first charge.",
      }),
    ),
    cycles: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        description: "Number of charges, then the subscription ends. Absent: until canceled.",
      }),
    ),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);
export type CreatePlanBodyT = Static<typeof CreatePlanBody>;

export const Plan = Type.Object(
  {
    id: Type.String({ pattern: PlanIdPattern }),
    object: Type.Literal("plan"),
    livemode: Type.Boolean(),
    active: Type.Boolean({ description: "False once archived: no new subscriptions." }),
    amount: Type.String({ description: "Decimal string in `currency`, with the currency's minor digits." }),
    currency: Type.String(),
    interval: PlanInterval,
    interval_count: Type.Integer(),
    anchor_day: Nullable(Type.Integer()),
    trial_days: Type.Integer(),
    cycles: Nullable(Type.Integer()),
    description: Nullable(Type.String()),
    metadata: Type.Record(Type.String(), Type.String()),
    created: Type.Integer(),
  },
  { $id: "Plan" },
);
