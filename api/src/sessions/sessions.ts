/**
 * Dashboard sessions: a random cookie value (only its SHA-256 is stored), a CSRF token the page echoes in
 * a header, an expiry, logout, and the time of the last passkey step-up.
 */
import type { Db } from "../db/pool.ts";
import { hashSecret } from "../keys/apiKeys.ts";
import { randomBase62 } from "../lib/ids.ts";
import type { Role } from "../team/roles.ts";

export const SESSION_COOKIE = "pier_session";
export const CSRF_HEADER = "x-csrf-token";
/** How long a sign-in lasts. */
export const SESSION_TTL_SECONDS = 12 * 3600;
/** How long a passkey assertion authorizes sensitive actions. */
export const STEP_UP_TTL_SECONDS = 5 * 60;

export interface SessionRow {
  id: string;
  merchant_id: string;
  address: string;
  livemode: boolean;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
  step_up_at: Date | null;
  /** The member's role now (team_members): a role change applies to sessions already open. */
  role: Role;
}

const COLUMNS = "id, merchant_id, address, livemode, csrf_token, created_at, expires_at, step_up_at";

export async function createSession(
  db: Db,
  input: { merchantId: string; address: string; livemode: boolean; role: Role },
): Promise<{ row: SessionRow; token: string }> {
  const token = randomBase62(43);
  const { rows } = await db.query<SessionRow>(
    `INSERT INTO dashboard_sessions (id, token_hash, merchant_id, address, livemode, csrf_token, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7)) RETURNING ${COLUMNS}`,
    [
      `sess_${randomBase62(24)}`,
      hashSecret(token),
      input.merchantId,
      input.address,
      input.livemode,
      randomBase62(32),
      SESSION_TTL_SECONDS,
    ],
  );
  return { row: { ...rows[0]!, role: input.role }, token };
}

/**
 * The live session of a cookie value, or undefined (unknown, expired, logged out, or its wallet is no
 * longer a member of the merchant).
 */
export async function findSession(db: Db, token: string): Promise<SessionRow | undefined> {
  if (!/^[0-9A-Za-z]{43}$/.test(token)) return undefined;
  const { rows } = await db.query<SessionRow>(
    `SELECT ${COLUMNS.split(", ")
      .map((c) => `s.${c}`)
      .join(", ")}, m.role
       FROM dashboard_sessions s
       JOIN team_members m ON m.merchant_id = s.merchant_id AND lower(m.address) = lower(s.address)
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
    [hashSecret(token)],
  );
  return rows[0];
}

export async function revokeSession(db: Db, id: string): Promise<void> {
  await db.query("UPDATE dashboard_sessions SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1", [
    id,
  ]);
}

export function stepUpFresh(session: Pick<SessionRow, "step_up_at">, now = Date.now()): boolean {
  return session.step_up_at !== null && now - session.step_up_at.getTime() < STEP_UP_TTL_SECONDS * 1000;
}

export function stepUpUntil(session: Pick<SessionRow, "step_up_at">): number | null {
  return session.step_up_at ? Math.floor(session.step_up_at.getTime() / 1000) + STEP_UP_TTL_SECONDS : null;
}
