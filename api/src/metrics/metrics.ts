/** The API's Prometheus metrics, on a registry of its own (served at /metrics). */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  // The event-loop delay is sampled every 100 ms rather than prom-client's 10 ms: each sample is a timer
  // that wakes an idle API, and a delay worth alerting on lasts far longer than 100 ms.
  collectDefaultMetrics({ register: registry, prefix: "pier_api_", eventLoopMonitoringPrecision: 100 });
  return {
    registry,
    httpRequests: new Counter({
      name: "pier_api_http_requests_total",
      help: "HTTP requests by route and status code",
      labelNames: ["method", "route", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "pier_api_http_request_duration_seconds",
      help: "HTTP request latency",
      labelNames: ["method", "route"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: "pier_api_webhook_deliveries_total",
      help: "Webhook delivery attempts by result",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    eventsTotal: new Counter({
      name: "pier_api_events_total",
      help: "Events stored, by type",
      labelNames: ["type"] as const,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "pier_api_queue_depth",
      help: "Jobs waiting per queue",
      labelNames: ["queue"] as const,
      registers: [registry],
    }),
    creditsOutstanding: new Gauge({
      name: "pier_api_escrow_credits_outstanding",
      help: "Token units the escrow holds as credits (payouts the token refused), by token and whose they are (merchant, fee_recipient, other)",
      labelNames: ["chain_id", "token", "role"] as const,
      registers: [registry],
    }),
    creditAccounts: new Gauge({
      name: "pier_api_escrow_credit_accounts",
      help: "Accounts with a credit still owed by the escrow",
      labelNames: ["chain_id"] as const,
      registers: [registry],
    }),
    syncPasses: new Counter({
      name: "pier_api_sync_passes_total",
      help: "Order sync passes by network and kind: full, or quiet (nothing changed since a full pass that found nothing: one query)",
      labelNames: ["chain_id", "kind"] as const,
      registers: [registry],
    }),
    keeperRuns: new Counter({
      name: "pier_api_keeper_runs_total",
      help: "Keeper runs by network and result",
      labelNames: ["chain_id", "result"] as const,
      registers: [registry],
    }),
    chainTxs: new Counter({
      name: "pier_api_chain_txs_total",
      help: "Transaction intents ended, by network, kind and result (confirmed, failed, abandoned)",
      labelNames: ["chain_id", "kind", "result"] as const,
      registers: [registry],
    }),
    // The transaction sender (chain/txSender.ts), per chain and signer address. Gauges are read from
    // the database at scrape time, so every API process reports them; counters count this process's.
    chainTxOldestUnmined: new Gauge({
      name: "pier_api_chain_tx_oldest_unmined_seconds",
      help: "Age of the signer's oldest transaction sent and not yet mined (0: none)",
      labelNames: ["chain_id", "signer"] as const,
      registers: [registry],
    }),
    chainTxInFlight: new Gauge({
      name: "pier_api_chain_tx_in_flight",
      help: "Transactions sent and not yet mined (at most PIER_TX_MAX_IN_FLIGHT)",
      labelNames: ["chain_id", "signer"] as const,
      registers: [registry],
    }),
    chainTxQueued: new Gauge({
      name: "pier_api_chain_tx_queued",
      help: "Transaction intents waiting for a nonce",
      labelNames: ["chain_id", "signer"] as const,
      registers: [registry],
    }),
    chainTxStuck: new Gauge({
      name: "pier_api_chain_tx_stuck",
      help: "Open transactions older than PIER_TX_STUCK_AFTER_SECONDS (/readyz is degraded while > 0)",
      labelNames: ["chain_id", "signer"] as const,
      registers: [registry],
    }),
    chainTxReplacements: new Counter({
      name: "pier_api_chain_tx_replacements_total",
      help: "Transactions replaced at the same nonce, by reason (fee_bump, cancel)",
      labelNames: ["chain_id", "signer", "reason"] as const,
      registers: [registry],
    }),
    chainTxRebroadcasts: new Counter({
      name: "pier_api_chain_tx_rebroadcasts_total",
      help: "Signed transactions sent again because the node no longer knew them",
      labelNames: ["chain_id", "signer"] as const,
      registers: [registry],
    }),
    chainTxAbandoned: new Counter({
      name: "pier_api_chain_tx_abandoned_total",
      help: "Open transactions abandoned because their chain was replaced (new genesis, same chain id)",
      labelNames: ["chain_id", "signer"] as const,
      registers: [registry],
    }),
    treasuryBalance: new Gauge({
      name: "pier_api_treasury_balance_units",
      help: "Fiat bridge treasury's balance per network and token (token units; precision beyond 2^53 is lost)",
      labelNames: ["chain_id", "token"] as const,
      registers: [registry],
    }),
    relayerLow: new Gauge({
      name: "pier_api_relayer_low",
      help: "1 when the relayer of a network could not pay a relay's gas: relayed payments there are refused",
      labelNames: ["chain_id"] as const,
      registers: [registry],
    }),
    relays: new Counter({
      name: "pier_api_relays_total",
      help: "Relay requests by network and outcome (accepted, refused, unavailable, limited)",
      labelNames: ["chain_id", "result"] as const,
      registers: [registry],
    }),
    treasuryLow: new Gauge({
      name: "pier_api_treasury_low",
      help: "1 when the treasury of a network and token is below its reserve: new fiat sessions there are refused",
      labelNames: ["chain_id", "token"] as const,
      registers: [registry],
    }),
    fiatEvents: new Counter({
      name: "pier_api_fiat_events_total",
      help: "Fiat bridge events by kind (captured, funded, declined, reversed, refunded, payout ...)",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    riskEvaluations: new Counter({
      name: "pier_api_risk_evaluations_total",
      help: "Risk evaluations by stage (order, payment, fiat_session) and outcome (allow, flag, hold, block)",
      labelNames: ["stage", "outcome"] as const,
      registers: [registry],
    }),
    riskRulesFired: new Counter({
      name: "pier_api_risk_rules_fired_total",
      help: "Risk rules that fired, by rule and configured action",
      labelNames: ["rule", "action"] as const,
      registers: [registry],
    }),
    riskOpenHolds: new Gauge({
      name: "pier_api_risk_open_holds",
      help: "Payments held for risk review and not yet reviewed",
      registers: [registry],
    }),
    reconciliationFindings: new Counter({
      name: "pier_api_reconciliation_findings_total",
      help: "New reconciliation findings by kind",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    reconciliationOpenFindings: new Gauge({
      name: "pier_api_reconciliation_open_findings",
      help: "Unresolved reconciliation findings by kind",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    reconciliationRuns: new Counter({
      name: "pier_api_reconciliation_runs_total",
      help: "Reconciliation runs by result",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    webhookEndpointsFailing: new Gauge({
      name: "pier_api_webhook_endpoints_failing",
      help: "Webhook endpoints whose recent deliveries all failed",
      registers: [registry],
    }),
    indexerLag: new Gauge({
      name: "pier_api_indexer_lag_blocks",
      help: "Chain head minus the indexer's latest block",
      labelNames: ["chain_id"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
