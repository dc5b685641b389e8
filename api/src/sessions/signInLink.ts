/**
 * One-time dashboard sign-in links, for test mode only: the operator (admin key) mints a short-lived,
 * single-use token for a merchant's owner, and the dashboard exchanges it for an ordinary session
 * (sessions.ts: the same cookie, CSRF token and step-up rules as a Sign-In with Ethereum). It exists so a
 * developer on the local stack can open the dashboard without a wallet holding the owner's key; an
 * instance that serves any live network refuses both minting and redeeming, so it can never become a way
 * around the owner wallet where money is real. Only the token's SHA-256 is stored; redeeming consumes the
 * link in the same transaction that creates the session, so of two concurrent uses exactly one wins.
 * Times come from the caller's `now` (the route passes the request's clock; tests pass a shifted one).
 */
import type pg from "pg";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { ApiError, AuthenticationError, NotFoundError, PermissionError } from "../errors.ts";
import { hashSecret } from "../keys/apiKeys.ts";
import { randomBase62 } from "../lib/ids.ts";
import { createSession, type SessionRow } from "./sessions.ts";

/** How long a minted link may wait to be opened. */
export const SIGN_IN_LINK_TTL_SECONDS = 10 * 60;
const TOKEN_PATTERN = /^[0-9A-Za-z]{43}$/;

export interface SignInLink {
  id: string;
  token: string;
  merchantId: string;
  expiresAt: Date;
}

/** Refuses when any network this instance serves is live: links are a local-development convenience. */
export function assertTestModeOnly(servesLive: boolean): void {
  if (servesLive) {
    throw new PermissionError(
      "sign_in_link_live_mode",
      "Dashboard sign-in links exist for test mode only, and this Pier serves a live network: sign in with the owner wallet",
    );
  }
}

/** A new link for `merchantId` (default: the oldest merchant), valid for SIGN_IN_LINK_TTL_SECONDS. */
export async function mintSignInLink(db: Db, input: { merchantId?: string; now: Date }): Promise<SignInLink> {
  const { rows } = await db.query<{ id: string }>(
    input.merchantId
      ? "SELECT id FROM merchants WHERE id = $1"
      : "SELECT id FROM merchants ORDER BY created_at, id LIMIT 1",
    input.merchantId ? [input.merchantId] : [],
  );
  const merchantId = rows[0]?.id;
  if (!merchantId) {
    if (input.merchantId) throw new NotFoundError("merchant", input.merchantId, "merchant");
    throw new ApiError(
      404,
      "invalid_request_error",
      "resource_missing",
      "This Pier has no merchant yet: create one first (POST /v1/admin/merchants, or pier admin merchants create)",
      { param: "merchant" },
    );
  }
  const token = randomBase62(43);
  const id = `dsl_${randomBase62(24)}`;
  const expiresAt = new Date(input.now.getTime() + SIGN_IN_LINK_TTL_SECONDS * 1000);
  await db.query(
    `INSERT INTO dashboard_sign_in_links (id, token_hash, merchant_id, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [id, hashSecret(token), merchantId, input.now, expiresAt],
  );
  return { id, token, merchantId, expiresAt };
}

/**
 * Exchanges a link's token for a test-mode session of the merchant's owner. Unknown, used and expired
 * tokens are 401s with codes of their own, and leave nothing behind.
 */
export async function redeemSignInLink(
  pool: pg.Pool,
  token: string,
  now: Date,
): Promise<{ session: SessionRow; token: string }> {
  if (!TOKEN_PATTERN.test(token)) throw invalid();
  const hash = hashSecret(token);
  return withTransaction(pool, async (tx) => {
    // Consumed only if unused and unexpired, in one statement: a concurrent second use finds used_at set.
    const { rows } = await tx.query<{ id: string; merchant_id: string }>(
      `UPDATE dashboard_sign_in_links l SET used_at = $2
        WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2
        RETURNING l.id, l.merchant_id`,
      [hash, now],
    );
    const link = rows[0];
    if (!link) throw await whyRefused(tx, hash);
    // The session is an owner's: the team's first owner now (ownership may have moved since the merchant
    // was created), so it passes the same member check as a wallet sign-in.
    const owner = await tx.query<{ address: string }>(
      "SELECT address FROM team_members WHERE merchant_id = $1 AND role = 'owner' ORDER BY created_at, address LIMIT 1",
      [link.merchant_id],
    );
    if (!owner.rows[0]) throw invalid();
    const { row, token: cookie } = await createSession(tx, {
      merchantId: link.merchant_id,
      address: owner.rows[0].address,
      livemode: false,
      role: "owner",
    });
    await tx.query("UPDATE dashboard_sign_in_links SET session_id = $2 WHERE id = $1", [link.id, row.id]);
    return { session: row, token: cookie };
  });
}

async function whyRefused(db: Db, hash: string): Promise<AuthenticationError> {
  const { rows } = await db.query<{ used: boolean }>(
    "SELECT used_at IS NOT NULL AS used FROM dashboard_sign_in_links WHERE token_hash = $1",
    [hash],
  );
  if (!rows[0]) return invalid();
  return rows[0].used
    ? new AuthenticationError(
        "sign_in_link_used",
        "This sign-in link was already used: each link signs in once. Run `pier dashboard` for a new one",
      )
    : new AuthenticationError(
        "sign_in_link_expired",
        `This sign-in link has expired (links last ${SIGN_IN_LINK_TTL_SECONDS / 60} minutes). Run \`pier dashboard\` for a new one`,
      );
}

const invalid = () =>
  new AuthenticationError(
    "sign_in_link_invalid",
    "This sign-in link is not one this Pier issued. Run `pier dashboard` for a new one",
  );
