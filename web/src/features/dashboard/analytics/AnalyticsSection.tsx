/**
 * Analytics: daily volume, payments, fees and refunds from the indexer's aggregates (GET
 * /v1/reports/daily) as charts and a table, and CSV exports of orders and settlements for accounting.
 */

import type { Page } from "@pier/client";
import type { DailyReport, Order } from "@pier/client/types";
import { formatAmount } from "@pier/money/display";
import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { apiGet, errorText } from "../../../lib/dashboardApi.ts";
import { ScrollableTable } from "../ScrollableTable.tsx";
import type { SectionProps } from "../sections.ts";
import { ordersCsv, settlementsCsv } from "./csv.ts";
import { DailyChart } from "./DailyChart.tsx";
import { dailySeries, plotNumber, reportTokens } from "./dailySeries.ts";

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
/** Exports page through at most this many orders (100 a request). */
const EXPORT_MAX = 10_000;

export default function AnalyticsSection(_: SectionProps) {
  const rangeId = useId();
  const tokenId = useId();
  const [span, setSpan] = useState(30);
  const [chosenToken, setChosenToken] = useState<string>();
  const to = day(Date.now());
  const from = day(Date.now() - (span - 1) * 86_400_000);
  const report = useQuery({
    queryKey: ["dashboard", "daily", from, to],
    queryFn: () => apiGet<Page<DailyReport>>(`/v1/reports/daily?from=${from}&to=${to}`),
    refetchInterval: 10_000,
  });
  const rows = report.data?.data ?? [];
  const tokens = useMemo(() => reportTokens(rows), [rows]);
  const unit = tokens.find((t) => t.key === chosenToken) ?? tokens[0];
  const networks = new Set(tokens.map((t) => t.chainId)).size;
  const decimals = unit?.decimals ?? 0;
  const symbol = unit ? (unit.symbol ?? `units of ${unit.token.slice(0, 10)}…`) : "";
  const points = useMemo(
    () => (unit ? dailySeries(rows, from, to, unit.key) : dailySeries([], from, to, "")),
    [rows, from, to, unit],
  );
  const days = useMemo(() => points.map((p) => p.day), [points]);
  const series = useMemo(
    () => ({
      volume: points.map((p) => plotNumber(p.volume, decimals)),
      payments: points.map((p) => p.payments),
      fees: points.map((p) => plotNumber(p.fees, decimals)),
      refunds: points.map((p) => plotNumber(p.refunds, decimals)),
    }),
    [points, decimals],
  );

  return (
    <section aria-labelledby="analytics-title">
      <h1 id="analytics-title">Analytics</h1>
      <label htmlFor={rangeId}>Period</label>{" "}
      <select id={rangeId} value={span} onChange={(e) => setSpan(Number(e.target.value))}>
        <option value={7}>Last 7 days</option>
        <option value={30}>Last 30 days</option>
        <option value={90}>Last 90 days</option>
      </select>
      {tokens.length > 1 && (
        <>
          {" "}
          <label htmlFor={tokenId}>Token</label>{" "}
          <select
            id={tokenId}
            value={unit?.key}
            onChange={(e) => setChosenToken(e.target.value)}
            data-testid="analytics-token"
          >
            {tokens.map((t) => (
              <option key={t.key} value={t.key}>
                {t.symbol ?? t.token}
                {networks > 1 ? ` (chain ${t.chainId})` : ""}
              </option>
            ))}
          </select>
        </>
      )}
      {report.isError && (
        <p className="error" role="alert">
          {errorText(report.error)}
        </p>
      )}
      <div className="charts" data-testid="charts">
        <DailyChart title={`Volume (${symbol})`} days={days} values={series.volume} />
        <DailyChart title="Payments" days={days} values={series.payments} />
        <DailyChart title={`Fees (${symbol})`} days={days} values={series.fees} />
        <DailyChart title={`Refunds (${symbol})`} days={days} values={series.refunds} />
      </div>
      <ScrollableTable label="Per day">
        <table data-testid="daily-table">
          <caption>Per day (UTC), from the chain{symbol && `, in ${symbol}`}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Volume</th>
              <th scope="col">Payments</th>
              <th scope="col">Fees</th>
              <th scope="col">Refunds</th>
            </tr>
          </thead>
          <tbody>
            {points
              .filter((p) => p.payments > 0 || p.volume > 0n || p.refunds > 0n || p.fees > 0n)
              .map((p) => (
                <tr key={p.day} data-testid="daily-row" data-day={p.day}>
                  <th scope="row">{p.day}</th>
                  <td data-testid="daily-volume">{formatAmount(p.volume, decimals)}</td>
                  <td>{p.payments}</td>
                  <td>{formatAmount(p.fees, decimals)}</td>
                  <td data-testid="daily-refunds">{formatAmount(p.refunds, decimals)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </ScrollableTable>
      <CsvExports />
    </section>
  );
}

async function allOrders(): Promise<Order[]> {
  const out: Order[] = [];
  let after: string | undefined;
  while (out.length < EXPORT_MAX) {
    const page = await apiGet<Page<Order>>(`/v1/orders?limit=100${after ? `&starting_after=${after}` : ""}`);
    out.push(...page.data);
    if (!page.has_more || page.data.length === 0) break;
    after = page.data[page.data.length - 1]!.id;
  }
  return out;
}

function download(name: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function CsvExports() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function run(kind: "orders" | "settlements") {
    setBusy(true);
    setError(undefined);
    try {
      const orders = await allOrders();
      download(
        `pier-${kind}-${day(Date.now())}.csv`,
        kind === "orders" ? ordersCsv(orders) : settlementsCsv(orders),
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="exports-title" className="card">
      <h2 id="exports-title">Exports for accounting</h2>
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => run("orders")}
          data-testid="export-orders"
        >
          Orders (CSV)
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => run("settlements")}>
          Settlements (CSV)
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
