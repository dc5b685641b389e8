/**
 * Subscription schemas: the merchant's object, the create/cancel bodies and list query, and the public
 * checkout views (plan summary and options, the permission to sign, authorize).
 */
import Type, { type Static } from "typebox";
import { Address, ChainId, ListQuery, Metadata, Nullable, TokenAmount, UnixTime } from "./common.ts";
import { PlanIdPattern, PlanInterval } from "./plan.ts";

export const SubscriptionIdPattern = "^sub_[0-9A-Za-z]{24}$";

export const SUBSCRIPTION_STATUSES = [
  "incomplete",
  "trialing",
  "active",
  "past_due",
  "canceled",
  "ended",
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
const Status = Type.String({
  enum: [...SUBSCRIPTION_STATUSES],
  description:
    "incomplete: waiting for the customer to sign the permission; trialing / active: authorized; past_due: a charge failed; canceled; ended: every cycle charged.",
});

export const CreateSubscriptionBody = Type.Object(
  {
    plan: Type.String({ pattern: PlanIdPattern, maxLength: 64, description: "The plan (plan_...)." }),
    customer: Type.Optional(
      Type.String({ minLength: 1, maxLength: 255, description: "Your own reference to the customer." }),
    ),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);
export type CreateSubscriptionBodyT = Static<typeof CreateSubscriptionBody>;

export const CancelSubscriptionBody = Type.Object(
  {
    at_period_end: Type.Optional(
      Type.Boolean({
        default: false,
        description: "true: keep the subscription until its current period ends (no further charge).",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ListSubscriptionsQuery = Type.Object(
  {
    ...ListQuery,
    status: Type.Optional(Status),
    plan: Type.Optional(Type.String({ pattern: PlanIdPattern, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ListSubscriptionsQueryT = Static<typeof ListSubscriptionsQuery>;

export const PermissionSummary = Type.Object(
  {
    hash: Type.String({ description: "The permission's EIP-712 digest: its id in SpendPermissions." }),
    allowance: TokenAmount,
    period: Type.Integer({ description: "Seconds per on-chain period (at most `allowance` each)." }),
    start: UnixTime,
    end: UnixTime,
  },
  { description: "The spend permission the customer signed (SpendPermissions.sol)." },
);

export const Subscription = Type.Object(
  {
    id: Type.String({ pattern: SubscriptionIdPattern }),
    object: Type.Literal("subscription"),
    livemode: Type.Boolean(),
    plan: Type.String(),
    status: Status,
    customer: Nullable(Type.String()),
    metadata: Type.Record(Type.String(), Type.String()),
    current_period_start: Nullable(UnixTime),
    current_period_end: Nullable(UnixTime),
    trial_end: Nullable(UnixTime),
    cancel_at_period_end: Type.Boolean(),
    canceled_at: Nullable(UnixTime),
    ended_at: Nullable(UnixTime),
    end_reason: Nullable(
      Type.String({
        enum: ["cycles_completed", "permission_revoked", "permission_expired", "payment_failed"],
        description:
          "Why it ended (status ended) or was canceled by Pier (payment_failed: every retry of a charge failed).",
      }),
    ),
    next_charge_at: Nullable({
      ...UnixTime,
      description: "When the next cycle is charged, while one is due.",
    }),
    cycles_charged: Type.Integer({ description: "Cycles paid." }),
    network: Nullable(Type.Integer({ description: "Chain id, once authorized." })),
    token: Nullable(Address),
    payer: Nullable(Address),
    permission: Nullable(PermissionSummary),
    created: UnixTime,
    url: Type.String({ description: "The hosted page where the customer authorizes the subscription." }),
  },
  { $id: "Subscription" },
);

export const CheckoutOption = Type.Object({
  network: Type.Integer({ description: "Chain id." }),
  network_name: Type.String(),
  token: Address,
  symbol: Type.String(),
  decimals: Type.Integer(),
  amount: { ...TokenAmount, description: "The plan's amount in this token's units (the allowance)." },
  spend_permissions: Address,
});

const TypedDataMessage = Type.Object({
  account: Address,
  operator: Address,
  merchant: Address,
  token: Address,
  allowance: TokenAmount,
  period: Type.Integer(),
  start: Type.Integer(),
  end: Type.Integer(),
  salt: { ...TokenAmount, description: "uint256 as a decimal string." },
});

/** The permission the payer signed, as stored, once the subscription is authorized. */
const SignedPermission = Type.Object(
  {
    network: Type.Integer({ description: "Chain id." }),
    spend_permissions: { ...Address, description: "The SpendPermissions contract that holds it." },
    hash: Type.String({ description: "Its id (EIP-712 digest), what permissionState takes." }),
    message: TypedDataMessage,
  },
  {
    description:
      "The signed spend permission (the struct SpendPermissions.revoke takes, uint160/uint256 fields as decimal strings); null until authorized.",
  },
);

export const CheckoutSubscription = Type.Object({
  id: Type.String(),
  object: Type.Literal("subscription_checkout"),
  livemode: Type.Boolean(),
  status: Status,
  next_charge_at: Nullable({ ...UnixTime, description: "When the next cycle is charged, while one is due." }),
  trial_end: Nullable(UnixTime),
  end_reason: Nullable(
    Type.String({ description: "Why it ended or was canceled by Pier; see Subscription." }),
  ),
  merchant_name: Type.String(),
  plan: Type.Object({
    amount: Type.String(),
    currency: Type.String(),
    interval: PlanInterval,
    interval_count: Type.Integer(),
    anchor_day: Nullable(Type.Integer()),
    trial_days: Type.Integer(),
    cycles: Nullable(Type.Integer()),
    description: Nullable(Type.String()),
  }),
  options: Type.Array(CheckoutOption, {
    description: "Each network and token pegged to the plan's currency.",
  }),
  payer: Nullable(Address),
  permission: Nullable(SignedPermission),
});

export const PermissionRequestBody = Type.Object(
  {
    network: ChainId("Chain id of one of the options."),
    token: Address,
    account: { ...Address, description: "The customer's wallet (EOA or smart-contract wallet)." },
  },
  { additionalProperties: false },
);
export type PermissionRequestBodyT = Static<typeof PermissionRequestBody>;

export const AuthorizeBody = Type.Object(
  {
    ...PermissionRequestBody.properties,
    signature: Type.String({
      pattern: "^0x([0-9a-fA-F]{2})+$",
      maxLength: 20_000,
      description: "The account's signature of the typed data (65 bytes, ERC-1271 or ERC-6492 bytes).",
    }),
  },
  { additionalProperties: false },
);
export type AuthorizeBodyT = Static<typeof AuthorizeBody>;

export const PermissionToSign = Type.Object({
  object: Type.Literal("spend_permission"),
  hash: Type.String(),
  typed_data: Type.Object(
    {
      domain: Type.Object({
        name: Type.String(),
        version: Type.String(),
        chainId: Type.Integer(),
        verifyingContract: Address,
      }),
      types: Type.Object({
        SpendPermission: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
      }),
      primaryType: Type.Literal("SpendPermission"),
      message: TypedDataMessage,
    },
    { description: "Pass to eth_signTypedData_v4 as is (uint160/uint256 fields are decimal strings)." },
  ),
  expires_at: Type.Integer({ description: "Sign and authorize before this time, or request it again." }),
});

export const InvoiceIdPattern = "^in_[0-9A-Za-z]{24}$";

export const Invoice = Type.Object(
  {
    id: Type.String({ pattern: InvoiceIdPattern }),
    object: Type.Literal("invoice"),
    livemode: Type.Boolean(),
    subscription: Type.String(),
    cycle: Type.Integer({ description: "0 for the first charge, then one per interval." }),
    order: Type.String({ description: "The order this charge pays (an ordinary escrowed order)." }),
    amount: TokenAmount,
    status: Type.String({ enum: ["open", "failed", "paid", "uncollectible"] }),
    attempts: Type.Integer(),
    next_attempt_at: Nullable(UnixTime),
    last_error: Nullable(
      Type.Object(
        { code: Type.String(), message: Type.String() },
        { description: "Why the last charge failed." },
      ),
    ),
    due_at: UnixTime,
    paid_at: Nullable(UnixTime),
    created: UnixTime,
  },
  { $id: "Invoice" },
);

export const ListInvoicesQuery = Type.Object(
  {
    ...ListQuery,
    status: Type.Optional(Type.String({ enum: ["open", "failed", "paid", "uncollectible"] })),
    subscription: Type.Optional(Type.String({ pattern: SubscriptionIdPattern, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ListInvoicesQueryT = Static<typeof ListInvoicesQuery>;

export const MetricsQuery = Type.Object(
  { months: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, default: 12 })) },
  { additionalProperties: false },
);

export const SubscriptionMetrics = Type.Object(
  {
    object: Type.Literal("subscription_metrics"),
    livemode: Type.Boolean(),
    months: Type.Array(
      Type.Object({
        month: Type.String({ description: "YYYY-MM (UTC)." }),
        active: Type.Integer({ description: "Paying subscriptions at the month's end." }),
        new: Type.Integer({ description: "Subscriptions whose first charge was paid this month." }),
        churned: Type.Integer({
          description: "Paying subscriptions that ended or were canceled this month.",
        }),
        churn_rate: Nullable(
          Type.String({ description: "churned / paying at the month's start, 4 decimals; null when none." }),
        ),
        mrr: Type.Array(
          Type.Object({
            currency: Type.String(),
            amount: Type.String({ description: "Monthly recurring revenue at the month's end, decimal." }),
          }),
        ),
      }),
    ),
  },
  {
    $id: "SubscriptionMetrics",
    description:
      "Monthly recurring revenue and churn. A subscription counts as paying from its first paid charge until it ends; yearly, weekly and daily plans are normalized to a month (x 1/12, 52/12, 365/12).",
  },
);
