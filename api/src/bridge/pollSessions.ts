/**
 * The poll path: a session the customer approved whose webhook never came (lost, or held by the
 * provider) is captured anyway. Every few seconds, sessions still waiting after 10 s are tried with
 * the same idempotent capture the webhook path uses: an unapproved one answers "not approved" and
 * stays as it is; an approved one is captured and funds its escrow exactly once
 * (fundCapture's unique keys). Sessions older than a day are left alone. An advisory lock lets one
 * process poll at a time.
 */
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { capture } from "./handleFiatEvent.ts";
import type { FiatSessionRow } from "./sessionRow.ts";

const LOCK = "pier-fiat-poll";

export async function pollSessions(ctx: AppContext, afterSeconds = 10): Promise<number> {
  return withTransaction(ctx.pool, async (tx) => {
    const locked = await tx.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok", [
      LOCK,
    ]);
    if (!locked.rows[0]?.ok) return 0;
    const { rows } = await tx.query<FiatSessionRow>(
      `SELECT * FROM fiat_session
        WHERE status IN ('created', 'requires_action', 'approved') AND provider_ref IS NOT NULL
          AND updated_at < now() - make_interval(secs => $1) AND created_at > now() - interval '1 day'
        ORDER BY updated_at LIMIT 20`,
      [afterSeconds],
    );
    for (const session of rows) {
      try {
        await capture(ctx, session);
      } catch (error) {
        ctx.log.warn({ err: error, fiatSessionId: session.id }, "fiat poll: capture failed; will retry");
      }
      // Look again later, not on every tick.
      await tx.query("UPDATE fiat_session SET updated_at = now() WHERE id = $1 AND status = $2", [
        session.id,
        session.status,
      ]);
    }
    return rows.length;
  });
}
