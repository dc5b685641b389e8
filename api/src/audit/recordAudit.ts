/**
 * Writing one audit-log entry, with the caller's transaction (auditLog.ts has the request-bound helper,
 * the list and the export). No Fastify here: code outside a request (the create-merchant command)
 * records entries too.
 */
import type { Db } from "../db/pool.ts";
import { newId } from "../lib/ids.ts";
import type { AuditAction } from "./actions.ts";

export type ActorType = "member" | "api_key" | "admin";

export interface Actor {
  type: ActorType;
  /** Member address, API key id, "admin" (the admin key) or "cli" (the create-merchant command). */
  id: string;
}

export interface AuditEntry {
  merchantId: string;
  /** Null for actions on the team, which spans both modes. */
  livemode: boolean | null;
  actor: Actor;
  action: AuditAction;
  objectId: string | null;
  details?: Record<string, unknown>;
  requestId?: string;
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (id, merchant_id, livemode, actor_type, actor_id, action, object_id, details, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      newId("auditEntry"),
      entry.merchantId,
      entry.livemode,
      entry.actor.type,
      entry.actor.id,
      entry.action,
      entry.objectId,
      JSON.stringify(entry.details ?? {}),
      entry.requestId ?? null,
    ],
  );
}
