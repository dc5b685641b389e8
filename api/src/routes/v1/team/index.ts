/**
 * /v1/team: the merchant's members and invitations, for dashboard sessions only (auth "session"); what
 * each role may do is in team/roles.ts and routePermissions.ts. Every change is audited in its transaction.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import Type from "typebox";
import { audit } from "../../../audit/auditLog.ts";
import type { AppContext } from "../../../context.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { errors, IdempotencyHeaders, IdParams, ListOf, ListQuery } from "../../../schemas/common.ts";
import {
  ChangeRoleBody,
  InviteBody,
  MemberParams,
  TeamInvitation,
  TeamMember,
} from "../../../schemas/team.ts";
import {
  createInvitation,
  listInvitations,
  revokeInvitation,
  toInvitationObject,
} from "../../../team/invitations.ts";
import { type Acting, changeRole, listMembers, removeMember, toMemberObject } from "../../../team/members.ts";
import type { Role } from "../../../team/roles.ts";

const tags = ["Team"];

function acting(req: FastifyRequest): Acting {
  const member = req.principal.member!;
  return { merchantId: req.principal.merchantId, address: member.address, role: member.role };
}

export default async function teamRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const teamOnly = { livemode: null };

  app.get(
    "/v1/team/members",
    {
      config: { auth: "session" },
      schema: {
        tags,
        operationId: "listTeamMembers",
        summary: "List the team's members",
        description: "Every member with its role, oldest first.",
        response: { 200: ListOf(TeamMember, "All members"), ...errors(401, 403) },
      },
    },
    async (req) => ({
      object: "list" as const,
      data: (await listMembers(ctx.pool, req.principal.merchantId)).map(toMemberObject),
      has_more: false,
      url: "/v1/team/members",
    }),
  );

  app.post(
    "/v1/team/members/:address",
    {
      config: { auth: "session" },
      schema: {
        tags,
        operationId: "updateTeamMember",
        summary: "Change a member's role",
        description:
          "Only owners change owners; nobody grants a role above their own; the last owner cannot be demoted (409 last_owner). Applies to the member's open sessions at once.",
        headers: IdempotencyHeaders,
        params: MemberParams,
        body: ChangeRoleBody,
        response: { 200: TeamMember, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const { before, after } = await changeRole(
          tx,
          acting(req),
          req.params.address,
          req.body.role as Role,
        );
        await audit(
          tx,
          req,
          "team.role_changed",
          after.address,
          { before: { role: before.role }, after: { role: after.role } },
          teamOnly,
        );
        return toMemberObject(after);
      }),
  );

  app.delete(
    "/v1/team/members/:address",
    {
      config: { auth: "session" },
      schema: {
        tags,
        operationId: "removeTeamMember",
        summary: "Remove a member",
        description:
          "Their sessions end at once and their passkeys are deleted. The last owner cannot be removed (409 last_owner).",
        params: MemberParams,
        response: {
          200: Type.Object({
            object: Type.Literal("team_member"),
            address: Type.String(),
            deleted: Type.Literal(true),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const removed = await removeMember(tx, acting(req), req.params.address);
        await audit(
          tx,
          req,
          "team.member_removed",
          removed.address,
          { before: { role: removed.role } },
          teamOnly,
        );
        return { object: "team_member" as const, address: removed.address, deleted: true as const };
      }),
  );

  app.get(
    "/v1/team/invitations",
    {
      config: { auth: "session" },
      schema: {
        tags,
        operationId: "listTeamInvitations",
        summary: "List pending invitations",
        description: "Invitations not yet accepted, revoked or expired, newest first.",
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: { 200: ListOf(TeamInvitation, "A page of invitations"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listInvitations(ctx.pool, req.principal.merchantId, req.query);
      return {
        object: "list" as const,
        data: page.data.map(toInvitationObject),
        has_more: page.hasMore,
        url: "/v1/team/invitations",
      };
    },
  );

  app.post(
    "/v1/team/invitations",
    {
      config: { auth: "session" },
      schema: {
        tags,
        operationId: "createTeamInvitation",
        summary: "Invite a wallet with a role",
        description:
          "The wallet joins by signing in to the dashboard within 7 days. Inviting it again replaces its open invitation. Nobody invites with a role above their own.",
        headers: IdempotencyHeaders,
        body: InviteBody,
        response: { 200: TeamInvitation, ...errors(400, 401, 403, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const { invitation, replaced } = await createInvitation(tx, acting(req), {
          address: req.body.address,
          role: req.body.role as Role,
        });
        await audit(
          tx,
          req,
          "team.member_invited",
          invitation.id,
          { address: invitation.address, role: invitation.role, replaced },
          teamOnly,
        );
        return toInvitationObject(invitation);
      }),
  );

  app.post(
    "/v1/team/invitations/:id/revoke",
    {
      config: { auth: "session" },
      schema: {
        tags,
        operationId: "revokeTeamInvitation",
        summary: "Revoke a pending invitation",
        headers: IdempotencyHeaders,
        params: IdParams("^inv_[0-9A-Za-z]{24}$", "Invitation id (inv_...)"),
        response: { 200: TeamInvitation, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const invitation = await revokeInvitation(tx, acting(req), req.params.id);
        await audit(
          tx,
          req,
          "team.invitation_revoked",
          invitation.id,
          { address: invitation.address, role: invitation.role },
          teamOnly,
        );
        return toInvitationObject(invitation);
      }),
  );
}
