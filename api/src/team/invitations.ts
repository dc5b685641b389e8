/**
 * Invitations: an owner or admin invites a wallet with a role; the wallet accepts by signing in to the
 * dashboard (sessions/siwe.ts) before the invitation expires. Expiry is the database clock's now() plus
 * INVITATION_TTL_SECONDS, like sessions and sign-in nonces. Inviting a wallet again replaces its open
 * invitation.
 */
import type { Db } from "../db/pool.ts";
import { NotFoundError, StateError } from "../errors.ts";
import { newId } from "../lib/ids.ts";
import { paginate } from "../lib/paginate.ts";
import type { ListQueryT } from "../schemas/common.ts";
import { RoleGrantError } from "./errors.ts";
import {
  type Acting,
  addMember,
  currentActing,
  findMember,
  type MemberRow,
  memberAddress,
} from "./members.ts";
import { canGrant, type Role } from "./roles.ts";

/** How long an invitation can be accepted. */
export const INVITATION_TTL_SECONDS = 7 * 24 * 3600;

export interface InvitationRow {
  id: string;
  merchant_id: string;
  address: string;
  role: Role;
  invited_by: string;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

export function toInvitationObject(row: InvitationRow) {
  return {
    id: row.id,
    object: "team_invitation" as const,
    address: row.address,
    role: row.role,
    invited_by: row.invited_by,
    created: Math.floor(row.created_at.getTime() / 1000),
    expires_at: Math.floor(row.expires_at.getTime() / 1000),
  };
}

export async function createInvitation(
  tx: Db,
  actingAtAuth: Acting,
  input: { address: string; role: Role },
): Promise<{ invitation: InvitationRow; replaced: string | null }> {
  const address = memberAddress(input.address);
  const acting = await currentActing(tx, actingAtAuth);
  if (!canGrant(acting.role, input.role)) {
    throw new RoleGrantError(`The ${acting.role} role cannot grant the ${input.role} role`);
  }
  if (await findMember(tx, acting.merchantId, address)) {
    throw new StateError(
      "already_member",
      `${address} is already a member: change its role instead`,
      "address",
    );
  }
  const replaced = await tx.query<{ id: string }>(
    `UPDATE team_invitations SET revoked_at = now()
      WHERE merchant_id = $1 AND lower(address) = lower($2) AND accepted_at IS NULL AND revoked_at IS NULL
      RETURNING id`,
    [acting.merchantId, address],
  );
  const { rows } = await tx.query<InvitationRow>(
    `INSERT INTO team_invitations (id, merchant_id, address, role, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING *`,
    [newId("invitation"), acting.merchantId, address, input.role, acting.address, INVITATION_TTL_SECONDS],
  );
  return { invitation: rows[0]!, replaced: replaced.rows[0]?.id ?? null };
}

/** Open (not accepted, revoked or expired) invitations, newest first. */
export function listInvitations(db: Db, merchantId: string, query: ListQueryT) {
  return paginate<InvitationRow>(db, {
    table: "team_invitations",
    columns: "*",
    where: ["merchant_id = $1", "accepted_at IS NULL", "revoked_at IS NULL", "expires_at > now()"],
    params: [merchantId],
    query,
  });
}

export async function revokeInvitation(tx: Db, actingAtAuth: Acting, id: string): Promise<InvitationRow> {
  const acting = await currentActing(tx, actingAtAuth);
  const { rows } = await tx.query<InvitationRow>(
    "SELECT * FROM team_invitations WHERE id = $1 AND merchant_id = $2 FOR UPDATE",
    [id, acting.merchantId],
  );
  const invitation = rows[0];
  if (!invitation) throw new NotFoundError("invitation", id);
  if (invitation.accepted_at || invitation.revoked_at) {
    throw new StateError(
      "invitation_closed",
      `Invitation '${id}' was already ${invitation.accepted_at ? "accepted" : "revoked"}`,
    );
  }
  if (!canGrant(acting.role, invitation.role)) {
    throw new RoleGrantError(`The ${acting.role} role cannot revoke an invitation as ${invitation.role}`);
  }
  const updated = await tx.query<InvitationRow>(
    "UPDATE team_invitations SET revoked_at = now() WHERE id = $1 RETURNING *",
    [id],
  );
  return updated.rows[0]!;
}

/** The wallet's open invitation to `merchantId` (any merchant when not given, oldest first). */
export async function openInvitationFor(
  db: Db,
  address: string,
  merchantId?: string,
): Promise<InvitationRow | undefined> {
  const { rows } = await db.query<InvitationRow>(
    `SELECT * FROM team_invitations
      WHERE lower(address) = lower($1) AND ($2::text IS NULL OR merchant_id = $2)
        AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      ORDER BY created_at LIMIT 1`,
    [address, merchantId ?? null],
  );
  return rows[0];
}

/** Makes the invitee a member; undefined when the invitation was taken meanwhile (concurrent sign-in). */
export async function acceptInvitation(tx: Db, invitation: InvitationRow): Promise<MemberRow | undefined> {
  const taken = await tx.query(
    `UPDATE team_invitations SET accepted_at = now()
      WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
    [invitation.id],
  );
  if (taken.rowCount !== 1) return undefined;
  return addMember(tx, invitation.merchant_id, invitation.address, invitation.role);
}
