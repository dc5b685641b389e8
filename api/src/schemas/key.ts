/** API key schemas (/v1/keys). */
import Type from "typebox";
import { SCOPES } from "../keys/scopes.ts";
import { Nullable, UnixTime } from "./common.ts";

export const ApiKey = Type.Object({
  id: Type.String(),
  object: Type.Literal("api_key"),
  livemode: Type.Boolean(),
  name: Type.String(),
  type: Type.String({ enum: ["secret", "restricted"] }),
  scopes: Type.Array(Type.String({ enum: [...SCOPES] })),
  redacted: Type.String({ description: "The secret's first 8 and last 4 characters." }),
  created: UnixTime,
  expires_at: Nullable(UnixTime),
  revoked_at: Nullable(UnixTime),
  last_used_at: Nullable(UnixTime),
  secret: Type.Optional(
    Type.String({ description: "Only in the response that created the key: store it now." }),
  ),
});

export const CreateKeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 100 })),
    type: Type.Optional(Type.String({ enum: ["secret", "restricted"], default: "restricted" })),
    scopes: Type.Optional(Type.Array(Type.String({ enum: [...SCOPES] }), { maxItems: SCOPES.length })),
  },
  { additionalProperties: false },
);

export const RollKeyBody = Type.Object(
  {
    expires_in: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 86_400,
        default: 0,
        description: "Seconds the old key keeps working.",
      }),
    ),
  },
  { additionalProperties: false },
);
