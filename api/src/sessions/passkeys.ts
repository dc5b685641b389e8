/**
 * Passkeys (WebAuthn) as the dashboard's second factor, with SimpleWebAuthn: register one from a signed-in
 * session, then assert it to step up the session for sensitive actions (sessionAuth.ts). A passkey belongs
 * to one team member (merchant and wallet): it steps up only that member's sessions. Each session holds
 * at most one outstanding challenge, valid for five minutes and consumed by the first answer to it.
 */
import { createHash } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type pg from "pg";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import type { DashboardOrigin } from "./dashboardOrigin.ts";
import { SignInError } from "./errors.ts";
import type { SessionRow } from "./sessions.ts";

const CHALLENGE_TTL_SECONDS = 5 * 60;

/** Loaded on the first passkey request, not at start-up: it is the API's heaviest import (~160 ms). */
const webauthn = () => import("@simplewebauthn/server");

export interface PasskeyRow {
  id: string;
  merchant_id: string;
  name: string;
  public_key: Buffer;
  counter: string;
  transports: string[];
  created_at: Date;
  last_used_at: Date | null;
}

export interface PasskeyObject {
  id: string;
  object: "passkey";
  name: string;
  created: number;
  last_used_at: number | null;
}

export function toPasskeyObject(row: PasskeyRow): PasskeyObject {
  return {
    id: row.id,
    object: "passkey",
    name: row.name,
    created: Math.floor(row.created_at.getTime() / 1000),
    last_used_at: row.last_used_at ? Math.floor(row.last_used_at.getTime() / 1000) : null,
  };
}

/** The team member a passkey belongs to: a session has both fields. */
export type PasskeyOwner = Pick<SessionRow, "merchant_id" | "address">;

export async function listPasskeys(db: Db, member: PasskeyOwner): Promise<PasskeyRow[]> {
  const { rows } = await db.query<PasskeyRow>(
    "SELECT * FROM passkeys WHERE merchant_id = $1 AND lower(address) = lower($2) ORDER BY created_at",
    [member.merchant_id, member.address],
  );
  return rows;
}

export async function hasPasskey(db: Db, member: PasskeyOwner): Promise<boolean> {
  const { rows } = await db.query(
    "SELECT 1 FROM passkeys WHERE merchant_id = $1 AND lower(address) = lower($2) LIMIT 1",
    [member.merchant_id, member.address],
  );
  return rows.length > 0;
}

async function storeChallenge(db: Db, sessionId: string, kind: string, challenge: string): Promise<void> {
  await db.query(
    `UPDATE dashboard_sessions SET webauthn_challenge = $2, webauthn_challenge_kind = $3,
            webauthn_challenge_expires_at = now() + make_interval(secs => $4) WHERE id = $1`,
    [sessionId, challenge, kind, CHALLENGE_TTL_SECONDS],
  );
}

/** Takes the session's outstanding challenge of `kind` (so it cannot be answered twice). */
async function takeChallenge(tx: Db, sessionId: string, kind: string): Promise<string> {
  const { rows } = await tx.query<{ challenge: string | null; live: boolean }>(
    `SELECT webauthn_challenge AS challenge,
            (webauthn_challenge_kind = $2 AND webauthn_challenge_expires_at > now()) AS live
       FROM dashboard_sessions WHERE id = $1 FOR UPDATE`,
    [sessionId, kind],
  );
  await tx.query(
    "UPDATE dashboard_sessions SET webauthn_challenge = NULL, webauthn_challenge_kind = NULL, webauthn_challenge_expires_at = NULL WHERE id = $1",
    [sessionId],
  );
  const row = rows[0];
  if (!row?.challenge || !row.live) {
    throw new SignInError(
      "passkey_challenge_invalid",
      `No ${kind} in progress for this session (or it expired): request new options`,
      "response",
    );
  }
  return row.challenge;
}

export async function registrationOptions(
  db: Db,
  origin: DashboardOrigin,
  session: SessionRow,
  merchantName: string,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await listPasskeys(db, session);
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName: "Pier dashboard",
    rpID: origin.rpId,
    userName: `${merchantName} (${session.address})`,
    userDisplayName: merchantName,
    // One WebAuthn user per team member; hashed, as a user handle is at most 64 bytes.
    userID: createHash("sha256").update(`${session.merchant_id}:${session.address.toLowerCase()}`).digest(),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
    timeout: CHALLENGE_TTL_SECONDS * 1000,
  });
  await storeChallenge(db, session.id, "registration", options.challenge);
  return options;
}

