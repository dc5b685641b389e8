/** The orders table: status, network/token and date filters, search, and live updates (polled every 3 s). */

import type { Page } from "@pier/client";
import type { Order } from "@pier/client/types";
import { formatToken } from "@pier/money/display";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiGet, errorText } from "../../../lib/dashboardApi.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { StatusBadge } from "../StatusBadge.tsx";
import { useSessionNetworks } from "../servedNetworks.ts";
import { matchesSearch, ORDER_ID, type OrderFilters, ordersPath } from "./orderQuery.ts";

const STATUSES = ["open", "processing", "escrowed", "settled", "disputed", "refunded", "expired", "canceled"];

export function OrdersTable({ onOpen }: { onOpen: (id: string) => void }) {
  const [filters, setFilters] = useState<OrderFilters>({
    status: "",
    paidIn: "",
    from: "",
    to: "",
    search: "",
  });
  const ids = { status: useId(), paidIn: useId(), from: useId(), to: useId(), search: useId() };
  const networks = useSessionNetworks();
  // One network and one token serve nothing to choose between: no filter then.
  const choices = networks.data?.reduce((sum, n) => sum + n.tokens.length, 0) ?? 0;
  const byId = ORDER_ID.test(filters.search.trim());
  const orders = useQuery({
    queryKey: ["dashboard", "orders", filters],
    queryFn: async () =>
      byId
        ? [await apiGet<Order>(`/v1/orders/${filters.search.trim()}`)]
        : (await apiGet<Page<Order>>(ordersPath(filters))).data.filter((o) =>
            matchesSearch(o, filters.search),
          ),
    refetchInterval: 3_000,
    placeholderData: keepPreviousData,
  });
  const set = (patch: Partial<OrderFilters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">Orders</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={ids.search}>Search</label>
        <input
          id={ids.search}
          type="search"
          placeholder="Order id, description, or key=value"
          value={filters.search}
          onChange={(e) => set({ search: e.target.value })}
        />
        <label htmlFor={ids.status}>Status</label>
        <select id={ids.status} value={filters.status} onChange={(e) => set({ status: e.target.value })}>
          <option value="">Any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        {choices > 1 && (
          <>
            <label htmlFor={ids.paidIn}>Paid in</label>
            <select id={ids.paidIn} value={filters.paidIn} onChange={(e) => set({ paidIn: e.target.value })}>
              <option value="">Any network</option>
              {networks.data?.map((n) => (
                <optgroup key={n.chain_id} label={n.name}>
                  <option value={String(n.chain_id)}>{n.name}: any token</option>
                  {n.tokens.map((t) => (
                    <option key={t.address} value={`${n.chain_id}:${t.address.toLowerCase()}`}>
                      {n.name}: {t.symbol}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </>
        )}
        <label htmlFor={ids.from}>From</label>
        <input
          id={ids.from}
          type="date"
          value={filters.from}
          onChange={(e) => set({ from: e.target.value })}
        />
        <label htmlFor={ids.to}>To</label>
        <input id={ids.to} type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
      </form>
      {orders.isError && (
        <p className="error" role="alert">
          {errorText(orders.error)}
        </p>
      )}
      {orders.isPending ? (
        <p className="muted">Loading orders…</p>
      ) : orders.data && orders.data.length === 0 ? (
        <p className="muted">No orders match.</p>
      ) : (
        <div className="table-wrap">
          <table className="orders" data-testid="orders-table">
            <caption className="sr-only">Orders, newest first; updates every few seconds</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Status</th>
                <th scope="col">Amount</th>
                <th scope="col">Refunded</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {orders.data?.map((o) => (
                <tr key={o.id} data-testid="order-row" data-order={o.id}>
                  <th scope="row">
                    <a
                      href={`/dashboard/orders/${o.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        onOpen(o.id);
                      }}
                    >
                      {o.description || o.id}
                    </a>
                    {o.description && <div className="muted small">{o.id}</div>}
                  </th>
                  <td>
                    <StatusBadge status={o.status} />
                  </td>
                  <td>
                    {formatToken(o.amount, o.token)}
                    {choices > 1 && <div className="muted small">{o.network.name}</div>}
                  </td>
                  <td>{o.amount_refunded === "0" ? "—" : formatToken(o.amount_refunded, o.token)}</td>
                  <td>{formatDateTime(o.created)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
