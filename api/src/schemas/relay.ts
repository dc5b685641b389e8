/** Relayed payments (relay/relays.ts): the request body and the `relay` object. */
import Type from "typebox";
import { Address, Nullable, UnixTime } from "./common.ts";

export const RelayBody = Type.Object(
  {
    payer: { ...Address, description: "The account paying: a browser account or a smart-contract wallet." },
    signature: Type.String({
      pattern: "^0x([0-9a-fA-F]{2})+$",
      maxLength: 20_000,
      description:
        "The payer's ERC-3009 ReceiveWithAuthorization signature for the order's terms (to: the escrow, value: the amount, validAfter 0, validBefore: the deadline, nonce: the terms' digest): 65 bytes from an account, any length from a smart wallet (ERC-1271), or ERC-6492-wrapped from one not deployed yet.",
    }),
  },
  { additionalProperties: false },
);

const WeiAmount = Type.String({ pattern: "^[0-9]+$", description: "Wei of the network's native coin." });

export const Relay = Type.Object({
  id: Type.String(),
  object: Type.Literal("relay"),
  order: Type.String(),
  status: Type.Union([Type.Literal("pending"), Type.Literal("succeeded"), Type.Literal("failed")]),
  chain_id: Type.Integer(),
  payer: Address,
  estimated_fee: WeiAmount,
  gas_used: Nullable(Type.String({ pattern: "^[0-9]+$" })),
  fee: Nullable({ ...WeiAmount, description: "What the relayer paid for the gas, once mined." }),
  tx_hash: Nullable(Type.String()),
  failure_code: Nullable(Type.String()),
  failure_message: Nullable(Type.String()),
  created: UnixTime,
});
