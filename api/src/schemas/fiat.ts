/** Schemas of the checkout's fiat sessions. */
import Type from "typebox";
import { Nullable, TokenAmount } from "./common.ts";

const Wallet = Type.Union([Type.Literal("paypal"), Type.Literal("apple_pay"), Type.Literal("google_pay")]);

export const FiatOptions = Type.Object({
  object: Type.Literal("fiat_options"),
  enabled: Type.Boolean(),
  provider: Nullable(Type.String()),
  wallets: Type.Array(Wallet),
  reason: Nullable(Type.String(), {
    description: "Why fiat wallets are off, when they are.",
  }),
});

export const CreateFiatSessionBody = Type.Object(
  {
    fx_quote: Type.String({
      pattern: "^fxq_[0-9A-Za-z]{24}$",
      description: "A quote from POST .../fiat/quotes.",
    }),
    wallet: Type.Optional(Wallet),
    return_url: Type.String({ pattern: "^https?://", maxLength: 2048 }),
    cancel_url: Type.Optional(Type.String({ pattern: "^https?://", maxLength: 2048 })),
    simulate: Type.Optional(
      Type.String({
        enum: ["decline", "timeout", "duplicate_webhook", "late_webhook", "capture_reversed"],
        description: "Sandbox only: a failure mode to simulate.",
      }),
    ),
  },
  { additionalProperties: false },
);

export const FiatSession = Type.Object({
  id: Type.String(),
  object: Type.Literal("fiat_session"),
  livemode: Type.Boolean(),
  order: Type.String(),
  provider: Type.String(),
  wallet: Nullable(Type.String()),
  status: Type.String({
    enum: [
      "creating",
      "created",
      "requires_action",
      "approved",
      "captured",
      "declined",
      "reversed",
      "refunded",
      "failed",
    ],
  }),
  amount: Type.String({ description: "What the customer pays, in `currency`." }),
  currency: Type.String(),
  token_amount: TokenAmount,
  fx_quote: Type.String(),
  approval_url: Nullable(Type.String()),
  client_secret: Nullable(Type.String()),
  failure_code: Nullable(Type.String()),
  failure_message: Nullable(Type.String()),
  created: Type.Integer(),
});

/** A fiat session as the merchant lists it: no client secret; the provider's reference and incidents. */
export const MerchantFiatSession = Type.Object({
  ...Type.Omit(FiatSession, ["client_secret"]).properties,
  provider_ref: Nullable(Type.String()),
  incidents: Type.Array(
    Type.Object({
      kind: Type.String({ enum: ["declined", "reversed", "funding_failed", "refund_failed"] }),
      detail: Type.Record(Type.String(), Type.Unknown()),
      created: Type.Integer(),
    }),
    { description: "What went wrong with this payment, if anything (recorded once per kind)." },
  ),
});
