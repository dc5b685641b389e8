/**
 * One delivery attempt of one event to one endpoint: the job handler of the webhook queue.
 *
 * The attempt number in the job makes it idempotent: a worker first leases the delivery for that attempt
 * (nobody else holds it and it has not happened yet); a job replayed after a crash finds the lease expired
 * and tries again, so every event is delivered at least once with the same event id. The attempt's log
 * row, the delivery's new state and the next retry job commit in one transaction.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { ApiError } from "../errors.ts";
import { bossDb, WEBHOOK_QUEUE } from "../jobs/queues.ts";
import { isRetryable, nextRetryDelay, retryPolicy } from "./retrySchedule.ts";
import { SIGNATURE_HEADER, signatureHeader } from "./signature.ts";
import { assertDeliverableUrl } from "./urlPolicy.ts";

export interface DeliveryJob {
  deliveryId: string;
  attempt: number;
}

interface Claimed {
  id: string;
  event_id: string;
  endpoint_id: string;
  age_seconds: number;
  type: string;
  created: number;
  livemode: boolean;
  data: unknown;
  url: string;
  usable: boolean;
  /** The endpoint's signing secrets in force, newest first (two while a rotation's grace period runs). */
  secrets: string[];
}

const EXCERPT_BYTES = 512;

export async function deliverWebhook(ctx: AppContext, job: DeliveryJob): Promise<void> {
  const leaseMs = ctx.config.webhook.timeoutMs + 5_000;
  const { rows } = await ctx.pool.query<Claimed>(
    `UPDATE webhook_deliveries d SET lease_until = now() + make_interval(secs => $3 / 1000.0)
       FROM events e, webhook_endpoints w
      WHERE d.id = $1 AND d.status = 'pending' AND d.attempts = $2 - 1
        AND (d.lease_until IS NULL OR d.lease_until < now())
        AND e.id = d.event_id AND w.id = d.endpoint_id
      RETURNING d.id, d.event_id, d.endpoint_id, extract(epoch FROM now() - d.created_at)::int AS age_seconds,
                e.type, extract(epoch FROM e.created_at)::bigint AS created, e.livemode, e.data, w.url,
                (w.deleted_at IS NULL AND NOT w.disabled) AS usable,
                ARRAY(SELECT s.secret FROM webhook_secrets s
                       WHERE s.endpoint_id = w.id AND (s.expires_at IS NULL OR s.expires_at > now())
                       ORDER BY s.id DESC) AS secrets`,
    [job.deliveryId, job.attempt, leaseMs],
  );
  const d = rows[0];
  if (!d) return; // already attempted, or leased by a live worker
  if (!d.usable) {
    await record(
      ctx,
      d,
      job.attempt,
      { startedAt: new Date(), durationMs: 0, error: "endpoint deleted or disabled" },
      false,
    );
    return;
  }
  const body = JSON.stringify({
    id: d.event_id,
    type: d.type,
    created: Number(d.created),
    livemode: d.livemode,
    data: d.data,
  });
  const startedAt = new Date();
  let statusCode: number | undefined;
  let error: string | undefined;
  let excerpt: string | undefined;
  let retry = true;
  try {
    if (d.livemode) await assertDeliverableUrl(d.url, true); // DNS may have changed since creation
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(d.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Pier-Webhooks/1",
        [SIGNATURE_HEADER]: signatureHeader(d.secrets, timestamp, body),
        "Pier-Event-Id": d.event_id,
        "Pier-Delivery-Id": d.id,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(ctx.config.webhook.timeoutMs),
    });
    statusCode = res.status;
    excerpt = (await res.text().catch(() => "")).slice(0, EXCERPT_BYTES);
    retry = isRetryable(statusCode);
  } catch (e) {
    if (e instanceof ApiError) {
      error = e.message;
      retry = false;
    } else {
      error = describe(e);
    }
  }
  const ok = statusCode !== undefined && statusCode >= 200 && statusCode < 300;
  await record(
    ctx,
    d,
    job.attempt,
    { startedAt, durationMs: Date.now() - startedAt.getTime(), statusCode, error, excerpt },
    !ok && retry,
  );
  ctx.metrics.webhookDeliveries.inc({ result: ok ? "success" : "failure" });
}

interface AttemptResult {
  startedAt: Date;
  durationMs: number;
  statusCode?: number;
  error?: string;
  excerpt?: string;
}

async function record(
  ctx: AppContext,
  d: Claimed,
  attempt: number,
  r: AttemptResult,
  retry: boolean,
): Promise<void> {
  const ok = r.statusCode !== undefined && r.statusCode >= 200 && r.statusCode < 300;
  const policy = retryPolicy(d.livemode, ctx.config.webhook);
  const delay = ok || !retry ? null : nextRetryDelay(policy, attempt, d.age_seconds);
  const status = ok ? "succeeded" : delay === null ? "failed" : "pending";
  // The attempt's row and the delivery's new state in one statement (atomic on its own); a retry's job
  // must commit with them, so that case opens a transaction. One statement is one round trip instead of
  // four, which is what a burst of deliveries waits on.
  const write = (db: Db) =>
    db.query(
      `WITH attempt AS (
         INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, response_excerpt)
         VALUES ($1, $2, $7, $8, $4, $5, $9) ON CONFLICT (delivery_id, attempt) DO NOTHING)
       UPDATE webhook_deliveries SET attempts = $2, status = $3, lease_until = NULL, last_status_code = $4,
              last_error = $5, next_attempt_at = now() + make_interval(secs => $6),
              completed_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END
        WHERE id = $1`,
      [
        d.id,
        attempt,
        status,
        r.statusCode ?? null,
        r.error ?? null,
        delay ?? 0,
        r.startedAt,
        r.durationMs,
        r.excerpt ?? null,
      ],
    );
  if (status !== "pending") await write(ctx.pool);
  else
    await withTransaction(ctx.pool, async (tx) => {
      await write(tx);
      await ctx.boss.send(
        WEBHOOK_QUEUE,
        { deliveryId: d.id, attempt: attempt + 1 },
        { db: bossDb(tx), startAfter: delay!, retryLimit: 10, retryDelay: 1, retryBackoff: true },
      );
    });
  if (status === "pending") ctx.webhookRetries.after(delay!);
  ctx.log.info(
    {
      eventId: d.event_id,
      deliveryId: d.id,
      attempt,
      statusCode: r.statusCode,
      error: r.error,
      status,
      retryIn: delay,
    },
    "webhook attempt",
  );
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    if (e.name === "TimeoutError") return "timed out";
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? e.message;
  }
  return String(e);
}
