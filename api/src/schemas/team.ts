/** Team and audit log schemas (/v1/team, /v1/audit_log). */
import Type from "typebox";
import { AUDIT_ACTION_NAMES } from "../audit/actions.ts";
import { ROLES } from "../team/roles.ts";
import { Address, Nullable, UnixTime } from "./common.ts";

const RoleT = Type.String({
  enum: [...ROLES],
  description: "owner, admin, developer, support or accountant.",
});

export const TeamMember = Type.Object({
  object: Type.Literal("team_member"),
  address: Address,
  role: RoleT,
  created: UnixTime,
});

export const TeamInvitation = Type.Object({
  id: Type.String(),
  object: Type.Literal("team_invitation"),
  address: Address,
  role: RoleT,
  invited_by: Address,
  created: UnixTime,
  expires_at: UnixTime,
});

export const MemberParams = Type.Object({ address: Address });

export const ChangeRoleBody = Type.Object({ role: RoleT }, { additionalProperties: false });

export const InviteBody = Type.Object({ address: Address, role: RoleT }, { additionalProperties: false });

export const AuditEntry = Type.Object({
  id: Type.String(),
  object: Type.Literal("audit_entry"),
  livemode: Nullable(Type.Boolean({ description: "Null for team actions, which span both modes." })),
  actor: Type.Object({
    type: Type.String({ enum: ["member", "api_key", "admin"] }),
    id: Type.String({ description: "Member address, API key id (key_...) or `admin`." }),
  }),
  action: Type.String({ enum: AUDIT_ACTION_NAMES }),
  object_id: Nullable(Type.String()),
  details: Type.Object(
    {},
    { additionalProperties: true, description: "Before/after or the action's details." },
  ),
  request_id: Nullable(Type.String()),
  created: UnixTime,
});

export const AuditFilterQuery = {
  action: Type.Optional(
    Type.String({ maxLength: 64, description: "Only this action, e.g. `refund.created`." }),
  ),
  actor: Type.Optional(
    Type.String({ maxLength: 64, description: "Only this actor: member address, API key id or `admin`." }),
  ),
};
