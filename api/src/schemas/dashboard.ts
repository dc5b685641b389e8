/** Response shapes of /v1/dashboard (OpenAPI and serialization). */
import Type from "typebox";
import { ROLES } from "../team/roles.ts";
import { Address, Nullable, UnixTime } from "./common.ts";

export const SiweNonce = Type.Object({
  object: Type.Literal("siwe_nonce"),
  nonce: Type.String(),
  domain: Type.String({ description: "The EIP-4361 `domain` the message must name." }),
  uri: Type.String({ description: "The `uri` to put in the message (any URI on the dashboard's origin)." }),
  chain_id: Type.Integer(),
  statement: Type.String(),
  expires_at: UnixTime,
});

export const DashboardSession = Type.Object({
  object: Type.Literal("dashboard_session"),
  merchant: Type.Object({ id: Type.String(), name: Type.String(), payout_address: Address }),
  address: Address,
  role: Type.String({
    enum: [...ROLES],
    description: "The signed-in member's role on the merchant (api/docs/team.md).",
  }),
  permissions: Type.Array(Type.String(), {
    description: "What the role may do in this session's mode; the dashboard hides the rest.",
  }),
  livemode: Type.Boolean(),
  chain_id: Type.Integer(),
  csrf_token: Type.String({
    description: "Send it as X-CSRF-Token on every POST/DELETE made with the cookie.",
  }),
  expires_at: UnixTime,
  passkeys: Type.Integer({
    description:
      "The member's registered passkeys: with one or more, their sensitive actions need a step-up.",
  }),
  step_up_until: Nullable(UnixTime),
});

export const Passkey = Type.Object({
  id: Type.String(),
  object: Type.Literal("passkey"),
  name: Type.String(),
  created: UnixTime,
  last_used_at: Nullable(UnixTime),
});

/** WebAuthn PublicKeyCredential{Creation,Request}OptionsJSON, passed to the browser as is. */
export const WebAuthnOptions = Type.Object({ challenge: Type.String() }, { additionalProperties: true });
