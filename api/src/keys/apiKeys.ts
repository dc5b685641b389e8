/**
 * API keys: `sk_test_...` / `sk_live_...` secrets with 240 bits of entropy, shown once and stored only
 * as their SHA-256. Create, list, revoke and roll (a new secret; the old one may live on for a grace
 * period); authenticate a bearer secret.
 */
import { createHash } from "node:crypto";
import type { Static } from "typebox";
import { modeName } from "../chain/networks.ts";
import type { Db } from "../db/pool.ts";
import { AuthenticationError, InvalidRequestError, NotFoundError, PermissionError } from "../errors.ts";
import { newId, randomBase62 } from "../lib/ids.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import type { ListQueryT } from "../schemas/common.ts";
import type { ApiKey } from "../schemas/key.ts";
import type { Role } from "../team/roles.ts";
import { hasScope, SCOPES, type Scope } from "./scopes.ts";

export interface ApiKeyRow {
  id: string;
  merchant_id: string;
  livemode: boolean;
  name: string;
  type: "secret" | "restricted";
  scopes: string[];
  redacted: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

/** The API's `api_key` object (schemas/key.ts). */
export type ApiKeyObject = Static<typeof ApiKey>;

/** The authenticated caller of a request. */
export interface Principal {
  keyId: string;
  merchantId: string;
  livemode: boolean;
  scopes: readonly string[] | "all";
  /** Set for a dashboard session: the signed-in team member (keyId is then the session id). */
  member?: { address: string; role: Role };
}

const COLUMNS =
  "id, merchant_id, livemode, name, type, scopes, redacted, created_at, expires_at, revoked_at, last_used_at";

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

const unix = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

export function toApiKeyObject(row: ApiKeyRow, secret?: string): ApiKeyObject {
  return {
    id: row.id,
    object: "api_key",
    livemode: row.livemode,
    name: row.name,
    type: row.type,
    scopes: row.type === "secret" ? [...SCOPES] : row.scopes,
    redacted: row.redacted,
    created: unix(row.created_at)!,
    expires_at: unix(row.expires_at),
    revoked_at: unix(row.revoked_at),
    last_used_at: unix(row.last_used_at),
    ...(secret ? { secret } : {}),
  };
}

export interface CreateKeyInput {
  merchantId: string;
  livemode: boolean;
  name?: string;
  type: "secret" | "restricted";
  scopes?: string[];
}

export async function createApiKey(
  db: Db,
  input: CreateKeyInput,
): Promise<{ row: ApiKeyRow; secret: string }> {
  const scopes = input.type === "restricted" ? normalizeScopes(input.scopes) : [];
  const secret = `sk_${input.livemode ? "live" : "test"}_${randomBase62(40)}`;
  const redacted = `${secret.slice(0, 8)}...${secret.slice(-4)}`;
  const { rows } = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (id, merchant_id, livemode, name, type, scopes, secret_hash, redacted)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [
      newId("apiKey"),
      input.merchantId,
      input.livemode,
      input.name ?? "",
      input.type,
      scopes,
      hashSecret(secret),
      redacted,
    ],
  );
  return { row: rows[0]!, secret };
}

function normalizeScopes(scopes: string[] | undefined): string[] {
  if (!scopes || scopes.length === 0) {
    throw new InvalidRequestError("parameter_missing", "A restricted key needs at least one scope", "scopes");
  }
  for (const s of scopes) {
    if (!(SCOPES as readonly string[]).includes(s)) {
      throw new InvalidRequestError(
        "parameter_invalid",
        `Unknown scope '${s}'; one of ${SCOPES.join(", ")}`,
        "scopes",
      );
    }
  }
  return [...new Set(scopes)].sort();
}

/** A key may only create or roll keys that can do no more than itself. */
export function assertCanGrant(
  principal: Principal,
  type: "secret" | "restricted",
  scopes: string[] | undefined,
) {
  if (principal.scopes === "all") return;
  if (type === "secret" || (scopes ?? []).some((s) => !hasScope(principal.scopes, s as Scope))) {
    throw new PermissionError(
      "scope_escalation",
      "A restricted key cannot create a key with more access than itself",
    );
  }
}

/**
 * Valid keys are remembered for a second: authentication is a query on every request otherwise. A key
 * revoked or rolled through this process is dropped at once; through another process, within the TTL.
 */
const AUTH_CACHE_MS = 1_000;
const authCache = new Map<string, { principal: Principal; until: number }>();

