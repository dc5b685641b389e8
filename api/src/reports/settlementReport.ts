/**
 * The settlement report: per UTC day of payment (and per merchant: a key sees its own), the orders
 * paid, gross, refunds, fees charged, net (gross - refunds - fees), released to the merchant so far and
 * still in escrow, in token units and in the merchant's reporting currency. Read from the orders the
 * syncer keeps in step with the chain; reconciliation is what checks those against the chain.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { InvalidRequestError } from "../errors.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { getRiskSettings } from "../risk/riskSettings.ts";
import { reportingConverter } from "./reportingRates.ts";

export const SETTLEMENT_COLUMNS = [
  "date",
  "merchant",
  "orders",
  "gross",
  "refunds",
  "fees",
  "net",
  "released",
  "in_escrow",
  "currency",
  "gross_fiat",
  "refunds_fiat",
  "fees_fiat",
  "net_fiat",
  "reporting_currency",
] as const;

const MAX_DAYS = 366;

export async function settlementReport(
  ctx: AppContext,
  db: Db,
  principal: Principal,
  query: { from?: string; to?: string; currency?: string },
) {
  const to = query.to ?? new Date().toISOString().slice(0, 10);
  const from =
    query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (!(days >= 0)) throw new InvalidRequestError("parameter_invalid", "from must not be after to", "from");
  if (days >= MAX_DAYS)
    throw new InvalidRequestError("parameter_invalid", `At most ${MAX_DAYS} days per report`, "from");
  const currency =
    query.currency ??
    (await getRiskSettings(ctx, db, principal.merchantId, principal.livemode)).reportingCurrency;
  const fx = await reportingConverter(ctx, currency);
  const { rows } = await db.query<{
    date: string;
    orders: number;
    gross: string;
    refunds: string;
    fees: string;
    released: string;
  }>(
    `SELECT to_char(to_timestamp((payment->>'paid_at')::bigint) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date,
            count(*)::int AS orders, sum(amount)::text AS gross, sum(amount_refunded)::text AS refunds,
            sum(fee_paid)::text AS fees, sum(amount_released)::text AS released
       FROM orders
      WHERE merchant_id = $1 AND livemode = $2 AND payment IS NOT NULL
        AND to_timestamp((payment->>'paid_at')::bigint) >= $3::date
        AND to_timestamp((payment->>'paid_at')::bigint) < $4::date + 1
      GROUP BY 1 ORDER BY 1`,
    [principal.merchantId, principal.livemode, from, to],
  );
  const data = rows.map((r) => {
    const gross = BigInt(r.gross);
    const refunds = BigInt(r.refunds);
    const fees = BigInt(r.fees);
    const released = BigInt(r.released);
    const net = gross - refunds - fees;
    return {
      date: r.date,
      merchant: principal.merchantId,
      orders: r.orders,
      gross: gross.toString(),
      refunds: refunds.toString(),
      fees: fees.toString(),
      net: net.toString(),
      released: released.toString(),
      in_escrow: (net - released).toString(),
      currency: ctx.chain.token.symbol,
      gross_fiat: fx.convert(gross),
      refunds_fiat: fx.convert(refunds),
      fees_fiat: fx.convert(fees),
      net_fiat: fx.convert(net),
      reporting_currency: currency,
    };
  });
  const sum = (k: "gross" | "refunds" | "fees" | "net" | "released" | "in_escrow") =>
    data.reduce((a, r) => a + BigInt(r[k]), 0n);
  const totals = {
    orders: data.reduce((a, r) => a + r.orders, 0),
    gross: sum("gross").toString(),
    refunds: sum("refunds").toString(),
    fees: sum("fees").toString(),
    net: sum("net").toString(),
    released: sum("released").toString(),
    in_escrow: sum("in_escrow").toString(),
    gross_fiat: fx.convert(sum("gross")),
    net_fiat: fx.convert(sum("net")),
  };
  return {
    object: "settlement_report" as const,
    livemode: principal.livemode,
    merchant: principal.merchantId,
    from,
    to,
    currency: ctx.chain.token.symbol,
    token_decimals: ctx.chain.token.decimals,
    reporting_currency: currency,
    fx_rate: fx.rate,
    fx_rate_as_of: fx.rateAsOf,
    data,
    totals,
  };
}
