/**
 * The fiat-event job: applies one stored provider event (recordFiatEvent.ts). Every step is idempotent,
 * so a retry after a crash at any point converges:
 *
 *   payment approved  -> capture (idempotency key per session) -> fundCapture   (also pollSessions.ts)
 *   payment captured  -> fundCapture                                             (the webhook path)
 *   declined / failed -> session status + incident; the order stays payable
 *   reversed          -> capture marked reversed (a later capture event funds nothing) + incident; if
 *                        the escrow was already funded, the operator holds it for review
 *   refund / payout   -> their rows' status
 */
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { PaymentDeclinedError, ProviderStateError, SessionNotApprovedError } from "../fiat/errors.ts";
import type { FiatEvent } from "../fiat/provider.ts";
import { setHold } from "../orders/orderActions.ts";
import type { OrderRow } from "../orders/orderRow.ts";
import { requireProvider } from "./fiatContext.ts";
import { fundCapture } from "./fundCapture.ts";
import { recordIncident } from "./incidents.ts";
import type { FiatSessionRow } from "./sessionRow.ts";
import { queueSweep } from "./sweep.ts";

/** As stored by recordFiatEvent (the raw provider payload is kept beside it, not in it). */
type StoredEvent = FiatEvent;

export async function handleFiatEvent(
  ctx: AppContext,
  job: { provider: string; eventId: string },
): Promise<void> {
  const { rows } = await ctx.pool.query<{ payload: { event: StoredEvent }; processed_at: Date | null }>(
    "SELECT payload, processed_at FROM fiat_webhook_event WHERE provider = $1 AND event_id = $2",
    [job.provider, job.eventId],
  );
  const row = rows[0];
  if (!row || row.processed_at) return;
  const event = row.payload.event;
  await apply(ctx, event);
  await ctx.pool.query(
    "UPDATE fiat_webhook_event SET processed_at = now() WHERE provider = $1 AND event_id = $2",
    [job.provider, job.eventId],
  );
}

async function apply(ctx: AppContext, event: StoredEvent): Promise<void> {
  switch (event.kind) {
    case "payment": {
      const session = await sessionByRef(ctx, event.provider, event.providerRef);
      if (event.status === "captured" && event.captureRef) {
        ctx.metrics.fiatEvents.inc({ kind: "captured" });
        await fundCapture(ctx, { ...event, captureRef: event.captureRef });
      } else if (event.status === "approved" || event.status === "requires_action") {
        await setStatus(ctx, session, event.status);
        if (event.status === "approved") await capture(ctx, session);
      } else if (event.status === "declined" || event.status === "failed") {
        await decline(ctx, session, event.status, event.providerType);
      } else if (event.status === "reversed") {
        await reverse(ctx, session, event.captureRef, event.providerType);
      } else if (event.status === "refunded") {
        await setStatus(ctx, session, "refunded");
      }
      return;
    }
    case "refund":
      if (event.refundRef)
        await withTransaction(ctx.pool, async (tx) => {
          const { rows } = await tx.query<{ id: string }>(
            `UPDATE fiat_refund SET status = $3, completed_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END
              WHERE provider = $1 AND provider_refund_ref = $2 AND status = 'pending' RETURNING id`,
            [event.provider, event.refundRef, event.status],
          );
          if (rows[0]) await queueSweep(ctx, tx, rows[0].id);
        });
      return;
    case "payout":
      await ctx.pool.query(
        `UPDATE fiat_payout SET status = $3, completed_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END
          WHERE provider = $1 AND provider_payout_ref = $2 AND status = 'pending'`,
        [event.provider, event.payoutRef, event.status],
      );
      return;
    default:
      return;
  }
}

async function sessionByRef(ctx: AppContext, provider: string, providerRef: string): Promise<FiatSessionRow> {
  const { rows } = await ctx.pool.query<FiatSessionRow>(
    "SELECT * FROM fiat_session WHERE provider = $1 AND provider_ref = $2",
    [provider, providerRef],
  );
  // The provider may call before createSession stored its ref: the job is retried.
  if (!rows[0]) throw new Error(`no fiat session for ${provider} ${providerRef} (yet)`);
  return rows[0];
}

