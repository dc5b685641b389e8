/** Schemas of FX quotes (routes/v1/fx, the checkout's fiat routes and payouts). */
import Type from "typebox";
import { TokenAmount } from "./common.ts";

export const FxQuote = Type.Object(
  {
    id: Type.String({ pattern: "^fxq_[0-9A-Za-z]{24}$" }),
    object: Type.Literal("fx_quote"),
    fixed: Type.Union([Type.Literal("source"), Type.Literal("target")], {
      description: "Which amount the request fixed: the customer's (`source`) or the token's (`target`).",
    }),
    source_currency: Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code." }),
    source_amount: Type.String({
      description: "Decimal string in the currency's minor units (JPY 0, KWD 3).",
    }),
    target_token: Type.String(),
    target_decimals: Type.Integer(),
    target_amount: TokenAmount,
    fee_amount: { ...TokenAmount, description: "Spread fee in token units." },
    spread_bps: Type.Integer(),
    mid_rate: Type.String({
      description: "Tokens per 1 unit of the currency at mid (display, 12 decimals).",
    }),
    rate: Type.String({ description: "Tokens per 1 unit of the currency after the spread (display)." }),
    rate_source: Type.String(),
    rate_as_of: Type.Integer({ description: "Unix time of the rate." }),
    created: Type.Integer(),
    expires_at: Type.Integer({ description: "Unix time the lock ends; an expired quote is refused." }),
    used: Type.Boolean(),
  },
  { description: "A locked exchange rate from a fiat currency to the settlement token." },
);

export const Currency = Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code, upper case." });
export const FiatAmount = Type.String({
  pattern: "^(0|[1-9][0-9]{0,30})(\\.[0-9]{1,4})?$",
  description: "Decimal string; at most the currency's minor-unit digits.",
});

export const CreateFxQuoteBody = Type.Object(
  {
    currency: Currency,
    amount: Type.Optional({ ...FiatAmount, description: "Fix what the customer pays in `currency`." }),
    target_amount: Type.Optional({ ...TokenAmount, description: "Fix the token units delivered." }),
  },
  { additionalProperties: false, description: "Give exactly one of `amount` and `target_amount`." },
);
