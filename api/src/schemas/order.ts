/** Order: the request and response schemas of /v1/orders and the public checkout read. */
import Type, { type Static } from "typebox";
import { Address, ChainId, Hex32, ListQuery, Metadata, Nullable, TokenAmount, UnixTime } from "./common.ts";
import { NetworkRef, OrderToken } from "./network.ts";

export const ORDER_STATUSES = [
  "open",
  "processing",
  "escrowed",
  "settled",
  "expired",
  "disputed",
  "refunded",
  "canceled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const OrderIdPattern = "^ord_[0-9A-Za-z]{24}$";

export const PaymentTerms = Type.Object(
  {
    order_id: Hex32,
    merchant: Address,
    token: Address,
    amount: TokenAmount,
    fee: TokenAmount,
    deadline: TokenAmount,
    escrow_period: TokenAmount,
    operator: Address,
  },
  { description: "The EIP-712 PaymentTerms the operator signed (uint256 fields as decimal strings)." },
);

const OperatorSignature = Type.String({
  pattern: "^0x[0-9a-f]+$",
  description: "The operator's EIP-712 signature.",
});

export const OrderPayment = Type.Object(
  {
    payer: Address,
    refund_to: Address,
    method: Type.String({ enum: ["allowance", "permit", "authorization", "on_behalf", "dai_permit"] }),
    tx_hash: Hex32,
    block_number: Type.Integer(),
    block_hash: Hex32,
    paid_at: UnixTime,
    release_after: UnixTime,
    confirmations: Type.Integer({ description: "Blocks from the payment's block to the head, inclusive." }),
    held: Type.Boolean({ description: "An operator risk hold freezes release." }),
    released_at: Nullable(UnixTime),
    released_tx_hash: Nullable(Hex32),
    released_early: Nullable(Type.Boolean()),
    merchant_credited: {
      ...TokenAmount,
      description:
        "Of what was released to you, the part the token refused to transfer (your payout address blacklisted, or the token paused), held in the escrow as a credit. Pier's keeper pays it to your payout address, and only there, once the token allows it.",
    },
    refund_credited: {
      ...TokenAmount,
      description:
        "Of what was refunded, the part the token refused to transfer to the refund address; held as that address's credit and paid to it once the token allows.",
    },
  },
  { description: "The on-chain payment, once seen by the indexer." },
);

export const OrderDispute = Type.Object({
  status: Type.String({ enum: ["open", "resolved"] }),
  opened_at: Nullable(UnixTime),
  resolved_at: Nullable(UnixTime),
});

export const Fiat = Type.Object({
  amount: Type.String({ description: "Decimal string in the currency's units." }),
  currency: Type.String({ pattern: "^[A-Z]{3}$" }),
  rate: Type.String({ description: "Whole tokens per unit of currency used for the conversion." }),
});

/** How a fiat-wallet payment funded the order (set by the fiat bridge when the capture funds the escrow). */
export const FiatPayment = Type.Object({
  provider: Type.String({ description: "sandbox, paypal or stripe." }),
  session: Type.String({ description: "The fiat session (fis_...)." }),
  wallet: Nullable(Type.String()),
  amount: Type.String({ description: "What the customer paid, in `currency`." }),
  currency: Type.String({ pattern: "^[A-Z]{3}$" }),
  fx_quote: Type.String(),
  capture: Type.String({ description: "The provider's capture id." }),
  funding: Type.String(),
});

export type FiatPaymentT = Static<typeof FiatPayment>;

/** What the customer of a fiat-funded order paid, for the public checkout's receipt: no internal ids. */
export const CheckoutFiatPayment = Type.Object(
  {
    amount: Type.String({ description: "What the customer paid, a decimal string in `currency`." }),
    currency: Type.String({ pattern: "^[A-Z]{3}$" }),
    provider: Type.String({ description: "Who took the money: sandbox, paypal or stripe." }),
    wallet: Nullable(
      Type.String({
        enum: ["paypal", "apple_pay", "google_pay"],
        description: "The wallet the customer used.",
      }),
    ),
    paid_at: Nullable({ ...UnixTime, description: "When the provider captured the money (server clock)." }),
  },
  {
    description:
      "How the customer paid a fiat-funded order (PayPal, Apple Pay, Google Pay); the escrow's payer is then Pier's treasury.",
  },
);

export const Order = Type.Object(
  {
    id: Type.String({ pattern: OrderIdPattern }),
    object: Type.Literal("order"),
    livemode: Type.Boolean(),
    status: Type.String({ enum: [...ORDER_STATUSES] }),
    amount: TokenAmount,
    amount_refunded: TokenAmount,
    amount_released: TokenAmount,
    fee: TokenAmount,
    fee_paid: TokenAmount,
    relay_fee: Nullable(
      Type.String({
        pattern: "^[0-9]+$",
        description:
          "What Pier's relayer paid in network fees for this order's relayed payment, in wei of the network's coin; null when the customer paid the gas.",
      }),
    ),
    currency: Type.String({ description: "The settlement token's symbol." }),
    token: OrderToken,
    fiat: Nullable(Fiat),
    fiat_payment: Type.Optional(Nullable(FiatPayment)),
    description: Nullable(Type.String()),
    metadata: Metadata,
    chain_id: Type.Integer(),
    network: NetworkRef,
    escrow: Address,
    onchain_order_id: Hex32,
    payment_id: Hex32,
    checkout_url: Type.String(),
    success_url: Nullable(Type.String()),
    cancel_url: Nullable(Type.String()),
    expires_at: UnixTime,
    escrow_period: Type.Integer({ description: "Buyer-protection window in seconds." }),
    created: UnixTime,
    canceled_at: Nullable(UnixTime),
    terms: PaymentTerms,
    signature: Nullable(OperatorSignature, {
      description:
        "The operator's EIP-712 signature of `terms`; null until the checkout is first opened (GET /v1/checkout/:id signs them, once).",
    }),
    payment: Nullable(OrderPayment),
    dispute: Nullable(OrderDispute),
  },
  { $id: "Order" },
);
export type OrderT = Static<typeof Order>;

const Url = Type.String({ maxLength: 2048, pattern: "^https?://", format: "uri" });

export const CreateOrderBody = Type.Object(
  {
    amount: Type.Optional(TokenAmount),
    fiat_amount: Type.Optional(
      Type.String({
        // Up to 4 decimals: the most any ISO 4217 currency has (CLF, UYW); the currency's own limit is
        // checked with the order (createOrder.ts).
        pattern: "^(0|[1-9][0-9]{0,17})(\\.[0-9]{1,4})?$",
        description: 'Decimal string, e.g. "12.50"; at most the currency\'s ISO 4217 minor units.',
      }),
    ),
    fiat_currency: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code." })),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    metadata: Type.Optional(Metadata),
    expires_at: Type.Optional(
      Type.Integer({ description: "Unix seconds; default now + PIER_ORDER_TTL_SECONDS." }),
    ),
    escrow_period: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 * 86_400 })),
    success_url: Type.Optional(Url),
    cancel_url: Type.Optional(Url),
    network: Type.Optional(
      ChainId("Chain id of the network the order is paid on. Default: the first network served."),
    ),
    token: Type.Optional(
      Type.String({
        pattern: "^0x[0-9a-fA-F]{40}$",
        description: "Address of the token the order is paid in, on `network`. Default: its first token.",
      }),
    ),
    accept: Type.Optional(
      Type.Array(
        Type.Object(
          {
            network: ChainId(),
            token: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" })),
          },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: 50,
          description:
            "Where the customer may pay (the checkout offers each): networks, optionally one token each (else all of that network's). Default: every network and token served. `network`/`token` must be among them; they default to the first.",
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      "Give either `amount` (units of the order's token) or `fiat_amount` + `fiat_currency`; `network` and `token` choose where it is paid (GET /v1/networks lists them).",
  },
);
export type CreateOrderBodyT = Static<typeof CreateOrderBody>;

/** Unix seconds Postgres' to_timestamp accepts (up to 9999-12-31): beyond that a filter is a 400, not a 500. */
const CreatedBound = Type.Integer({ minimum: 0, maximum: 253_402_300_799 });

export const ListOrdersQuery = Type.Object(
  {
    ...ListQuery,
    status: Type.Optional(Type.String({ enum: [...ORDER_STATUSES] })),
    network: Type.Optional(ChainId("Chain id: orders on that network (as the customer chose it).")),
    token: Type.Optional(
      Type.String({
        pattern: "^0x[0-9a-fA-F]{40}$",
        description: "Token address: orders paid in that token.",
      }),
    ),
    created: Type.Optional(
      Type.Object(
        {
          gte: Type.Optional(CreatedBound),
          gt: Type.Optional(CreatedBound),
          lte: Type.Optional(CreatedBound),
          lt: Type.Optional(CreatedBound),
        },
        { additionalProperties: false, description: "created[gte]=<unix>&created[lte]=<unix>" },
      ),
    ),
    metadata: Type.Optional(
      Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 500 }), {
        description: "metadata[key]=value: orders whose metadata has every given pair.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListOrdersQueryT = Static<typeof ListOrdersQuery>;

export const CheckoutOption = Type.Object({
  chain_id: Type.Integer(),
  network: NetworkRef,
  token: OrderToken,
  amount: TokenAmount,
  selected: Type.Boolean(),
});
export type CheckoutOptionT = Static<typeof CheckoutOption>;

export const Checkout = Type.Object(
  {
    id: Type.String({ pattern: OrderIdPattern }),
    object: Type.Literal("checkout"),
    livemode: Type.Boolean(),
    status: Type.String({ enum: [...ORDER_STATUSES] }),
    amount: TokenAmount,
    amount_refunded: TokenAmount,
    currency: Type.String(),
    token: OrderToken,
    fiat: Nullable(Fiat),
    fiat_payment: Nullable(CheckoutFiatPayment),
    description: Nullable(Type.String()),
    merchant_name: Type.String(),
    chain_id: Type.Integer(),
    network: NetworkRef,
    escrow: Address,
    expires_at: UnixTime,
    chain_time: Nullable({
      ...UnixTime,
      description:
        "The timestamp of the latest block of the order's network the API knows of. The escrow enforces `expires_at` and the buyer-protection end in chain time, which a local chain moved forward (`pier time-travel`) puts ahead of the wall clock. Null when the network's head is unknown.",
    }),
    success_url: Nullable(Type.String()),
    cancel_url: Nullable(Type.String()),
    terms: PaymentTerms,
    signature: OperatorSignature,
    payment_record: Nullable(
      Type.Object(
        {
          terms: PaymentTerms,
          payer: Address,
          refund_to: Address,
          release_after: TokenAmount,
        },
        { description: "The escrow's Payment struct, for dispute() from the payer's wallet." },
      ),
    ),
    payment: Nullable(OrderPayment),
    gasless: Type.Boolean({
      description:
        "Whether Pier's relayer can send this payment for the customer and pay its network fee (POST /v1/checkout/{id}/relay), for the selected option: its network has a relayer and its token takes ERC-3009 authorizations (`token.methods` includes `authorization`). A relay can still be refused when it is asked for (the relayer short of gas, the shop's limits): the customer then pays from the wallet.",
    }),
    paymaster_url: Nullable(Type.String(), {
      description:
        "An ERC-7677 paymaster service the operator configured for the selected option's network: a wallet with the EIP-5792 `paymasterService` capability can have it sponsor the payment's gas (wallet_sendCalls `capabilities.paymasterService.url`). Null when none is configured.",
    }),
    options: Type.Array(CheckoutOption, {
      description:
        "Where the customer may pay: every network and token the order accepts, with the amount in each; `selected` is the one `terms` are for (POST /v1/checkout/{id}/select picks another).",
    }),
  },
  { description: "Public fields of an order for the hosted checkout; no secret key needed." },
);

export const SelectOptionBody = Type.Object(
  {
    network: ChainId("Chain id of one of the checkout's options."),
    token: Type.String({ pattern: "^0x[0-9a-fA-F]{40}$", description: "Token address of that option." }),
  },
  { additionalProperties: false },
);
