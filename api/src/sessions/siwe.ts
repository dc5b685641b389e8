/**
 * Sign-In with Ethereum (EIP-4361) for a merchant's team members: the API issues single-use nonces and
 * accepts a signed message only when its domain, URI, chain, nonce and validity window are the ones this
 * instance expects and the signature is the wallet's (EOA or, through viem, a smart account). The wallet
 * must be a member of the merchant or hold an open invitation to it, which signing in accepts (team/).
 * Checks run before anything is written: a refused message leaves its nonce unused and creates no session.
 */

import type pg from "pg";
import type { Static } from "typebox";
import type { Hex, PublicClient } from "viem";
import { getAddress } from "viem";
import { generateSiweNonce, parseSiweMessage } from "viem/siwe";
import { recordAudit } from "../audit/auditLog.ts";
import { modeName } from "../chain/networks.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import type { SiweNonce } from "../schemas/dashboard.ts";
import { acceptInvitation, type InvitationRow, openInvitationFor } from "../team/invitations.ts";
import type { Role } from "../team/roles.ts";
import type { DashboardOrigin } from "./dashboardOrigin.ts";
import { SignInError } from "./errors.ts";
import { createSession, type SessionRow } from "./sessions.ts";

export const NONCE_TTL_SECONDS = 10 * 60;

/** The `siwe_nonce` object (schemas/dashboard.ts). */
export type NonceObject = Static<typeof SiweNonce>;

export const SIWE_STATEMENT = "Sign in to the Pier merchant dashboard.";

export async function issueNonce(db: Db, origin: DashboardOrigin, chainId: number): Promise<NonceObject> {
  const nonce = generateSiweNonce();
  const { rows } = await db.query<{ expires_at: Date }>(
    "INSERT INTO siwe_nonces (nonce, expires_at) VALUES ($1, now() + make_interval(secs => $2)) RETURNING expires_at",
    [nonce, NONCE_TTL_SECONDS],
  );
  // Old nonces are of no use to anyone: drop them now and then rather than in a job.
  if (Math.random() < 0.05) {
    db.query("DELETE FROM siwe_nonces WHERE expires_at < now() - interval '1 day'").catch(() => {});
  }
  return {
    object: "siwe_nonce",
    nonce,
    domain: origin.domain,
    uri: `${origin.origin}/dashboard`,
    chain_id: chainId,
    statement: SIWE_STATEMENT,
    expires_at: Math.floor(rows[0]!.expires_at.getTime() / 1000),
  };
}

export interface SignInInput {
  message: string;
  signature: Hex;
  /** Which merchant, when the wallet belongs to several (default: its oldest membership, else invitation). */
  merchantId?: string;
}

/** A network sign-in may name: its chain id picks the session's mode, its RPC checks contract wallets. */
export interface SignInNetwork {
  chainId: number;
  client: PublicClient;
  livemode: boolean;
}

export interface SignInContext {
  pool: pg.Pool;
  origin: DashboardOrigin;
  /** One per mode served (each mode's home network). */
  networks: SignInNetwork[];
  now?: Date;
  /** The sign-in request's id, for the audit entry of an accepted invitation. */
  requestId?: string;
}

