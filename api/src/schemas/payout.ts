/** Payouts: a merchant's withdrawal of settled funds to a fiat wallet, and the body that creates one. */
import Type from "typebox";
import { Nullable, TokenAmount } from "./common.ts";

export const Payout = Type.Object({
  id: Type.String(),
  object: Type.Literal("payout"),
  livemode: Type.Boolean(),
  provider: Type.String(),
  recipient: Type.String(),
  amount: Type.String({ description: "What the recipient receives, in `currency`." }),
  currency: Type.String(),
  token_amount: { ...TokenAmount, description: "Settled token units debited." },
  fx_quote: Type.String(),
  status: Type.String({ enum: ["pending", "paid", "failed"] }),
  failure_code: Nullable(Type.String()),
  failure_message: Nullable(Type.String()),
  created: Type.Integer(),
});

export const CreatePayoutBody = Type.Object(
  {
    fx_quote: Type.String({
      pattern: "^fxq_[0-9A-Za-z]{24}$",
      description: "A quote with a fixed `amount` (POST /v1/fx/quotes): the currency and what you receive.",
    }),
    recipient: Type.String({
      minLength: 3,
      maxLength: 254,
      description:
        "The provider's recipient: a PayPal email, a Stripe connected account (acct_...), a sandbox id.",
    }),
  },
  { additionalProperties: false },
);
