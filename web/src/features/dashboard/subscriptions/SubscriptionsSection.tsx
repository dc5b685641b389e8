/**
 * Subscriptions: plans (create, list), customers' subscriptions (create one for a plan and share its
 * page, list by status, cancel), the charges that failed and wait for a retry or were given up, and
 * monthly recurring revenue and churn per month (chart and table).
 */

import type { Page } from "@pier/client";
import type { Invoice, Plan, Subscription, SubscriptionMetrics } from "@pier/client/types";
import { unitsToDecimal } from "@pier/money/units";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiGet, apiPost, errorText } from "../../../lib/dashboardApi.ts";
import { ratioToPercent } from "../../../lib/format.ts";
import { DailyChart } from "../analytics/DailyChart.tsx";
import { useCan } from "../permissions.ts";
import { ScrollableTable } from "../ScrollableTable.tsx";
import { StatusBadge } from "../StatusBadge.tsx";

const KEY = ["ops", "subscriptions"];
/** The settlement token's decimals (tUSDC and USDC: 6), for invoice amounts. */
const DECIMALS = 6;
const date = (unix: number | null) =>
  unix === null ? "—" : new Date(unix * 1000).toISOString().slice(0, 10);

type Month = SubscriptionMetrics["months"][number];
const mrrOf = (m: Month, currency: string) => m.mrr.find((x) => x.currency === currency)?.amount ?? "0";

