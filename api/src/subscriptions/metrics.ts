/**
 * Subscription metrics for the dashboard: per calendar month (UTC), the paying subscriptions, new and
 * churned ones, the churn rate and the monthly recurring revenue per currency. A subscription is paying
 * from its first paid charge until it ends (canceled or ended); a plan's amount is normalized to a month
 * (yearly / 12, weekly x 52 / 12, daily x 365 / 12, divided by interval_count), in exact decimals.
 * Months end at the network's time (chain time), the clock charges are made by.
 */
import { formatMinorUnits } from "@pier/money/units";
import { homeNetwork } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import type { Principal } from "../keys/apiKeys.ts";

interface Row {
  month: string;
  currency: string | null;
  active: number;
  active_at_start: number;
  new: number;
  churned: number;
  mrr_minor: string;
}

export async function subscriptionMetrics(ctx: AppContext, db: Db, principal: Principal, months: number) {
  const now = homeNetwork(ctx.networks, principal.livemode).head.now();
  const { rows } = await db.query<Row>(
    `WITH months AS (
       SELECT m, m + interval '1 month' AS e FROM generate_series(
         date_trunc('month', to_timestamp($3), 'UTC') - ($4::int - 1) * interval '1 month',
         date_trunc('month', to_timestamp($3), 'UTC'), interval '1 month') AS m),
     paying AS (
       SELECT s.id, s.ended_at, p.currency,
         (SELECT min(i.paid_at) FROM subscription_invoices i WHERE i.subscription_id = s.id AND i.status = 'paid') AS since,
         p.amount_minor * (CASE p.interval WHEN 'month' THEN 1::numeric WHEN 'year' THEN 1::numeric / 12
           WHEN 'week' THEN 52::numeric / 12 ELSE 365::numeric / 12 END) / p.interval_count AS monthly
       FROM subscriptions s JOIN plans p ON p.id = s.plan_id
       WHERE s.merchant_id = $1 AND s.livemode = $2 AND s.authorized_at IS NOT NULL)
     SELECT to_char(m.m AT TIME ZONE 'UTC', 'YYYY-MM') AS month, x.currency,
       count(x.id) FILTER (WHERE x.since < m.e AND (x.ended_at IS NULL OR x.ended_at >= m.e))::int AS active,
       count(x.id) FILTER (WHERE x.since < m.m AND (x.ended_at IS NULL OR x.ended_at >= m.m))::int AS active_at_start,
       count(x.id) FILTER (WHERE x.since >= m.m AND x.since < m.e)::int AS new,
       count(x.id) FILTER (WHERE x.since < m.e AND x.ended_at >= m.m AND x.ended_at < m.e)::int AS churned,
       coalesce(round(sum(x.monthly) FILTER (WHERE x.since < m.e AND (x.ended_at IS NULL OR x.ended_at >= m.e))), 0)::text
         AS mrr_minor
     FROM months m LEFT JOIN paying x ON x.since IS NOT NULL
     GROUP BY m.m, x.currency ORDER BY m.m, x.currency`,
    [principal.merchantId, principal.livemode, now, months],
  );
  const byMonth = new Map<string, Row[]>();
  for (const r of rows) byMonth.set(r.month, [...(byMonth.get(r.month) ?? []), r]);
  return {
    object: "subscription_metrics" as const,
    livemode: principal.livemode,
    months: [...byMonth].map(([month, list]) => {
      const sum = (f: (r: Row) => number) => list.reduce((a, r) => a + f(r), 0);
      const atStart = sum((r) => r.active_at_start);
      const churned = sum((r) => r.churned);
      return {
        month,
        active: sum((r) => r.active),
        new: sum((r) => r.new),
        churned,
        churn_rate: atStart === 0 ? null : ratio(churned, atStart),
        mrr: list
          .filter((r) => r.currency !== null)
          .map((r) => ({
            currency: r.currency!,
            amount: formatMinorUnits(BigInt(r.mrr_minor), r.currency!),
          })),
      };
    }),
  };
}

/** a / b as a decimal string with 4 places, rounded half up (integers only). */
function ratio(a: number, b: number): string {
  const scaled = (BigInt(a) * 20_000n + BigInt(b)) / (2n * BigInt(b));
  return `${scaled / 10_000n}.${(scaled % 10_000n).toString().padStart(4, "0")}`;
}
