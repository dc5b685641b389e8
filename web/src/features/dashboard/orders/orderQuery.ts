/**
 * The orders list request from the table's filters: status, where it is paid (a network, or one token on
 * a network) and a created-date range go to the API; a search is an order id (fetched directly),
 * `key=value` (a metadata filter), or text matched against the id, description and metadata of the
 * loaded orders.
 */
import type { Order } from "@pier/client/types";

export interface OrderFilters {
  status: string;
  /** "" (anywhere), a chain id ("1337"), or a chain id and token address ("1337:0xabc…"). */
  paidIn: string;
  /** YYYY-MM-DD, local day. */
  from: string;
  to: string;
  search: string;
}

export const ORDER_ID = /^ord_[0-9A-Za-z]{24}$/;

export function ordersPath(filters: OrderFilters, limit = 100): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (filters.status) q.set("status", filters.status);
  const [network, token] = filters.paidIn.split(":");
  if (network) q.set("network", network);
  if (token) q.set("token", token);
  if (filters.from)
    q.set("created[gte]", String(Math.floor(new Date(`${filters.from}T00:00:00`).getTime() / 1000)));
  if (filters.to)
    q.set("created[lte]", String(Math.floor(new Date(`${filters.to}T23:59:59`).getTime() / 1000)));
  const meta = /^([^=\s]{1,40})=(.+)$/.exec(filters.search.trim());
  if (meta) q.set(`metadata[${meta[1]}]`, meta[2]!);
  return `/v1/orders?${q.toString()}`;
}

export function matchesSearch(order: Order, search: string): boolean {
  const text = search.trim().toLowerCase();
  if (!text || /^[^=\s]{1,40}=/.test(text)) return true;
  return [order.id, order.description ?? "", ...Object.entries(order.metadata).flat()].some((v) =>
    v.toLowerCase().includes(text),
  );
}
