/**
 * Idempotency-Key for POST routes. The route's work and the stored response commit in one transaction,
 * so a response is stored exactly when its effects are:
 *
 *   - new key: run the work, store (status, body, request hash) with it for 24 h;
 *   - same key and same request (method, path, canonical body): replay the stored response
 *     (header `Idempotent-Replayed: true`);
 *   - same key, other request: 400 idempotency_key_reused;
 *   - same key while the first request is still running: 409 idempotency_key_in_use (an advisory lock
 *     on the key, tried without waiting).
 * Errors are not stored: a failed request may be retried with the same key. Without the header the work
 * still runs in one transaction, unless the route says its work is a single statement (`atomic: true`):
 * then it runs on the pool, saving a connection checkout and BEGIN/COMMIT on the hot path.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type pg from "pg";
import type { AppContext } from "../context.ts";
import { IdempotencyError } from "../errors.ts";
import { canonicalJson, sha256Hex } from "../lib/canonicalJson.ts";

const TTL = "24 hours";

export async function idempotent<T>(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  statusCode: number,
  work: (tx: pg.PoolClient | pg.Pool) => Promise<T>,
  { atomic = false }: { atomic?: boolean } = {},
): Promise<T> {
  const key = request.headers["idempotency-key"];
  if (atomic && typeof key !== "string") {
    const result = await work(ctx.pool);
    reply.code(statusCode);
    return result;
  }
  const client = await ctx.pool.connect();
  try {
    await client.query("BEGIN");
    let scope: string | undefined;
    let requestHash: string | undefined;
    if (typeof key === "string") {
      scope = request.isAdmin ? "admin" : `${request.principal.merchantId}:${request.principal.livemode}`;
      requestHash = sha256Hex(canonicalJson({ m: request.method, u: request.url, b: request.body ?? null }));
      const locked = await client.query<{ ok: boolean }>(
        "SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS ok",
        [scope, key],
      );
      if (!locked.rows[0]?.ok) {
        throw new IdempotencyError(
          409,
          "idempotency_key_in_use",
          "A request with this Idempotency-Key is in progress; retry later",
        );
      }
      const { rows } = await client.query<{
        request_hash: string;
        status_code: number;
        response: T;
        fresh: boolean;
      }>(
        `SELECT request_hash, status_code, response, created_at > now() - interval '${TTL}' AS fresh
           FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key],
      );
      const stored = rows[0];
      if (stored?.fresh) {
        await client.query("COMMIT");
        if (stored.request_hash !== requestHash) {
          throw new IdempotencyError(
            400,
            "idempotency_key_reused",
            "This Idempotency-Key was used with a different request; use a new key for a new request",
          );
        }
        reply.code(stored.status_code).header("Idempotent-Replayed", "true");
        return stored.response;
      }
      if (stored)
        await client.query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2", [scope, key]);
    }
    const result = await work(client);
    if (scope && requestHash) {
      await client.query(
        "INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response) VALUES ($1, $2, $3, $4, $5)",
        [scope, key, requestHash, statusCode, JSON.stringify(result)],
      );
    }
    await client.query("COMMIT");
    reply.code(statusCode);
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Idempotency keys older than 24 h are dead weight: removed by the maintenance loop. */
export async function purgeIdempotencyKeys(ctx: AppContext): Promise<number> {
  const { rowCount } = await ctx.pool.query(
    `DELETE FROM idempotency_keys WHERE created_at < now() - interval '${TTL}'`,
  );
  return rowCount ?? 0;
}
