/**
 * The ops sections' API shapes (api/src/risk, api/src/reconciliation, api/src/links) and the unit
 * conversions their forms need. Calls go through the dashboard's session client (lib/dashboardApi.ts).
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

/** "12.5" with 6 decimals -> "12500000"; undefined for anything but a plain positive decimal that fits. */
export function toUnits(value: string, decimals: number): string | undefined {
  const match = /^(\d{1,30})(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) return undefined;
  const units = BigInt(match[1]! + fraction.padEnd(decimals, "0"));
  return units > 0n ? units.toString() : undefined;
}

/** "12500000" with 6 decimals -> "12.5". */
export function fromUnits(units: string, decimals: number): string {
  const s = units.padStart(decimals + 1, "0");
  const whole = s.slice(0, s.length - decimals);
  const fraction = s.slice(s.length - decimals).replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}
