/** Payment attempts (orders/paymentAttempts.ts): the request body and the `payment_attempt` object. */
import Type, { type Static } from "typebox";
import { Address } from "./common.ts";

/**
 * How the checkout has the customer pay: `relayed` (Pier's relayer sends a signed authorization), `batch`
 * (EIP-5792 wallet_sendCalls: approve and pay in one atomic batch), or one of the escrow's own paths.
 */
export const PAYMENT_ATTEMPT_METHODS = [
  "relayed",
  "batch",
  "authorization",
  "permit",
  "dai_permit",
  "allowance",
] as const;
export type PaymentAttemptMethod = (typeof PAYMENT_ATTEMPT_METHODS)[number];

/** At most this many attempts are recorded per order (each a distinct method and account). */
export const MAX_PAYMENT_ATTEMPTS = 10;

const Method = Type.String({
  enum: [...PAYMENT_ATTEMPT_METHODS],
  description:
    "How the customer is to pay: `relayed` (a signed authorization Pier's relayer sends, paying the gas), `batch` (approve and pay in one atomic EIP-5792 batch), or `authorization`, `permit`, `dai_permit`, `allowance` (the escrow's paths, sent from the wallet).",
});

const Reason = Type.String({
  minLength: 1,
  maxLength: 300,
  description: "What the customer was told about this choice, as shown to them.",
});

const Wallet = Type.Object(
  {
    type: Type.String({
      enum: ["eoa", "smart_account"],
      description: "A plain account (eoa) or a smart-contract account.",
    }),
    atomic: Type.Boolean({
      description: "The wallet executes a batch of calls atomically (EIP-5792 `atomic`).",
    }),
    paymaster: Type.Boolean({
      description: "The wallet takes a paymaster service (EIP-5792 `paymasterService`).",
    }),
  },
  {
    additionalProperties: false,
    description: "What the checkout learnt about the wallet (EIP-5792 wallet_getCapabilities).",
  },
);

export const PaymentAttemptBody = Type.Object(
  {
    method: Method,
    reason: Reason,
    account: { ...Address, description: "The account that pays." },
    wallet: Wallet,
  },
  { additionalProperties: false },
);
export type PaymentAttemptBodyT = Static<typeof PaymentAttemptBody>;

export const PaymentAttempt = Type.Object(
  {
    object: Type.Literal("payment_attempt"),
    order: Type.String({ description: "The order (ord_...)." }),
    method: Method,
    reason: Reason,
    account: Address,
    wallet: Wallet,
  },
  {
    description:
      "How the checkout chose to have the customer pay, as recorded in the order's timeline (`order.payment_method_chosen`).",
  },
);
export type PaymentAttemptT = Static<typeof PaymentAttempt>;
