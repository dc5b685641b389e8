/**
 * How one signer's transaction sender is doing, as /readyz serves it (`senders`) and `pier status`
 * prints it: the schema (the OpenAPI source) and its type, which chain/senderStatus.ts fills in.
 */
import Type, { type Static } from "typebox";
import { Nullable } from "./common.ts";

const StringOrNull = Nullable(Type.String());
export const StuckTx = Type.Object({
  id: Type.String({ description: "The chain transaction intent (ctx_...)." }),
  kind: Type.String({
    description: "refund, release, release_batch, resolve, hold, fund, approve, sweep, noop",
  }),
  status: Type.String({ enum: ["queued", "sent"] }),
  nonce: StringOrNull,
  tx_hash: Nullable(Type.String(), { description: "Its latest signed attempt." }),
  attempts: Type.Integer(),
  age_seconds: Type.Integer({ description: "Since first broadcast (sent) or since it was queued." }),
  reason: Type.String({ description: "Why it is not moving, in words." }),
});
export const SenderReport = Type.Object({
  chain_id: Type.Integer(),
  signer: Type.String(),
  roles: Type.Array(Type.String()),
  genesis_hash: Nullable(Type.String(), {
    description: "The chain the signer's nonce state belongs to.",
  }),
  next_nonce: StringOrNull,
  driver: Nullable(Type.String(), {
    description: "The API process sending for it (host:pid).",
  }),
  driver_seen_seconds_ago: Nullable(Type.Integer()),
  queued: Type.Integer(),
  in_flight: Type.Integer(),
  oldest_unmined_seconds: Type.Integer(),
  stuck: Type.Array(StuckTx, { description: "Open transactions older than PIER_TX_STUCK_AFTER_SECONDS." }),
  last_reset: Nullable(
    Type.Object(
      {
        detected_at: Type.Integer(),
        previous_genesis: StringOrNull,
        genesis_hash: Type.String(),
        abandoned: Type.Integer({ description: "Open transactions of the old chain abandoned." }),
      },
      {
        description:
          "The chain was replaced under the same id (e.g. a restarted dev chain), in the last day.",
      },
    ),
  ),
});

export type StuckTxT = Static<typeof StuckTx>;
export type SenderReportT = Static<typeof SenderReport>;
