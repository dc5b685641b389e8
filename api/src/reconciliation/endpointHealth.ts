/**
 * `webhook.endpoint_failing`: an endpoint whose last PIER_WEBHOOK_FAILING_AFTER attempts all failed is
 * alerted once per failing streak (webhook_endpoint_alerts); a success ends the streak.
 */
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { recordEvent } from "../events/recordEvent.ts";

interface Health {
  endpoint_id: string;
  merchant_id: string;
  livemode: boolean;
  url: string;
  attempts: number;
  ok: number;
  first_failure: Date;
  last_error: string | null;
  last_status: number | null;
}

export async function checkEndpointHealth(ctx: AppContext): Promise<number> {
  const n = ctx.config.webhookFailingAfter;
  const { rows } = await ctx.pool.query<Health>(
    `WITH recent AS (
       SELECT d.endpoint_id, a.status_code, a.error, a.started_at,
              row_number() OVER (PARTITION BY d.endpoint_id ORDER BY a.started_at DESC) AS rn
         FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
        WHERE a.started_at > now() - interval '3 days')
     SELECT r.endpoint_id, e.merchant_id, e.livemode, e.url, count(*)::int AS attempts,
            count(*) FILTER (WHERE r.status_code BETWEEN 200 AND 299)::int AS ok,
            min(r.started_at) AS first_failure,
            (array_agg(r.error ORDER BY r.rn))[1] AS last_error,
            (array_agg(r.status_code ORDER BY r.rn))[1] AS last_status
       FROM recent r JOIN webhook_endpoints e ON e.id = r.endpoint_id
      WHERE r.rn <= $1 AND e.deleted_at IS NULL
      GROUP BY r.endpoint_id, e.merchant_id, e.livemode, e.url`,
    [n],
  );
  let failing = 0;
  for (const h of rows) {
    if (h.attempts >= n && h.ok === 0) {
      failing++;
      await withTransaction(ctx.pool, async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO webhook_endpoint_alerts (endpoint_id, failing_since) VALUES ($1, $2)
           ON CONFLICT (endpoint_id) DO NOTHING`,
          [h.endpoint_id, h.first_failure],
        );
        if (inserted.rowCount === 0) return;
        await recordEvent(ctx, tx, {
          merchantId: h.merchant_id,
          livemode: h.livemode,
          type: "webhook.endpoint_failing",
          dedupeKey: `webhook.endpoint_failing:${h.endpoint_id}:${h.first_failure.toISOString()}`,
          object: {
            object: "webhook_endpoint_health",
            endpoint: h.endpoint_id,
            url: h.url,
            failing_since: Math.floor(h.first_failure.getTime() / 1000),
            failed_attempts: h.attempts,
            last_status_code: h.last_status,
            last_error: h.last_error,
          },
        });
      });
    } else if (h.ok > 0) {
      await ctx.pool.query("DELETE FROM webhook_endpoint_alerts WHERE endpoint_id = $1", [h.endpoint_id]);
    }
  }
  ctx.metrics.webhookEndpointsFailing.set(failing);
  return failing;
}
