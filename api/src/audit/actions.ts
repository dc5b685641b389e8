/** Every action the audit log records, with what its entry's `object_id` and `details` hold (api/docs/team.md). */
export const AUDIT_ACTIONS = {
  "merchant.created":
    "object: merchant; details: name, payout_address, owner_address, first_key (by the operator)",
  "refund.created": "object: refund; details: order, amount, reason",
  "order.released": "object: order; details: amount (an early release)",
  "order.canceled": "object: order; details: amount",
  "subscription.canceled": "object: subscription; details: at_period_end, status (after)",
  "payment_link.deactivated": "object: payment link",
  "plan.archived": "object: plan",
  "payout.created": "object: payout; details: the request (fx_quote, recipient)",
  "api_key.created": "object: key; details: name, type, scopes",
  "api_key.rolled": "object: the old key; details: new_key, old_key_expires_in",
  "api_key.revoked": "object: key; details: name",
  "webhook_endpoint.created": "object: endpoint; details: after (url, enabled_events, status)",
  "webhook_endpoint.updated": "object: endpoint; details: before, after",
  "webhook_endpoint.deleted": "object: endpoint; details: before",
  "webhook_endpoint.secret_rotated": "object: endpoint; details: old_secret_expires_in",
  "risk.rules_changed": "details: before, after (rules, reporting_currency)",
  "risk.review_release_hold": "object: review; details: order, status, note",
  "risk.review_refund": "object: review; details: order, status, note",
  "risk.review_dismiss": "object: review; details: order, status, note",
  "risk.hold_placed": "object: order (by the operator)",
  "risk.hold_lifted": "object: order (by the operator)",
  "dispute.resolved": "object: order; details: refund_amount (by the operator as arbiter)",
  "reconciliation_finding.resolved": "object: finding; details: note",
  "team.member_invited": "object: invitation; details: address, role, replaced",
  "team.invitation_revoked": "object: invitation; details: address, role",
  "team.invitation_accepted": "object: invitation; details: address, role, invited_by",
  "team.role_changed": "object: member address; details: before, after",
  "team.member_removed": "object: member address; details: before",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];
