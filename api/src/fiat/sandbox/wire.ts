/**
 * The sandbox wallet's wire format: the JSON objects its API returns and its webhooks carry. Shared by
 * the simulator (simulator.ts) and the adapter's mapping (mapping.ts), so the adapter never imports the
 * server.
 */
import type { Money, WalletKind } from "../provider.ts";
import type { FailureMode } from "./failureModes.ts";

export const SANDBOX_SIGNATURE_HEADER = "Pier-Sandbox-Signature";
export const WALLETS: readonly WalletKind[] = ["paypal", "apple_pay", "google_pay"];

export type SessionStatus =
  | "pending_approval"
  | "approved"
  | "declined"
  | "captured"
  | "reversed"
  | "refunded"
  | "expired";

export interface SandboxSession {
  id: string;
  object: "sandbox.session";
  status: SessionStatus;
  amount: Money;
  reference: string;
  description: string | null;
  metadata: Record<string, string>;
  wallet: WalletKind | null;
  simulate: FailureMode | null;
  return_url: string;
  cancel_url: string;
  approval_url: string;
  capture: string | null;
  created: number;
  expires_at: number;
  livemode: false;
}

export interface SandboxCapture {
  id: string;
  object: "sandbox.capture";
  session: string;
  status: "completed" | "partially_refunded" | "refunded" | "reversed";
  amount: Money;
  amount_refunded: string;
  created: number;
}

export interface SandboxRefund {
  id: string;
  object: "sandbox.refund";
  capture: string;
  session: string;
  status: "succeeded";
  amount: Money;
  reason: string | null;
  created: number;
}

export interface SandboxPayout {
  id: string;
  object: "sandbox.payout";
  recipient: string;
  status: "paid";
  amount: Money;
  note: string | null;
  created: number;
}

export interface SandboxEvent {
  id: string;
  object: "event";
  type: string;
  created: number;
  livemode: false;
  data: { object: SandboxSession | SandboxCapture | SandboxRefund | SandboxPayout };
}

export interface Delivery {
  eventId: string;
  status: number;
  at: number;
}
