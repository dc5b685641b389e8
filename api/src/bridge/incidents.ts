/** Declined, reversed and failed fiat payments, recorded once per session and kind for the report. */
import type { Db } from "../db/pool.ts";
import type { FiatSessionRow } from "./sessionRow.ts";

export type IncidentKind = "declined" | "reversed" | "funding_failed" | "refund_failed";

export async function recordIncident(
  db: Db,
  session: Pick<FiatSessionRow, "id" | "order_id">,
  kind: IncidentKind,
  detail: Record<string, unknown>,
): Promise<void> {
  await db.query(
    `INSERT INTO fiat_incident (session_id, order_id, kind, detail) VALUES ($1, $2, $3, $4)
     ON CONFLICT (session_id, kind) DO NOTHING`,
    [session.id, session.order_id, kind, JSON.stringify(detail)],
  );
}
