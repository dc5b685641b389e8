/** The merchant account as GET /v1/merchant shows it. */
import Type from "typebox";
import { Address, Nullable, TokenAmount, UnixTime } from "./common.ts";

export const Merchant = Type.Object({
  id: Type.String(),
  object: Type.Literal("merchant"),
  livemode: Type.Boolean(),
  name: Type.String(),
  payout_address: Address,
  credited_balances: Type.Array(
    Type.Object({
      chain_id: Type.Integer(),
      token: Address,
      symbol: Nullable(Type.String(), {
        description: "Null for a token the network's configuration does not list.",
      }),
      decimals: Nullable(Type.Integer()),
      amount: TokenAmount,
    }),
    {
      description:
        "Payouts to your payout address that the token refused (the issuer blacklisted it, or paused the token), held by the escrow as credits. They can only ever be paid to that address; Pier's keeper pays them as soon as the token allows (`credit.paid_out`). Empty when nothing is owed.",
    },
  ),
  created: UnixTime,
});

/** A merchant as the operator sees it (GET /v1/admin/merchants): no mode, and its dashboard owner. */
export const AdminMerchant = Type.Object({
  id: Type.String(),
  object: Type.Literal("merchant"),
  name: Type.String(),
  payout_address: Address,
  owner_address: { ...Address, description: "The wallet that signs in to the dashboard." },
  created: UnixTime,
});
