/**
 * The indexer's HTTP server (Ponder serves /health, /ready, /status and /metrics itself):
 *   /sql/*      SQL over HTTP for @ponder/client (read-only, the indexer's tables only)
 *   /graphql    GraphQL over the same tables
 *   GET /payments/:chainId/:id   one payment row as JSON (amounts as decimal strings), 404 when unknown:
 *               the cheapest way for a script or the web checkout to ask "has this been indexed?"
 */
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { and, client, eq, graphql } from "ponder";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

app.get("/payments/:chainId/:id", async (c) => {
  const chainId = Number(c.req.param("chainId"));
  const id = c.req.param("id").toLowerCase();
  if (!Number.isSafeInteger(chainId) || chainId <= 0 || !/^0x[0-9a-f]{64}$/.test(id)) {
    return c.json(
      { error: { type: "invalid_request_error", message: "expected /payments/<chainId>/<0x + 64 hex>" } },
      400,
    );
  }
  const [row] = await db
    .select()
    .from(schema.payment)
    .where(and(eq(schema.payment.chainId, chainId), eq(schema.payment.id, id as `0x${string}`)))
    .limit(1);
  if (!row) return c.json({ error: { type: "not_found", message: "payment not indexed" } }, 404);
  // JSON has no bigint: money and block numbers travel as decimal strings (DESIGN: amounts are strings).
  return c.json(
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v])),
  );
});

export default app;
