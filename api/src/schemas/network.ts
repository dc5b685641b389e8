/** Networks and tokens: the schemas of GET /v1/networks and of the `network` and `token` of an order. */
import Type, { type Static } from "typebox";
import { TOKEN_METHODS } from "../chain/networkSpec.ts";
import { Address, Nullable } from "./common.ts";

export const TokenMethod = Type.String({
  enum: [...TOKEN_METHODS],
  description:
    "A pay path: authorization (ERC-3009), permit (EIP-2612), dai_permit (DAI's permit), allowance (approve, then pay).",
});

export const OrderToken = Type.Object({
  address: Address,
  symbol: Type.String(),
  decimals: Type.Integer(),
  peg: Nullable(Type.String({ description: "ISO 4217 currency the token is pegged to." })),
  methods: Type.Array(TokenMethod, { description: "Pay paths the checkout offers for it, best first." }),
});

export const NetworkRef = Type.Object({
  chain_id: Type.Integer(),
  name: Type.String(),
  testnet: Type.Boolean(),
  explorer_url: Nullable(Type.String({ description: "Block explorer base URL, when configured." })),
});

export const NetworkObject = Type.Object({
  object: Type.Literal("network"),
  chain_id: Type.Integer(),
  name: Type.String(),
  testnet: Type.Boolean(),
  livemode: Type.Boolean({ description: "Live mode (a mainnet, sk_live_ keys) or test mode." }),
  explorer_url: Nullable(Type.String()),
  escrow: Address,
  confirmations: Type.Integer({ description: "Blocks before a payment counts as final (escrowed)." }),
  default: Type.Boolean({ description: "Orders of its mode naming no network are paid here." }),
  tokens: Type.Array(OrderToken, { description: "Accepted tokens; the first is the network's default." }),
});
export type NetworkObjectT = Static<typeof NetworkObject>;

export const NetworkList = Type.Object({
  object: Type.Literal("list"),
  data: Type.Array(NetworkObject),
});
