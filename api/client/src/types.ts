/**
 * The API's types, derived from the generated OpenAPI types (src/generated/schema.ts; never edit that
 * file, run `pnpm --filter @pier/client generate`). Names follow the API's objects.
 */
import type { components, paths } from "./generated/schema.ts";

export type { components, paths };

type Method = "get" | "post" | "put" | "delete";
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : never;

/** The success body of an operation (200, else 202). */
export type ResponseOf<P extends keyof paths, M extends Method> = Operation<P, M>["responses"] extends {
  200: infer R;
}
  ? JsonOf<R>
  : Operation<P, M>["responses"] extends { 202: infer R }
    ? JsonOf<R>
    : never;

/** The JSON request body of an operation. */
export type BodyOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends {
    requestBody?: infer B;
  }
    ? JsonOf<NonNullable<B>>
    : never;

/** The query parameters of an operation. */
export type QueryOf<P extends keyof paths, M extends Method> = NonNullable<
  Operation<P, M>["parameters"]["query"]
>;

export type Order = components["schemas"]["Order"];
export type OrderStatus = Order["status"];
export type PaymentTerms = Order["terms"];
export type Refund = ResponseOf<"/v1/refunds/{id}", "get">;
export type Relay = ResponseOf<"/v1/checkout/{id}/relay", "post">;
export type PaymentAttempt = ResponseOf<"/v1/checkout/{id}/attempts", "post">;
export type ApiKey = ResponseOf<"/v1/keys/{id}", "get">;
export type WebhookEndpoint = ResponseOf<"/v1/webhook_endpoints/{id}", "get">;
export type DeletedWebhookEndpoint = ResponseOf<"/v1/webhook_endpoints/{id}", "delete">;
export type Event = ResponseOf<"/v1/events/{id}", "get">;
export type WebhookDelivery = ResponseOf<"/v1/events/{id}/deliveries", "get">["data"][number];
export type Redelivery = ResponseOf<"/v1/events/{id}/redeliver", "post">;
export type Checkout = ResponseOf<"/v1/checkout/{id}", "get">;
export type Merchant = ResponseOf<"/v1/merchant", "get">;
export type CreatedMerchant = ResponseOf<"/v1/admin/merchants", "post">;
/** A merchant as the operator lists it (GET /v1/admin/merchants). */
export type AdminMerchant = ResponseOf<"/v1/admin/merchants", "get">["data"][number];
export type DashboardSignInLink = ResponseOf<"/v1/admin/dashboard_sign_in_links", "post">;
export type Readiness = ResponseOf<"/readyz", "get">;
export type NetworkList = ResponseOf<"/v1/networks", "get">;
export type Network = NetworkList["data"][number];
export type CheckoutOption = Checkout["options"][number];
export type ApiErrorBody = components["schemas"]["Error"];

/** Every event type (what `enabled_events` accepts, less the `*` wildcard); as values: EVENT_TYPES in ./enums. */
export type EventType = Exclude<BodyOf<"/v1/webhook_endpoints", "post">["enabled_events"][number], "*">;
/** A restricted key's scope; as values: API_KEY_SCOPES in ./enums. */
export type ApiKeyScope = NonNullable<BodyOf<"/v1/keys", "post">["scopes"]>[number];

export type CreateOrderParams = BodyOf<"/v1/orders", "post">;
export type ListOrdersParams = QueryOf<"/v1/orders", "get">;
export type CreateRefundParams = BodyOf<"/v1/refunds", "post">;
export type ListRefundsParams = QueryOf<"/v1/refunds", "get">;
export type CreateKeyParams = BodyOf<"/v1/keys", "post">;
export type RollKeyParams = BodyOf<"/v1/keys/{id}/roll", "post">;
export type CreateWebhookEndpointParams = BodyOf<"/v1/webhook_endpoints", "post">;
export type UpdateWebhookEndpointParams = BodyOf<"/v1/webhook_endpoints/{id}", "post">;
export type RotateSecretParams = BodyOf<"/v1/webhook_endpoints/{id}/rotate_secret", "post">;
export type ListEventsParams = QueryOf<"/v1/events", "get">;
export type RedeliverParams = BodyOf<"/v1/events/{id}/redeliver", "post">;
export type CreateMerchantParams = BodyOf<"/v1/admin/merchants", "post">;
export type AdminCreateKeyParams = BodyOf<"/v1/admin/keys", "post">;
export type CreateSignInLinkParams = NonNullable<BodyOf<"/v1/admin/dashboard_sign_in_links", "post">>;
export type ResolveParams = BodyOf<"/v1/admin/orders/{id}/resolve", "post">;
export type HoldParams = BodyOf<"/v1/admin/orders/{id}/hold", "post">;
export type RecordPaymentAttemptParams = BodyOf<"/v1/checkout/{id}/attempts", "post">;

