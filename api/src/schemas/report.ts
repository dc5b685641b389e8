/** The reports' schemas: settlement and reconciliation (JSON or CSV) and the chain's daily figures. */
import Type from "typebox";
import { Address, Nullable, TokenAmount } from "./common.ts";
import { Finding } from "./reconciliation.ts";

const RelayFees = Type.String({
  pattern: "^[0-9]+$",
  description: "Network fees Pier's relayer paid for these orders' payments, in wei of the network's coin.",
});

export const ReportDay = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}$",
  format: "date",
  description: "UTC day, YYYY-MM-DD.",
});
export const Format = Type.Optional(Type.String({ enum: ["json", "csv"], default: "json" }));
export const Csv = Type.String({ description: "RFC 4180 CSV with a header row." });
export const Fiat = Type.String({
  pattern: "^[0-9]+(\\.[0-9]+)?$",
  description: "Decimal string in the reporting currency.",
});

export const SettlementDay = Type.Object({
  date: ReportDay,
  merchant: Type.String(),
  orders: Type.Integer(),
  gross: TokenAmount,
  refunds: TokenAmount,
  fees: TokenAmount,
  net: TokenAmount,
  released: TokenAmount,
  in_escrow: TokenAmount,
  relay_fees: RelayFees,
  currency: Type.String(),
  gross_fiat: Fiat,
  refunds_fiat: Fiat,
  fees_fiat: Fiat,
  net_fiat: Fiat,
  reporting_currency: Type.String(),
  valued_at: Type.String({
    enum: ["sale", "current", "mixed"],
    description:
      "sale: every order that day valued at its own rate (its fiat price, or the rate stored when it was made); current: at fx_rate; mixed: some of each.",
  }),
});

export const SettlementReport = Type.Object({
  object: Type.Literal("settlement_report"),
  livemode: Type.Boolean(),
  merchant: Type.String(),
  from: ReportDay,
  to: ReportDay,
  chain_id: Type.Integer({ description: "The network this report covers." }),
  token: Address,
  currency: Type.String(),
  token_decimals: Type.Integer(),
  reporting_currency: Type.String(),
  fx_rate: Type.String({
    description:
      "The current rate, reporting-currency units per token (through its peg): used only for orders without a rate of their own in this currency.",
  }),
  fx_rate_as_of: Type.Integer(),
  data: Type.Array(SettlementDay),
  totals: Type.Object({
    orders: Type.Integer(),
    gross: TokenAmount,
    refunds: TokenAmount,
    fees: TokenAmount,
    net: TokenAmount,
    released: TokenAmount,
    in_escrow: TokenAmount,
    relay_fees: RelayFees,
    gross_fiat: Fiat,
    net_fiat: Fiat,
  }),
});

export const ReconciliationReport = Type.Object({
  object: Type.Literal("reconciliation_report"),
  livemode: Type.Boolean(),
  generated: Type.Integer(),
  last_run: Nullable(Type.Object({ id: Type.String(), finished: Nullable(Type.Integer()) })),
  open: Type.Integer(),
  by_kind: Type.Record(Type.String(), Type.Object({ open: Type.Integer(), resolved: Type.Integer() })),
  findings: Type.Array(Finding),
});

/** A 200 that is JSON (`schema`) or, with format=csv, CSV. */
export const jsonOrCsv = <T extends Parameters<typeof Type.Object>[0]>(
  schema: ReturnType<typeof Type.Object<T>>,
) => ({
  200: {
    description: "JSON, or CSV with format=csv",
    content: { "application/json": { schema }, "text/csv": { schema: Csv } },
  },
});

/** The daily report's day: a plain pattern (ReportDay also declares `format: date`). */
export const DailyDay = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}$",
  description: "UTC day, YYYY-MM-DD.",
});

export const DailyReport = Type.Object({
  object: Type.Literal("list"),
  url: Type.String(),
  has_more: Type.Boolean(),
  data: Type.Array(
    Type.Object({
      object: Type.Literal("daily_report"),
      chain_id: Type.Integer(),
      day: DailyDay,
      token: Address,
      symbol: Nullable(Type.String()),
      decimals: Nullable(Type.Integer()),
      volume: TokenAmount,
      payments: Type.Integer(),
      fees: TokenAmount,
      refunds: TokenAmount,
      released: TokenAmount,
    }),
  ),
});
