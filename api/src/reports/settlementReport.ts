/**
 * The settlement report: per UTC day of payment (and per merchant: a key sees its own), the orders
 * paid, gross, refunds, fees charged, net (gross - refunds - fees), released to the merchant so far and
 * still in escrow, in token units and in the merchant's reporting currency, each sale at its own rate
 * where it has one (reportingRates.ts; `valued_at` says which). Read from the orders the syncer keeps in
 * step with the chain; reconciliation is what checks those against the chain.
 */
import { resolveTarget } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { InvalidRequestError } from "../errors.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { getRiskSettings } from "../risk/riskSettings.ts";
import { reportingConverter, type SaleRates } from "./reportingRates.ts";

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
  "relay_fees",
  "currency",
  "gross_fiat",
  "refunds_fiat",
  "fees_fiat",
  "net_fiat",
  "reporting_currency",
  "valued_at",
] as const;

const MAX_DAYS = 366;

export async function settlementReport(
  ctx: AppContext,
  db: Db,
  principal: Principal,
  query: { from?: string; to?: string; currency?: string; network?: number; token?: string },
) {
  // Token units add up only within one token: a report covers one network and token.
  const { net, token } = resolveTarget(ctx.networks, principal.livemode, query.network, query.token);
  const to = query.to ?? new Date().toISOString().slice(0, 10);
  const from =
    query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (!(span >= 0)) throw new InvalidRequestError("parameter_invalid", "from must not be after to", "from");
  if (span >= MAX_DAYS)
    throw new InvalidRequestError("parameter_invalid", `At most ${MAX_DAYS} days per report`, "from");
  const currency =
    query.currency ??
    (await getRiskSettings(ctx, db, principal.merchantId, principal.livemode)).reportingCurrency;
  const fx = await reportingConverter(ctx, currency, token);
  const { rows } = await db.query<
    SaleRates & {
      date: string;
      amount_refunded: string;
      fee_paid: string;
      amount_released: string;
      relay_fee_wei: string | null;
    }
  >(
    `SELECT to_char(to_timestamp((payment->>'paid_at')::bigint) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date,
            amount::text, amount_refunded::text, fee_paid::text, amount_released::text, relay_fee_wei::text,
            fiat_amount, fiat_currency, report_currency, report_rate
       FROM orders
      WHERE merchant_id = $1 AND livemode = $2 AND payment IS NOT NULL
        AND chain_id = $5 AND lower(token) = lower($6)
        AND to_timestamp((payment->>'paid_at')::bigint) >= $3::date
        AND to_timestamp((payment->>'paid_at')::bigint) < $4::date + 1
      ORDER BY 1, seq`,
    [principal.merchantId, principal.livemode, from, to, net.chainId, token.address],
  );
  const days = new Map<string, Day>();
  for (const r of rows) {
    const day = days.get(r.date) ?? newDay(r.date);
    days.set(r.date, day);
    day.orders++;
    const gross = BigInt(r.amount);
    const refunds = BigInt(r.amount_refunded);
    const fees = BigInt(r.fee_paid);
    const net = gross - refunds - fees;
    day.tokens.gross += gross;
    day.tokens.refunds += refunds;
    day.tokens.fees += fees;
    day.tokens.released += BigInt(r.amount_released);
    day.relayFees += BigInt(r.relay_fee_wei ?? "0");
    // Each sale at its own rate where it has one; the rest summed and converted once at today's rate.
    const sale = [gross, refunds, fees, net].map((u) => fx.atSaleRate(r, u));
    if (sale.every((v) => v !== undefined)) {
      day.atSale++;
      day.saleFiat.gross += sale[0]!;
      day.saleFiat.refunds += sale[1]!;
      day.saleFiat.fees += sale[2]!;
      day.saleFiat.net += sale[3]!;
    } else {
      day.current.gross += gross;
      day.current.refunds += refunds;
      day.current.fees += fees;
      day.current.net += net;
    }
  }
  const fiatOf = (d: Day, k: "gross" | "refunds" | "fees" | "net") =>
    d.saleFiat[k] + fx.atCurrentRate(d.current[k]);
  const data = [...days.values()].map((d) => {
    const net = d.tokens.gross - d.tokens.refunds - d.tokens.fees;
    return {
      date: d.date,
      merchant: principal.merchantId,
      orders: d.orders,
      gross: d.tokens.gross.toString(),
      refunds: d.tokens.refunds.toString(),
      fees: d.tokens.fees.toString(),
      net: net.toString(),
      released: d.tokens.released.toString(),
      in_escrow: (net - d.tokens.released).toString(),
      relay_fees: d.relayFees.toString(),
      currency: token.symbol,
      gross_fiat: fx.format(fiatOf(d, "gross")),
      refunds_fiat: fx.format(fiatOf(d, "refunds")),
      fees_fiat: fx.format(fiatOf(d, "fees")),
      net_fiat: fx.format(fiatOf(d, "net")),
      reporting_currency: currency,
      valued_at:
        d.atSale === d.orders
          ? ("sale" as const)
          : d.atSale === 0
            ? ("current" as const)
            : ("mixed" as const),
    };
  });
  const all = [...days.values()];
  const sum = (k: "gross" | "refunds" | "fees" | "net" | "released" | "in_escrow" | "relay_fees") =>
    data.reduce((a, r) => a + BigInt(r[k]), 0n);
  const fiatTotal = (k: "gross" | "net") =>
    all.reduce((a, d) => a + d.saleFiat[k], 0n) +
    fx.atCurrentRate(all.reduce((a, d) => a + d.current[k], 0n));
  const totals = {
    orders: data.reduce((a, r) => a + r.orders, 0),
    gross: sum("gross").toString(),
    refunds: sum("refunds").toString(),
    fees: sum("fees").toString(),
    net: sum("net").toString(),
    released: sum("released").toString(),
    in_escrow: sum("in_escrow").toString(),
    relay_fees: sum("relay_fees").toString(),
    gross_fiat: fx.format(fiatTotal("gross")),
    net_fiat: fx.format(fiatTotal("net")),
  };
  return {
    object: "settlement_report" as const,
    livemode: principal.livemode,
    merchant: principal.merchantId,
    from,
    to,
    chain_id: net.chainId,
    token: token.address,
    currency: token.symbol,
    token_decimals: token.decimals,
    reporting_currency: currency,
    fx_rate: fx.rate,
    fx_rate_as_of: fx.rateAsOf,
    data,
    totals,
  };
}

interface Amounts {
  gross: bigint;
  refunds: bigint;
  fees: bigint;
  net: bigint;
}

interface Day {
  date: string;
  orders: number;
  /** Orders valued at their own sale's rate. */
  atSale: number;
  tokens: { gross: bigint; refunds: bigint; fees: bigint; released: bigint };
  /** Wei of the network's coin the relayer paid for these orders' payments. */
  relayFees: bigint;
  /** Minor units of the reporting currency, each sale at its own rate. */
  saleFiat: Amounts;
  /** Token units of orders without a sale rate in this currency, converted at the current rate. */
  current: Amounts;
}

function newDay(date: string): Day {
  const zero = (): Amounts => ({ gross: 0n, refunds: 0n, fees: 0n, net: 0n });
  return {
    date,
    orders: 0,
    atSale: 0,
    tokens: { gross: 0n, refunds: 0n, fees: 0n, released: 0n },
    relayFees: 0n,
    saleFiat: zero(),
    current: zero(),
  };
}
