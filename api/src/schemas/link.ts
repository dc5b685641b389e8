/** Payment link schemas: the merchant's API object, the create body and the public view for /l/:id. */
import Type, { type Static } from "typebox";
import { Metadata, Nullable, TokenAmount } from "./common.ts";

export const LinkIdPattern = "^pl_[0-9A-Za-z]{24}$";

export const CreateLinkBody = Type.Object(
  {
    amount_type: Type.Union([Type.Literal("fixed"), Type.Literal("customer_chosen")]),
    amount: Type.Optional(TokenAmount),
    min_amount: Type.Optional(TokenAmount),
    max_amount: Type.Optional(TokenAmount),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    metadata: Type.Optional(Metadata),
    escrow_period: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 * 86_400 })),
  },
  {
    additionalProperties: false,
    description:
      "fixed: every payer pays `amount`. customer_chosen: the payer enters an amount within [min_amount, max_amount] (token units).",
  },
);
export type CreateLinkBodyT = Static<typeof CreateLinkBody>;

export const LinkAnalytics = Type.Object({
  orders: Type.Integer({ description: "Orders created from the link." }),
  paid: Type.Integer({ description: "Of those, paid on chain." }),
  volume: TokenAmount,
});

export const PaymentLink = Type.Object(
  {
    id: Type.String({ pattern: LinkIdPattern }),
    object: Type.Literal("payment_link"),
    livemode: Type.Boolean(),
    url: Type.String({ description: "The public page payers open (print it as a QR code)." }),
    amount_type: Type.String({ enum: ["fixed", "customer_chosen"] }),
    amount: Nullable(TokenAmount),
    min_amount: Nullable(TokenAmount),
    max_amount: Nullable(TokenAmount),
    description: Nullable(Type.String()),
    metadata: Type.Record(Type.String(), Type.String()),
    active: Type.Boolean(),
    created: Type.Integer(),
    analytics: LinkAnalytics,
  },
  { $id: "PaymentLink" },
);

export const PublicLink = Type.Object({
  id: Type.String(),
  object: Type.Literal("payment_link"),
  merchant_name: Type.String(),
  amount_type: Type.String({ enum: ["fixed", "customer_chosen"] }),
  amount: Nullable(TokenAmount),
  min_amount: Nullable(TokenAmount),
  max_amount: Nullable(TokenAmount),
  description: Nullable(Type.String()),
  active: Type.Boolean(),
  currency: Type.String(),
  decimals: Type.Integer(),
});

export const LinkOrderBody = Type.Object(
  { amount: Type.Optional(TokenAmount) },
  { additionalProperties: false, description: "amount (token units) only for customer_chosen links." },
);

export const LinkOrder = Type.Object({
  order: Type.String({ description: "The new order's id (ord_...)." }),
  checkout_url: Type.String(),
});
