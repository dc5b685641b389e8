/**
 * Team members: wallets with a role on a merchant. Changing a role or removing a member locks the
 * merchant's member rows first, so two concurrent demotions cannot both pass the last-owner check; a
 * removed member's sessions end in the same transaction.
 */
import { type Address, getAddress, isAddress } from "viem";
import type { Db } from "../db/pool.ts";
import { InvalidRequestError, NotFoundError } from "../errors.ts";
import { LastOwnerError, RoleGrantError } from "./errors.ts";
import { canGrant, type Role } from "./roles.ts";

export interface MemberRow {
  merchant_id: string;
  address: string;
  role: Role;
  created_at: Date;
  updated_at: Date;
}

export interface Acting {
  merchantId: string;
  address: string;
  role: Role;
}

/** A non-zero EVM address, checksummed; a 400 on `param` otherwise. */
export function memberAddress(value: string, param = "address"): Address {
  if (!isAddress(value, { strict: false }) || /^0x0{40}$/i.test(value)) {
    throw new InvalidRequestError("parameter_invalid", `${param} must be a non-zero EVM address`, param);
  }
  return getAddress(value);
}

export function toMemberObject(row: MemberRow) {
  return {
    object: "team_member" as const,
    address: row.address,
    role: row.role,
    created: Math.floor(row.created_at.getTime() / 1000),
  };
}

export async function listMembers(db: Db, merchantId: string): Promise<MemberRow[]> {
  const { rows } = await db.query<MemberRow>(
    "SELECT * FROM team_members WHERE merchant_id = $1 ORDER BY created_at, address",
    [merchantId],
  );
  return rows;
}

export async function findMember(
  db: Db,
  merchantId: string,
  address: string,
): Promise<MemberRow | undefined> {
  const { rows } = await db.query<MemberRow>(
    "SELECT * FROM team_members WHERE merchant_id = $1 AND lower(address) = lower($2)",
    [merchantId, address],
  );
  return rows[0];
}

export async function addMember(db: Db, merchantId: string, address: string, role: Role): Promise<MemberRow> {
  const { rows } = await db.query<MemberRow>(
    `INSERT INTO team_members (merchant_id, address, role) VALUES ($1, $2, $3)
     ON CONFLICT (merchant_id, address) DO UPDATE SET role = EXCLUDED.role, updated_at = now() RETURNING *`,
    [merchantId, getAddress(address), role],
  );
  return rows[0]!;
}

/**
 * The member to change and the acting member's role as of now, with every member row of the merchant
 * locked: the last-owner check counts them, and a change that committed meanwhile (the actor demoted by
 * a concurrent request) is seen rather than the role the session started with.
 */
async function lockedTarget(tx: Db, acting: Acting, address: string) {
  const { rows } = await tx.query<MemberRow>(
    "SELECT * FROM team_members WHERE merchant_id = $1 ORDER BY address FOR UPDATE",
    [acting.merchantId],
  );
  const find = (a: string) => rows.find((r) => r.address.toLowerCase() === a.toLowerCase());
  const target = find(address);
  if (!target) throw new NotFoundError("team member", address, "address");
  const actor = find(acting.address);
  if (!actor) throw new RoleGrantError("You are no longer a member of this team");
  return {
    target,
    actor: { ...acting, role: actor.role },
    owners: rows.filter((r) => r.role === "owner").length,
  };
}

/**
 * The acting member with its role as of now, its row locked against a concurrent change (FOR SHARE): a
 * grant is judged by the role the member holds when it commits, not when its session was read.
 */
export async function currentActing(tx: Db, acting: Acting): Promise<Acting> {
  const { rows } = await tx.query<{ role: Role }>(
    "SELECT role FROM team_members WHERE merchant_id = $1 AND lower(address) = lower($2) FOR SHARE",
    [acting.merchantId, acting.address],
  );
  if (!rows[0]) throw new RoleGrantError("You are no longer a member of this team");
  return { ...acting, role: rows[0].role };
}

/** Only owners touch owners; nobody grants a role above their own. */
function assertMayManage(acting: Acting, target: Role, next?: Role): void {
  if (target === "owner" && acting.role !== "owner") {
    throw new RoleGrantError(`Only an owner can change or remove an owner (you are ${acting.role})`);
  }
  if (next && !canGrant(acting.role, next)) {
    throw new RoleGrantError(`The ${acting.role} role cannot grant the ${next} role`);
  }
}

export async function changeRole(
  tx: Db,
  acting: Acting,
  address: string,
  role: Role,
): Promise<{ before: MemberRow; after: MemberRow }> {
  const { target, actor, owners } = await lockedTarget(tx, acting, address);
  assertMayManage(actor, target.role, role);
  if (target.role === "owner" && role !== "owner" && owners <= 1) throw new LastOwnerError("demoted");
  const { rows } = await tx.query<MemberRow>(
    "UPDATE team_members SET role = $3, updated_at = now() WHERE merchant_id = $1 AND address = $2 RETURNING *",
    [acting.merchantId, target.address, role],
  );
  return { before: target, after: rows[0]! };
}

/** Removes a member, ends every session they have on this merchant at once, and drops their passkeys. */
export async function removeMember(tx: Db, acting: Acting, address: string): Promise<MemberRow> {
  const { target, actor, owners } = await lockedTarget(tx, acting, address);
  assertMayManage(actor, target.role);
  if (target.role === "owner" && owners <= 1) throw new LastOwnerError("removed");
  await tx.query("DELETE FROM team_members WHERE merchant_id = $1 AND address = $2", [
    acting.merchantId,
    target.address,
  ]);
  await tx.query(
    `UPDATE dashboard_sessions SET revoked_at = now()
      WHERE merchant_id = $1 AND lower(address) = lower($2) AND revoked_at IS NULL`,
    [acting.merchantId, target.address],
  );
  // Their passkeys go too: a wallet invited again later registers its own.
  await tx.query("DELETE FROM passkeys WHERE merchant_id = $1 AND lower(address) = lower($2)", [
    acting.merchantId,
    target.address,
  ]);
  return target;
}

/** The merchants a wallet belongs to, oldest membership first. */
export async function membershipsOf(db: Db, address: string): Promise<MemberRow[]> {
  const { rows } = await db.query<MemberRow>(
    "SELECT * FROM team_members WHERE lower(address) = lower($1) ORDER BY created_at, merchant_id",
    [address],
  );
  return rows;
}
