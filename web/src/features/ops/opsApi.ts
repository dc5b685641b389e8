/**
 * The ops sections' API shapes (api/src/risk, api/src/reconciliation, api/src/links). Calls go through
 * the dashboard's session client (lib/dashboardApi.ts); amounts through @pier/money.
 */
export interface RiskFinding {
  rule: string;
  action: string;
  message: string;
  evidence: Record<string, string | number | boolean | null>;
}

export interface RiskReview {
  id: string;
  order: string | null;
  stage: "order" | "payment" | "fiat_session";
  outcome: "flag" | "hold" | "block";
  payer: string | null;
  findings: RiskFinding[];
  status: "open" | "released" | "refunded" | "dismissed";
  created: number;
  reviewed_at: number | null;
  reviewed_by: string | null;
  review_note: string | null;
}

export interface RiskSettings {
  rules: Record<string, Record<string, unknown>>;
  reporting_currency: string;
}

export interface ReconciliationFinding {
  id: string;
  kind: string;
  subject: string;
  order: string | null;
  details: Record<string, unknown>;
  status: "open" | "resolved";
  detected_at: number;
  last_seen_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution_note: string | null;
}

export interface PaymentLink {
  id: string;
  url: string;
  amount_type: "fixed" | "customer_chosen";
  amount: string | null;
  min_amount: string | null;
  max_amount: string | null;
  description: string | null;
  active: boolean;
  created: number;
  analytics: { orders: number; paid: number; volume: string };
}

export interface PublicLink {
  id: string;
  merchant_name: string;
  amount_type: "fixed" | "customer_chosen";
  amount: string | null;
  min_amount: string | null;
  max_amount: string | null;
  description: string | null;
  active: boolean;
  currency: string;
  decimals: number;
}
