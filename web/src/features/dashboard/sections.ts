/**
 * The dashboard's sections, in navigation order: each is loaded on first visit (its own chunk) and lives in
 * its own folder beside this file.
 * A section's component receives the path below /dashboard/<id>/ (e.g. an order id) as `subpath`.
 * `permission` is what the member's role needs to see the section at all (permissions.ts).
 */
import type { ComponentType } from "react";

export interface SectionProps {
  subpath: string;
  navigate: (path: string) => void;
}

export interface DashboardSection {
  id: string;
  label: string;
  permission: string;
  load: () => Promise<{ default: ComponentType<SectionProps> }>;
}

export const sections: DashboardSection[] = [
  {
    id: "orders",
    label: "Orders",
    permission: "orders:read",
    load: () => import("./orders/OrdersSection.tsx"),
  },
  {
    id: "analytics",
    label: "Analytics",
    permission: "reports:read",
    load: () => import("./analytics/AnalyticsSection.tsx"),
  },
  {
    id: "developers",
    label: "Developers",
    permission: "keys:read",
    load: () => import("./developers/DevelopersSection.tsx"),
  },
  {
    id: "security",
    label: "Security",
    permission: "session:self",
    load: () => import("./security/SecuritySection.tsx"),
  },
  { id: "risk", label: "Risk review", permission: "risk:read", load: () => import("./risk/RiskSection.tsx") },
  {
    id: "reconciliation",
    label: "Reconciliation",
    permission: "reports:read",
    load: () => import("./reconciliation/ReconciliationSection.tsx"),
  },
  {
    id: "links",
    label: "Payment links",
    permission: "orders:read",
    load: () => import("./links/LinksSection.tsx"),
  },
  {
    id: "subscriptions",
    label: "Subscriptions",
    permission: "orders:read",
    load: () => import("./subscriptions/SubscriptionsSection.tsx"),
  },
  { id: "team", label: "Team", permission: "team:read", load: () => import("./team/TeamSection.tsx") },
  {
    id: "audit",
    label: "Audit log",
    permission: "audit:read",
    load: () => import("./audit/AuditSection.tsx"),
  },
];