export default function SubscriptionsSection() {
  const client = useQueryClient();
  const writes = useCan()("orders:write");
  const refresh = () => client.invalidateQueries({ queryKey: KEY });
  const plans = useQuery({
    queryKey: [...KEY, "plans"],
    queryFn: () => apiGet<Page<Plan>>("/v1/plans?limit=100"),
  });
  const subscriptions = useQuery({
    queryKey: [...KEY, "list"],
    queryFn: () => apiGet<Page<Subscription>>("/v1/subscriptions?limit=100"),
    refetchInterval: 10_000,
  });
  const failed = useQuery({
    queryKey: [...KEY, "failed"],
    queryFn: async () => {
      const [retrying, givenUp] = await Promise.all([
        apiGet<Page<Invoice>>("/v1/invoices?status=failed&limit=100"),
        apiGet<Page<Invoice>>("/v1/invoices?status=uncollectible&limit=100"),
      ]);
      return [...retrying.data, ...givenUp.data];
    },
    refetchInterval: 10_000,
  });
  const metrics = useQuery({
    queryKey: [...KEY, "metrics"],
    queryFn: () => apiGet<SubscriptionMetrics>("/v1/subscriptions/metrics?months=12"),
    refetchInterval: 10_000,
  });
  const [shared, setShared] = useState<Subscription>();
  const subscribe = useMutation({
    mutationFn: (plan: string) => apiPost<Subscription>("/v1/subscriptions", { plan }),
    onSuccess: (sub) => {
      setShared(sub);
      return refresh();
    },
  });
  const cancel = useMutation({
    mutationFn: (id: string) => apiPost<Subscription>(`/v1/subscriptions/${id}/cancel`, {}),
    onSuccess: refresh,
  });
  const error = subscribe.error ?? cancel.error ?? plans.error ?? subscriptions.error ?? metrics.error;

  return (
    <section aria-labelledby="subscriptions-title" className="card">
      <h2 id="subscriptions-title">Subscriptions</h2>
      {error && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
      <Revenue months={metrics.data?.months ?? []} />

      <h3>Plans</h3>
      {writes && <PlanForm onCreated={refresh} />}
      <ul className="rows" data-testid="plans">
        {plans.data?.data.map((p) => (
          <li key={p.id}>
            <div>
              {p.description || p.id}{" "}
              <span className="muted small">
                {p.amount} {p.currency} every{" "}
                {p.interval_count > 1 ? `${p.interval_count} ${p.interval}s` : p.interval}
                {p.trial_days > 0 ? ` · ${p.trial_days}-day trial` : ""}
                {p.active ? "" : " · archived"}
              </span>
            </div>
            {p.active && writes && (
              <div className="actions">
                <button
                  type="button"
                  className="button"
                  disabled={subscribe.isPending}
                  onClick={() => subscribe.mutate(p.id)}
                >
                  New subscription
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {shared && (
        <p role="status" className="wrap-anywhere" data-testid="subscription-link">
          Send your customer this page to subscribe: <a href={shared.url}>{shared.url}</a>
        </p>
      )}

      <h3>Customers</h3>
      <ul className="rows wrap-anywhere" data-testid="subscriptions">
        {subscriptions.data?.data.map((s) => (
          <li key={s.id}>
            <div>
              <StatusBadge status={s.status} /> <code>{s.id}</code>{" "}
              <span className="muted small">
                {s.customer ? `${s.customer} · ` : ""}
                {s.payer ? `payer ${s.payer} · ` : ""}
                {s.cycles_charged} charged · next {date(s.next_charge_at)}
                {s.cancel_at_period_end ? " · cancels at period end" : ""}
                {s.end_reason ? ` · ${s.end_reason.replaceAll("_", " ")}` : ""}
              </span>
            </div>
            {!["canceled", "ended"].includes(s.status) && writes && (
              <div className="actions">
                <button
                  type="button"
                  className="button"
                  disabled={cancel.isPending}
                  onClick={() => cancel.mutate(s.id)}
                >
                  Cancel now
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>

      <h3>Failed charges</h3>
      {failed.data?.length === 0 && <p className="muted">None.</p>}
      <ul className="rows" data-testid="failed-charges">
        {failed.data?.map((i) => (
          <li key={i.id}>
            <div>
              <StatusBadge status={i.status} /> <code>{i.subscription}</code> cycle {i.cycle + 1} ·{" "}
              {unitsToDecimal(i.amount, DECIMALS)}{" "}
              <span className="muted small">
                {i.last_error?.code ?? ""}
                {i.next_attempt_at ? ` · retry ${date(i.next_attempt_at)}` : " · no retry left"} · attempts{" "}
                {i.attempts}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** MRR per currency as charts, and every month's figures in a table. */
function Revenue({ months }: { months: Month[] }) {
  const currencies = [...new Set(months.flatMap((m) => m.mrr.map((x) => x.currency)))];
  return (
    <>
      <h3>Revenue</h3>
      <div className="charts" data-testid="mrr-charts">
        {currencies.map((c) => (
          <DailyChart
            key={c}
            title={`MRR (${c})`}
            per="month"
            days={months.map((m) => `${m.month}-01`)}
            // Plotted only: the table shows the exact decimal amounts.
            values={months.map((m) => Number(mrrOf(m, c)))}
          />
        ))}
      </div>
      <ScrollableTable label="Per month">
        <table data-testid="metrics-table">
          <caption>
            Per month (UTC): paying subscriptions at its end, new, churned, churn rate and MRR
          </caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Paying</th>
              <th scope="col">New</th>
              <th scope="col">Churned</th>
              <th scope="col">Churn</th>
              {currencies.map((c) => (
                <th scope="col" key={c}>
                  MRR ({c})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td>{m.active}</td>
                <td>{m.new}</td>
                <td>{m.churned}</td>
                <td>{m.churn_rate === null ? "—" : ratioToPercent(m.churn_rate)}</td>
                {currencies.map((c) => (
                  <td key={c}>{mrrOf(m, c)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollableTable>
    </>
  );
}

function PlanForm({ onCreated }: { onCreated: () => unknown }) {
  const ids = { amount: useId(), currency: useId(), interval: useId(), trial: useId(), description: useId() };
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState("USD");
  const [interval, setInterval] = useState("month");
  const [trialDays, setTrialDays] = useState("0");
  const [description, setDescription] = useState("");
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => apiPost<Plan>("/v1/plans", body),
    onSuccess: () => {
      setAmount("");
      setDescription("");
      return onCreated();
    },
  });
  return (
    <>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({
            amount,
            currency,
            interval,
            ...(trialDays !== "" && trialDays !== "0" ? { trial_days: Number(trialDays) } : {}),
            ...(description ? { description } : {}),
          });
        }}
      >
        <label htmlFor={ids.amount}>Amount</label>
        <input
          id={ids.amount}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
        />
        <label htmlFor={ids.currency}>Currency</label>
        <select id={ids.currency} value={currency} onChange={(e) => setCurrency(e.target.value)}>
          <option value="USD">USD</option>
          <option value="EUR">EUR</option>
        </select>
        <label htmlFor={ids.interval}>Every</label>
        <select id={ids.interval} value={interval} onChange={(e) => setInterval(e.target.value)}>
          <option value="day">day</option>
          <option value="week">week</option>
          <option value="month">month</option>
          <option value="year">year</option>
        </select>
        <label htmlFor={ids.trial}>Trial days</label>
        <input
          id={ids.trial}
          inputMode="numeric"
          value={trialDays}
          onChange={(e) => setTrialDays(e.target.value)}
        />
        <label htmlFor={ids.description}>Description</label>
        <input id={ids.description} value={description} onChange={(e) => setDescription(e.target.value)} />
        <button type="submit" className="button primary" disabled={create.isPending}>
          Create plan
        </button>
      </form>
      {create.error && (
        <p className="error" role="alert">
          {errorText(create.error)}
        </p>
      )}
    </>
  );
}