export async function verifyRegistration(
  pool: pg.Pool,
  origin: DashboardOrigin,
  session: SessionRow,
  response: RegistrationResponseJSON,
  name: string,
): Promise<PasskeyRow> {
  return withTransaction(pool, async (tx) => {
    const expectedChallenge = await takeChallenge(tx, session.id, "registration");
    const verified = await (await webauthn())
      .verifyRegistrationResponse({
        response,
        expectedChallenge,
        expectedOrigin: origin.origin,
        expectedRPID: origin.rpId,
        requireUserVerification: true,
      })
      .catch((error: Error) => {
        throw new SignInError(
          "passkey_invalid",
          `The passkey could not be verified: ${error.message}`,
          "response",
        );
      });
    if (!verified.verified) {
      throw new SignInError("passkey_invalid", "The passkey could not be verified", "response");
    }
    const { credential } = verified.registrationInfo;
    const { rows } = await tx.query<PasskeyRow>(
      `INSERT INTO passkeys (id, merchant_id, name, public_key, counter, transports, address)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING *`,
      [
        credential.id,
        session.merchant_id,
        name,
        Buffer.from(credential.publicKey),
        credential.counter,
        credential.transports ?? [],
        session.address,
      ],
    );
    if (!rows[0]) throw new SignInError("passkey_exists", "This passkey is already registered", "response");
    // Registering asserted user verification on this device: it counts as a fresh step-up.
    await tx.query("UPDATE dashboard_sessions SET step_up_at = now() WHERE id = $1", [session.id]);
    return rows[0];
  });
}

export async function authenticationOptions(
  db: Db,
  origin: DashboardOrigin,
  session: SessionRow,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = await listPasskeys(db, session);
  if (passkeys.length === 0) {
    throw new SignInError("passkey_none", "Register a passkey first (Security settings)");
  }
  const options = await (await webauthn()).generateAuthenticationOptions({
    rpID: origin.rpId,
    allowCredentials: passkeys.map((p) => ({ id: p.id, transports: p.transports })),
    userVerification: "required",
    timeout: CHALLENGE_TTL_SECONDS * 1000,
  });
  await storeChallenge(db, session.id, "authentication", options.challenge);
  return options;
}

/** Verifies an assertion of one of the member's passkeys and marks the session as stepped up. */
export async function verifyAuthentication(
  pool: pg.Pool,
  origin: DashboardOrigin,
  session: SessionRow,
  response: AuthenticationResponseJSON,
): Promise<Date> {
  return withTransaction(pool, async (tx) => {
    const expectedChallenge = await takeChallenge(tx, session.id, "authentication");
    const { rows } = await tx.query<PasskeyRow>(
      "SELECT * FROM passkeys WHERE id = $1 AND merchant_id = $2 AND lower(address) = lower($3) FOR UPDATE",
      [response.id, session.merchant_id, session.address],
    );
    const passkey = rows[0];
    if (!passkey) throw new SignInError("passkey_unknown", "This passkey is not registered here", "response");
    const verified = await (await webauthn())
      .verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: origin.origin,
        expectedRPID: origin.rpId,
        requireUserVerification: true,
        credential: {
          id: passkey.id,
          publicKey: new Uint8Array(passkey.public_key),
          counter: Number(passkey.counter),
          transports: passkey.transports as never,
        },
      })
      .catch((error: Error) => {
        throw new SignInError(
          "passkey_invalid",
          `The passkey could not be verified: ${error.message}`,
          "response",
        );
      });
    if (!verified.verified)
      throw new SignInError("passkey_invalid", "The passkey could not be verified", "response");
    await tx.query("UPDATE passkeys SET counter = $2, last_used_at = now() WHERE id = $1", [
      passkey.id,
      verified.authenticationInfo.newCounter,
    ]);
    const updated = await tx.query<{ step_up_at: Date }>(
      "UPDATE dashboard_sessions SET step_up_at = now() WHERE id = $1 RETURNING step_up_at",
      [session.id],
    );
    return updated.rows[0]!.step_up_at;
  });
}
