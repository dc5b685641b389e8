/**
 * The dashboard's sections, in navigation order: each is loaded on first visit (its own chunk) and lives in
 * its own folder beside this file.
 * A section's component receives the path below /dashboard/<id>/ (e.g. an order id) as `subpath`.
 */
import type { ComponentType } from "react";

export interface SectionProps {
  subpath: string;
  navigate: (path: string) => void;
}

export interface DashboardSection {
  id: string;
  label: string;
  load: () => Promise<{ default: ComponentType<SectionProps> }>;
}

export const sections: DashboardSection[] = [
  { id: "orders", label: "Orders", load: () => import("./orders/OrdersSection.tsx") },
  { id: "analytics", label: "Analytics", load: () => import("./analytics/AnalyticsSection.tsx") },
  { id: "developers", label: "Developers", load: () => import("./developers/DevelopersSection.tsx") },
  { id: "security", label: "Security", load: () => import("./security/SecuritySection.tsx") },
  { id: "risk", label: "Risk review", load: () => import("./risk/RiskSection.tsx") },
  {
    id: "reconciliation",
    label: "Reconciliation",
    load: () => import("./reconciliation/ReconciliationSection.tsx"),
  },
  { id: "links", label: "Payment links", load: () => import("./links/LinksSection.tsx") },
  {
    id: "subscriptions",
    label: "Subscriptions",
    load: () => import("./subscriptions/SubscriptionsSection.tsx"),
  },
];
