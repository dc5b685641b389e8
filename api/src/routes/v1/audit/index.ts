/**
 * /v1/audit_log: the merchant's append-only audit log for dashboard sessions (owners, admins and
 * accountants): a filtered, paged list and a CSV export. There is no route that changes an entry.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import {
  type AuditEntryRow,
  allAuditEntries,
  listAuditEntries,
  toAuditEntryObject,
} from "../../../audit/auditLog.ts";
import type { AppContext } from "../../../context.ts";
import { toCsv } from "../../../reports/csv.ts";
import { errors, ListOf, ListQuery } from "../../../schemas/common.ts";
import { Csv } from "../../../schemas/report.ts";
import { AuditEntry, AuditFilterQuery } from "../../../schemas/team.ts";

const tags = ["Audit log"];

/** The CSV export's columns, in order (api/docs/team.md). */
export const AUDIT_CSV_COLUMNS = [
  "id",
  "created",
  "livemode",
  "actor_type",
  "actor_id",
  "action",
  "object_id",
  "details",
  "request_id",
] as const;

function csvRow(row: AuditEntryRow): Record<string, unknown> {
  return { ...row, created: row.created_at.toISOString(), livemode: row.livemode ?? "" };
}

export default async function auditRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/audit_log",
    {
      config: { auth: "session" },
      schema: {
        tags,
        operationId: "listAuditLog",
        summary: "List audit log entries",
        description:
          "Newest first: this session's mode plus the team's (mode-less) entries, filtered by `action` and `actor`.",
        querystring: Type.Object({ ...ListQuery, ...AuditFilterQuery }, { additionalProperties: false }),
        response: { 200: ListOf(AuditEntry, "A page of audit log entries"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const { action, actor, ...page } = req.query;
      const result = await listAuditEntries(
        ctx.pool,
        req.principal.merchantId,
        { action, actor, livemode: req.principal.livemode },
        page,
      );
      return {
        object: "list" as const,
        data: result.data.map(toAuditEntryObject),
        has_more: result.hasMore,
        url: "/v1/audit_log",
      };
    },
  );

  app.get(
    "/v1/audit_log/export",
    {
      config: { auth: "session" },
      schema: {
        tags,
        operationId: "exportAuditLog",
        summary: "Export the audit log as CSV",
        description:
          "Every matching entry, oldest first, one per row: id, created (ISO 8601 UTC), livemode, actor_type, actor_id, action, object_id, details (JSON), request_id.",
        querystring: Type.Object(AuditFilterQuery, { additionalProperties: false }),
        response: {
          200: { description: "RFC 4180 CSV", content: { "text/csv": { schema: Csv } } },
          ...errors(400, 401, 403),
        },
      },
    },
    async (req, reply) => {
      const rows: Record<string, unknown>[] = [];
      for await (const batch of allAuditEntries(ctx.pool, req.principal.merchantId, {
        ...req.query,
        livemode: req.principal.livemode,
      })) {
        rows.push(...batch.map(csvRow));
      }
      reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="audit-log.csv"');
      return toCsv(AUDIT_CSV_COLUMNS, rows);
    },
  );
}