export type RiskRules = ResponseOf<"/v1/risk/rules", "get">;
export type UpdateRiskRulesParams = BodyOf<"/v1/risk/rules", "put">;
export type RiskReview = ResponseOf<"/v1/risk/reviews/{id}", "get">;
export type ListRiskReviewsParams = QueryOf<"/v1/risk/reviews", "get">;
export type ReconciliationFinding = ResponseOf<"/v1/reconciliation/findings", "get">["data"][number];
export type ListFindingsParams = QueryOf<"/v1/reconciliation/findings", "get">;
export type SettlementReportParams = QueryOf<"/v1/reports/settlement", "get">;
export type ReconciliationReportParams = QueryOf<"/v1/reports/reconciliation", "get">;
export type DailyReportParams = QueryOf<"/v1/reports/daily", "get">;
export type PaymentLink = ResponseOf<"/v1/links/{id}", "get">;
export type CreatePaymentLinkParams = BodyOf<"/v1/links", "post">;
export type Plan = ResponseOf<"/v1/plans/{id}", "get">;
export type CreatePlanParams = BodyOf<"/v1/plans", "post">;
export type Subscription = ResponseOf<"/v1/subscriptions/{id}", "get">;
export type CreateSubscriptionParams = BodyOf<"/v1/subscriptions", "post">;
export type CancelSubscriptionParams = BodyOf<"/v1/subscriptions/{id}/cancel", "post">;
export type ListSubscriptionsParams = QueryOf<"/v1/subscriptions", "get">;
export type Invoice = ResponseOf<"/v1/subscriptions/{id}/invoices", "get">["data"][number];
export type ListInvoicesParams = QueryOf<"/v1/invoices", "get">;
export type SubscriptionMetrics = ResponseOf<"/v1/subscriptions/metrics", "get">;
export type SubscriptionMetricsParams = QueryOf<"/v1/subscriptions/metrics", "get">;
export type FxQuote = ResponseOf<"/v1/fx/quotes/{id}", "get">;
export type CreateFxQuoteParams = BodyOf<"/v1/fx/quotes", "post">;
export type Payout = ResponseOf<"/v1/payouts/{id}", "get">;
export type CreatePayoutParams = BodyOf<"/v1/payouts", "post">;
export type FiatSession = ResponseOf<"/v1/fiat_sessions", "get">["data"][number];
export type ListFiatSessionsParams = QueryOf<"/v1/fiat_sessions", "get">;
export type DailyReport = ResponseOf<"/v1/reports/daily", "get">["data"][number];
export type RiskFinding = RiskReview["findings"][number];

// The public checkout's objects (no key): what the hosted checkout page reads.
export type CheckoutPayment = NonNullable<Checkout["payment"]>;
export type PublicPaymentLink = ResponseOf<"/v1/checkout_links/{id}", "get">;
export type PaymentLinkOrder = ResponseOf<"/v1/checkout_links/{id}/orders", "post">;
export type CheckoutSubscription = ResponseOf<"/v1/checkout_subscriptions/{id}", "get">;
export type SubscriptionPermission = ResponseOf<"/v1/checkout_subscriptions/{id}/permission", "post">;
export type RequestSubscriptionPermissionParams = BodyOf<
  "/v1/checkout_subscriptions/{id}/permission",
  "post"
>;
export type AuthorizeSubscriptionParams = BodyOf<"/v1/checkout_subscriptions/{id}/authorize", "post">;
export type CheckoutFiatOptions = ResponseOf<"/v1/checkout/{id}/fiat", "get">;
export type CheckoutFiatQuote = ResponseOf<"/v1/checkout/{id}/fiat/quotes", "post">;
export type CheckoutFiatSession = ResponseOf<"/v1/checkout/{id}/fiat/sessions/{session}", "get">;
export type StartCheckoutFiatSessionParams = BodyOf<"/v1/checkout/{id}/fiat/sessions", "post">;

// The merchant dashboard's session routes (cookie-authenticated, for the dashboard, not server clients).
export type DashboardSession = ResponseOf<"/v1/dashboard/session", "get">;
export type SiweNonce = ResponseOf<"/v1/dashboard/siwe/nonce", "post">;
export type Passkey = ResponseOf<"/v1/dashboard/passkeys", "get">["data"][number];
export type DashboardRole = DashboardSession["role"];
export type TeamMember = ResponseOf<"/v1/team/members", "get">["data"][number];
export type TeamInvitation = ResponseOf<"/v1/team/invitations", "post">;
export type AuditEntry = ResponseOf<"/v1/audit_log", "get">["data"][number];
