/** Webhook endpoint, event and delivery schemas. */
import Type from "typebox";
import { EVENT_TYPES } from "../webhooks/eventTypes.ts";
import { Nullable, UnixTime } from "./common.ts";

const EventType = Type.String({ enum: ["*", ...EVENT_TYPES] });

export const WebhookEndpoint = Type.Object({
  id: Type.String(),
  object: Type.Literal("webhook_endpoint"),
  livemode: Type.Boolean(),
  url: Type.String(),
  description: Nullable(Type.String()),
  enabled_events: Type.Array(Type.String()),
  status: Type.String({ enum: ["enabled", "disabled"] }),
  created: UnixTime,
  secret: Type.Optional(Type.String({ description: "Signing secret; only when created or rotated." })),
});

export const CreateEndpointBody = Type.Object(
  {
    url: Type.String({ maxLength: 2048 }),
    enabled_events: Type.Array(EventType, { minItems: 1, maxItems: 50 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const UpdateEndpointBody = Type.Object(
  {
    url: Type.Optional(Type.String({ maxLength: 2048 })),
    enabled_events: Type.Optional(Type.Array(EventType, { minItems: 1, maxItems: 50 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const RotateSecretBody = Type.Object(
  {
    expires_in: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 86_400,
        default: 86_400,
        description: "Seconds the current secret keeps signing next to the new one.",
      }),
    ),
  },
  { additionalProperties: false },
);

export const Event = Type.Object({
  id: Type.String(),
  object: Type.Literal("event"),
  type: Type.String(),
  created: UnixTime,
  livemode: Type.Boolean(),
  data: Type.Object({ object: Type.Any() }),
  order: Nullable(Type.String()),
  pending_webhooks: Type.Integer(),
});

export const Delivery = Type.Object({
  id: Type.String(),
  object: Type.Literal("webhook_delivery"),
  event: Type.String(),
  endpoint: Type.String(),
  status: Type.String({ enum: ["pending", "succeeded", "failed"] }),
  attempts: Type.Integer(),
  next_attempt_at: Nullable(UnixTime),
  last_status_code: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  created: UnixTime,
  completed_at: Nullable(UnixTime),
  attempts_log: Type.Array(
    Type.Object({
      attempt: Type.Integer(),
      started_at: UnixTime,
      duration_ms: Type.Integer(),
      status_code: Nullable(Type.Integer()),
      error: Nullable(Type.String()),
    }),
  ),
});
