/**
 * Sandbox wallet wire format <-> ours: the explicit status map, and its sessions, captures, refunds,
 * payouts and events turned into the provider-neutral types of provider.ts.
 */
import { ProviderProtocolError } from "../errors.ts";
import type { FiatCapture, FiatEvent, FiatPayout, FiatRefund, FiatSession, FiatStatus } from "../provider.ts";
import type { SandboxCapture, SandboxEvent, SandboxPayout, SandboxRefund, SandboxSession } from "./wire.ts";

/** Every status the sandbox sends, for sessions and captures, and ours for it. */
export const SANDBOX_STATUS_MAP: Readonly<Record<string, FiatStatus>> = {
  pending_approval: "created",
  approved: "approved",
  declined: "declined",
  captured: "captured",
  completed: "captured",
  partially_refunded: "captured",
  reversed: "reversed",
  refunded: "refunded",
  expired: "failed",
};

export function mapSandboxStatus(status: string): FiatStatus {
  const ours = SANDBOX_STATUS_MAP[status];
  if (!ours)
    throw new ProviderProtocolError({ provider: "sandbox", message: `unknown sandbox status '${status}'` });
  return ours;
}

export function toSession(s: SandboxSession): FiatSession {
  return {
    provider: "sandbox",
    providerRef: s.id,
    approvalUrl: s.approval_url,
    status: mapSandboxStatus(s.status),
    providerStatus: s.status,
    amount: s.amount,
  };
}

export function toCapture(c: SandboxCapture): FiatCapture {
  return {
    providerRef: c.session,
    captureRef: c.id,
    status: mapSandboxStatus(c.status),
    providerStatus: c.status,
    amount: c.amount,
  };
}

export function toRefund(r: SandboxRefund): FiatRefund {
  return {
    refundRef: r.id,
    captureRef: r.capture,
    status: "succeeded",
    providerStatus: r.status,
    amount: r.amount,
  };
}

export function toPayout(p: SandboxPayout): FiatPayout {
  return { payoutRef: p.id, status: "paid", providerStatus: p.status, amount: p.amount };
}

/** Event type -> what it tells us. Types not listed become kind "other". */
export function toEvent(e: SandboxEvent): FiatEvent {
  const base = {
    provider: "sandbox" as const,
    id: e.id,
    providerType: e.type,
    occurredAt: e.created,
    raw: e,
  };
  const obj = e.data.object;
  switch (e.type) {
    case "session.approved":
    case "session.declined":
    case "session.expired": {
      const s = obj as SandboxSession;
      return {
        ...base,
        kind: "payment",
        providerRef: s.id,
        status: mapSandboxStatus(s.status),
        amount: s.amount,
      };
    }
    case "capture.completed":
    case "capture.reversed": {
      const c = obj as SandboxCapture;
      return {
        ...base,
        kind: "payment",
        providerRef: c.session,
        captureRef: c.id,
        status: e.type === "capture.reversed" ? "reversed" : "captured",
        amount: c.amount,
      };
    }
    case "refund.succeeded": {
      const r = obj as SandboxRefund;
      return {
        ...base,
        kind: "refund",
        refundRef: r.id,
        captureRef: r.capture,
        providerRef: r.session,
        status: "succeeded",
        amount: r.amount,
      };
    }
    case "payout.paid": {
      const p = obj as SandboxPayout;
      return { ...base, kind: "payout", payoutRef: p.id, status: "paid", amount: p.amount };
    }
    default:
      return { ...base, kind: "other" };
  }
}
