/** /v1/reports: settlement per day, reconciliation, daily chain figures. `format: "csv"` returns text. */
import { call } from "../call.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type {
  DailyReportParams,
  ReconciliationReportParams,
  ResponseOf,
  SettlementReportParams,
} from "../types.ts";

type Json<P extends { format?: unknown }> = Omit<P, "format"> & { format?: "json" };
type Csv<P extends { format?: unknown }> = Omit<P, "format"> & { format: "csv" };

export class Reports {
  constructor(private readonly t: Transport) {}

  settlement(params: Csv<SettlementReportParams>, opts?: RequestOptions): Promise<string>;
  settlement(
    params?: Json<SettlementReportParams>,
    opts?: RequestOptions,
  ): ReturnType<typeof call<ResponseOf<"/v1/reports/settlement", "get">>>;
  settlement(params: SettlementReportParams = {}, opts?: RequestOptions): Promise<unknown> {
    return call(this.t, { method: "GET", path: "/v1/reports/settlement", query: params }, opts);
  }

  reconciliation(params: Csv<ReconciliationReportParams>, opts?: RequestOptions): Promise<string>;
  reconciliation(
    params?: Json<ReconciliationReportParams>,
    opts?: RequestOptions,
  ): ReturnType<typeof call<ResponseOf<"/v1/reports/reconciliation", "get">>>;
  reconciliation(params: ReconciliationReportParams = {}, opts?: RequestOptions): Promise<unknown> {
    return call(this.t, { method: "GET", path: "/v1/reports/reconciliation", query: params }, opts);
  }

  daily(params: DailyReportParams = {}, opts?: RequestOptions) {
    return call<ResponseOf<"/v1/reports/daily", "get">>(
      this.t,
      { method: "GET", path: "/v1/reports/daily", query: params },
      opts,
    );
  }
}