export async function signIn(
  ctx: SignInContext,
  input: SignInInput,
): Promise<{ session: SessionRow; token: string; merchantName: string }> {
  const now = ctx.now ?? new Date();
  const fields = parseSiweMessage(input.message);
  if (!fields.address || !fields.domain || !fields.nonce || !fields.uri || !fields.version) {
    throw new SignInError(
      "siwe_message_invalid",
      "Not a Sign-In with Ethereum (EIP-4361) message: it needs a domain, address, URI, version and nonce",
      "message",
    );
  }
  if (fields.version !== "1") {
    throw new SignInError("siwe_message_invalid", "Only SIWE message version 1 is supported", "message");
  }
  if (fields.domain !== ctx.origin.domain) {
    throw new SignInError(
      "siwe_domain_mismatch",
      `The message is for '${fields.domain}', but this dashboard is '${ctx.origin.domain}'`,
      "message",
    );
  }
  if (!sameOrigin(fields.uri, ctx.origin.origin)) {
    throw new SignInError(
      "siwe_uri_mismatch",
      `The message's URI must be on ${ctx.origin.origin}`,
      "message",
    );
  }
  const network = ctx.networks.find((n) => n.chainId === fields.chainId);
  if (!network) {
    const served = ctx.networks.map((n) => `${n.chainId} (${modeName(n.livemode)})`).join(" or ");
    throw new SignInError(
      "siwe_chain_mismatch",
      `The message is for chain ${fields.chainId ?? "(none)"}, sign-in here names chain ${served}`,
      "message",
    );
  }
  if (fields.expirationTime && fields.expirationTime.getTime() <= now.getTime()) {
    throw new SignInError("siwe_expired", "The sign-in message has expired: sign a new one", "message");
  }
  if (fields.notBefore && fields.notBefore.getTime() > now.getTime()) {
    throw new SignInError("siwe_not_yet_valid", "The sign-in message is not valid yet", "message");
  }
  const nonce = await ctx.pool.query<{ usable: boolean }>(
    "SELECT (used_at IS NULL AND expires_at > now()) AS usable FROM siwe_nonces WHERE nonce = $1",
    [fields.nonce],
  );
  if (!nonce.rows[0]?.usable) {
    throw new SignInError(
      "siwe_nonce_invalid",
      "This sign-in nonce is unknown, expired or already used: request a new one",
      "message",
    );
  }
  const valid = await network.client
    .verifyMessage({ address: fields.address, message: input.message, signature: input.signature })
    .catch(() => false);
  if (!valid) {
    throw new SignInError(
      "siwe_signature_invalid",
      "The signature does not match the message and its address",
      "signature",
      401,
    );
  }
  const address = getAddress(fields.address);
  const access = await memberAccess(ctx.pool, address, input.merchantId);

  return withTransaction(ctx.pool, async (tx) => {
    // Consumed only now, atomically: of two concurrent sign-ins with one nonce, one wins.
    const used = await tx.query(
      "UPDATE siwe_nonces SET used_at = now() WHERE nonce = $1 AND used_at IS NULL AND expires_at > now()",
      [fields.nonce],
    );
    if (used.rowCount !== 1) {
      throw new SignInError(
        "siwe_nonce_invalid",
        "This sign-in nonce is unknown, expired or already used: request a new one",
        "message",
      );
    }
    let role = access.role;
    if (access.invitation) {
      const member = await acceptInvitation(tx, access.invitation);
      if (!member) throw notMember(address, input.merchantId);
      role = member.role;
      await recordAudit(tx, {
        merchantId: access.merchantId,
        livemode: null,
        actor: { type: "member", id: address },
        action: "team.invitation_accepted",
        objectId: access.invitation.id,
        details: { address, role, invited_by: access.invitation.invited_by },
        requestId: ctx.requestId,
      });
    }
    const { row, token } = await createSession(tx, {
      merchantId: access.merchantId,
      address,
      livemode: network.livemode,
      role,
    });
    return { session: row, token, merchantName: access.merchantName };
  });
}

function sameOrigin(uri: string, origin: string): boolean {
  try {
    return new URL(uri).origin === origin;
  } catch {
    return false;
  }
}

interface MemberAccess {
  merchantId: string;
  merchantName: string;
  role: Role;
  /** Set when the wallet is not a member yet: signing in accepts this invitation. */
  invitation?: InvitationRow;
}

/** How the wallet may enter: as a member of the merchant, else by its open invitation to it. */
async function memberAccess(db: Db, address: string, merchantId: string | undefined): Promise<MemberAccess> {
  const { rows } = await db.query<{ merchant_id: string; name: string; role: Role }>(
    `SELECT m.merchant_id, mer.name, m.role FROM team_members m JOIN merchants mer ON mer.id = m.merchant_id
      WHERE lower(m.address) = lower($1) ORDER BY m.created_at, m.merchant_id`,
    [address],
  );
  const member = merchantId ? rows.find((r) => r.merchant_id === merchantId) : rows[0];
  if (member) return { merchantId: member.merchant_id, merchantName: member.name, role: member.role };
  const invitation = await openInvitationFor(db, address, merchantId);
  if (invitation) {
    const merchant = await db.query<{ name: string }>("SELECT name FROM merchants WHERE id = $1", [
      invitation.merchant_id,
    ]);
    return {
      merchantId: invitation.merchant_id,
      merchantName: merchant.rows[0]!.name,
      role: invitation.role,
      invitation,
    };
  }
  throw notMember(address, merchantId);
}

function notMember(address: string, merchantId: string | undefined): SignInError {
  return new SignInError(
    "not_merchant_member",
    merchantId
      ? `${address} is not a member of merchant '${merchantId}' and has no open invitation to it`
      : `${address} is not a member of any merchant's team and has no open invitation`,
    "message",
    401,
  );
}
