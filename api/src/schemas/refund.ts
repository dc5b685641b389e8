/** Refund schemas (/v1/refunds). */
import Type from "typebox";
import { Nullable, TokenAmount, UnixTime } from "./common.ts";

export const Refund = Type.Object({
  id: Type.String(),
  object: Type.Literal("refund"),
  livemode: Type.Boolean(),
  order: Type.String(),
  amount: TokenAmount,
  reason: Nullable(Type.String()),
  status: Type.String({ enum: ["pending", "succeeded", "failed"] }),
  tx_hash: Nullable(Type.String()),
  failure_code: Nullable(Type.String()),
  failure_message: Nullable(Type.String()),
  created: UnixTime,
});

export const CreateRefundBody = Type.Object(
  {
    order: Type.String({ pattern: "^ord_[0-9A-Za-z]{24}$" }),
    amount: Type.Optional(TokenAmount),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false, description: "Without `amount`, refunds everything that remains." },
);