const BEFORE: Record<string, string[]> = {
  requires_action: ["creating", "created"],
  approved: ["creating", "created", "requires_action"],
  declined: ["creating", "created", "requires_action", "approved"],
  failed: ["creating", "created", "requires_action", "approved"],
  reversed: ["creating", "created", "requires_action", "approved", "captured"],
  refunded: ["captured"],
};

async function setStatus(ctx: AppContext, session: FiatSessionRow, status: string, failure?: string) {
  await ctx.pool.query(
    `UPDATE fiat_session SET status = $2, failure_code = coalesce($4, failure_code), updated_at = now()
      WHERE id = $1 AND status = ANY($3)`,
    [session.id, status, BEFORE[status] ?? [], failure ?? null],
  );
}

/** Our capture call: the answer is applied through the same funding path as the provider's webhook. */
export async function capture(ctx: AppContext, session: FiatSessionRow): Promise<void> {
  const provider = requireProvider(ctx);
  try {
    const result = await provider.capture(session.provider_ref!, { idempotencyKey: `${session.id}-capture` });
    if (result.status === "captured") {
      ctx.metrics.fiatEvents.inc({ kind: "captured" });
      await fundCapture(ctx, { provider: provider.name, ...result });
    } else if (result.status === "reversed") {
      await reverse(ctx, session, result.captureRef, result.providerStatus);
    }
  } catch (error) {
    if (error instanceof PaymentDeclinedError) return decline(ctx, session, "declined", error.code);
    // Not approved after all, or already captured by an earlier attempt: its own event decides.
    if (error instanceof SessionNotApprovedError || error instanceof ProviderStateError) {
      ctx.log.info({ fiatSessionId: session.id, code: error.code }, "fiat capture skipped");
      return;
    }
    throw error;
  }
}

async function decline(ctx: AppContext, session: FiatSessionRow, status: "declined" | "failed", why: string) {
  await withTransaction(ctx.pool, async (tx) => {
    await tx.query(
      `UPDATE fiat_session SET status = $2, failure_code = $3, failure_message = $4, updated_at = now()
        WHERE id = $1 AND status = ANY($5)`,
      [
        session.id,
        status,
        why,
        "The wallet did not complete this payment; the order can still be paid",
        BEFORE[status],
      ],
    );
    await recordIncident(tx, session, "declined", { status, provider_type: why });
  });
  ctx.metrics.fiatEvents.inc({ kind: status });
  ctx.log.info({ fiatSessionId: session.id, orderId: session.order_id, why }, "fiat payment declined");
}

async function reverse(
  ctx: AppContext,
  session: FiatSessionRow,
  captureRef: string | undefined,
  why: string,
) {
  await withTransaction(ctx.pool, async (tx) => {
    await tx.query("SELECT 1 FROM fiat_session WHERE id = $1 FOR UPDATE", [session.id]);
    if (captureRef)
      await tx.query(
        `INSERT INTO fiat_capture (provider, capture_ref, session_id, order_id, fiat_currency, fiat_amount, status, reversed_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'reversed', now())
         ON CONFLICT (provider, capture_ref) DO UPDATE SET status = 'reversed', reversed_at = now()`,
        [
          session.provider,
          captureRef,
          session.id,
          session.order_id,
          session.fiat_currency,
          session.fiat_amount,
        ],
      );
    await tx.query(
      `UPDATE fiat_session SET status = 'reversed', failure_code = $2, updated_at = now() WHERE id = $1 AND status = ANY($3)`,
      [session.id, why, BEFORE.reversed],
    );
    const funded = await tx.query(
      "SELECT 1 FROM fiat_funding WHERE session_id = $1 AND status IN ('pending', 'funded')",
      [session.id],
    );
    await recordIncident(tx, session, "reversed", {
      provider_type: why,
      capture: captureRef,
      funded: funded.rowCount === 1,
    });
    if (funded.rowCount) {
      const order = (await tx.query<OrderRow>("SELECT * FROM orders WHERE id = $1", [session.order_id]))
        .rows[0]!;
      // The escrow holds money the customer took back: freeze its release until an operator decides.
      // Not indexed yet (the treasury's payment is in flight): holdReversed.ts holds it once it is.
      if (order.payment && (order.status === "escrowed" || order.status === "processing"))
        await setHold(ctx, tx, order, true);
    }
  });
  ctx.metrics.fiatEvents.inc({ kind: "reversed" });
  ctx.log.warn({ fiatSessionId: session.id, orderId: session.order_id, captureRef }, "fiat payment reversed");
}