function forgetKey(keyId: string): void {
  for (const [hash, entry] of authCache) if (entry.principal.keyId === keyId) authCache.delete(hash);
}

/**
 * Resolves a bearer secret to its key. Revoked and expired keys are refused with distinct codes; a key
 * of a mode this instance serves no network of is refused too (`serves`: live mainnets, test testnets).
 */
export async function authenticate(
  db: Db,
  secret: string,
  serves: (livemode: boolean) => boolean,
): Promise<Principal> {
  const mode = /^sk_(test|live)_[0-9A-Za-z]{40}$/.exec(secret)?.[1];
  if (!mode) throw new AuthenticationError("api_key_invalid", "Invalid API key provided");
  const hash = hashSecret(secret);
  const cached = authCache.get(hash);
  if (cached && cached.until > Date.now()) return cached.principal;
  const { rows } = await db.query<ApiKeyRow & { expired: boolean }>(
    `SELECT ${COLUMNS}, (expires_at IS NOT NULL AND expires_at <= now()) AS expired
       FROM api_keys WHERE secret_hash = $1`,
    [hash],
  );
  const row = rows[0];
  if (!row) throw new AuthenticationError("api_key_invalid", "Invalid API key provided");
  if (row.revoked_at) throw new AuthenticationError("api_key_revoked", "This API key has been revoked");
  if (row.expired) throw new AuthenticationError("api_key_expired", "This API key has expired");
  if (!serves(row.livemode)) {
    throw new AuthenticationError(
      "livemode_mismatch",
      `This Pier serves no ${modeName(row.livemode)} network; use an sk_${modeName(!row.livemode)}_ key`,
    );
  }
  // Record use at most once a minute per key: a write per request would cost more than the lookup.
  db.query(
    "UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
    [row.id],
  ).catch(() => {});
  const principal: Principal = {
    keyId: row.id,
    merchantId: row.merchant_id,
    livemode: row.livemode,
    scopes: row.type === "secret" ? "all" : row.scopes,
  };
  const until = Math.min(Date.now() + AUTH_CACHE_MS, row.expires_at?.getTime() ?? Number.POSITIVE_INFINITY);
  if (authCache.size > 10_000) authCache.clear();
  authCache.set(hash, { principal, until });
  return principal;
}

export async function getApiKey(db: Db, principal: Principal, id: string): Promise<ApiKeyRow> {
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE id = $1 AND merchant_id = $2 AND livemode = $3`,
    [id, principal.merchantId, principal.livemode],
  );
  if (!rows[0]) throw new NotFoundError("api_key", id);
  return rows[0];
}

export function listApiKeys(db: Db, principal: Principal, query: ListQueryT): Promise<Page<ApiKeyRow>> {
  return paginate<ApiKeyRow>(db, {
    table: "api_keys",
    columns: COLUMNS,
    where: ["merchant_id = $1", "livemode = $2"],
    params: [principal.merchantId, principal.livemode],
    query,
  });
}

export async function revokeApiKey(db: Db, principal: Principal, id: string): Promise<ApiKeyRow> {
  await getApiKey(db, principal, id);
  const { rows } = await db.query<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  forgetKey(id);
  return rows[0]!;
}

/**
 * Replaces a key by a new one with the same name, type and scopes. The old key stops working now, or
 * after `expiresIn` seconds so deployments can switch over.
 */
export async function rollApiKey(
  db: Db,
  principal: Principal,
  id: string,
  expiresIn: number,
): Promise<{ row: ApiKeyRow; secret: string }> {
  const old = await getApiKey(db, principal, id);
  if (old.revoked_at)
    throw new InvalidRequestError("api_key_revoked", "A revoked key cannot be rolled", "id");
  if (old.expires_at && old.expires_at.getTime() <= Date.now()) {
    throw new InvalidRequestError("api_key_expired", "An expired key cannot be rolled", "id");
  }
  assertCanGrant(principal, old.type, old.scopes);
  const created = await createApiKey(db, {
    merchantId: old.merchant_id,
    livemode: old.livemode,
    name: old.name,
    type: old.type,
    scopes: old.scopes,
  });
  await db.query(
    "UPDATE api_keys SET expires_at = now() + make_interval(secs => $2), rolled_to = $3 WHERE id = $1",
    [id, expiresIn, created.row.id],
  );
  forgetKey(id);
  return created;
}
