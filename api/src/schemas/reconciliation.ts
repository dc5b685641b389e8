/** The reconciliation finding and run as the API shows them (routes and reports). */
import Type, { type Static } from "typebox";
import { Nullable } from "./common.ts";

export const Finding = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal("reconciliation_finding"),
    livemode: Type.Boolean(),
    kind: Type.String({
      description:
        "paid_not_credited · credited_without_payment · amount_mismatch · token_mismatch · refund_not_on_chain · fiat_captured_not_funded · fiat_funded_twice · fiat_refund_one_side",
    }),
    subject: Type.String({ description: "What the finding is about; (kind, subject) is unique." }),
    order: Nullable(Type.String()),
    details: Type.Record(Type.String(), Type.Unknown()),
    status: Type.String({ enum: ["open", "resolved"] }),
    detected_at: Type.Integer(),
    last_seen_at: Type.Integer(),
    resolved_at: Nullable(Type.Integer()),
    resolved_by: Nullable(
      Type.String({ description: "Key id, or `system` when it stopped being observed." }),
    ),
    resolution_note: Nullable(Type.String()),
  },
  { description: "A mismatch found by reconciliation, stored once per (kind, subject)." },
);

/** What POST /v1/reconciliation/runs answers (runReconciliation.ts). */
export const ReconciliationRun = Type.Object({
  id: Type.String(),
  object: Type.Literal("reconciliation_run"),
  started: Type.Integer(),
  finished: Type.Integer(),
  found: Type.Integer(),
  new_findings: Type.Integer(),
  auto_resolved: Type.Integer(),
  fiat_checked: Type.Boolean(),
  kinds: Type.Record(Type.String(), Type.Integer()),
});
export type ReconciliationRunT = Static<typeof ReconciliationRun>;
