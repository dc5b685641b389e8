/**
 * The Postgres-backed FxQuoteStore over the `fx_quote` table (migration 0003_fiat.sql). Table names are bare: the
 * API's pool sets search_path to its schema (db/pool.ts). consume() locks the row (SELECT ... FOR
 * UPDATE) so two sessions racing for one quote cannot both win.
 */
import type pg from "pg";
import type { FxQuote } from "./quote.ts";
import { consumeDecision, type FxQuoteStore } from "./quoteStore.ts";

const COLUMNS = `id, fixed, source_currency, source_amount, token_symbol, token_decimals, token_pegged_to,
  target_units::text AS target_units, fee_units::text AS fee_units, spread_bps, mid_rate, rate, rate_source,
  rate_as_of, created_at, expires_at, used_by, used_at`;

interface Row {
  id: string;
  fixed: "source" | "target";
  source_currency: string;
  source_amount: string;
  token_symbol: string;
  token_decimals: number;
  token_pegged_to: string;
  target_units: string;
  fee_units: string;
  spread_bps: number;
  mid_rate: string;
  rate: string;
  rate_source: string;
  rate_as_of: Date;
  created_at: Date;
  expires_at: Date;
  used_by: string | null;
  used_at: Date | null;
}

function fromRow(r: Row): FxQuote {
  return {
    id: r.id,
    fixed: r.fixed,
    sourceCurrency: r.source_currency,
    sourceAmount: r.source_amount,
    token: { symbol: r.token_symbol, decimals: r.token_decimals, peggedTo: r.token_pegged_to },
    targetUnits: BigInt(r.target_units),
    feeUnits: BigInt(r.fee_units),
    spreadBps: r.spread_bps,
    midRate: r.mid_rate,
    rate: r.rate,
    rateSource: r.rate_source,
    rateAsOf: r.rate_as_of,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    ...(r.used_by !== null ? { usedBy: r.used_by, usedAt: r.used_at ?? undefined } : {}),
  };
}

export function pgQuoteStore(pool: pg.Pool): FxQuoteStore {
  return {
    async insert(q) {
      await pool.query(
        `INSERT INTO fx_quote (id, fixed, source_currency, source_amount, token_symbol, token_decimals,
           token_pegged_to, target_units, fee_units, spread_bps, mid_rate, rate, rate_source, rate_as_of,
           created_at, expires_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
        [
          q.id,
          q.fixed,
          q.sourceCurrency,
          q.sourceAmount,
          q.token.symbol,
          q.token.decimals,
          q.token.peggedTo,
          q.targetUnits.toString(),
          q.feeUnits.toString(),
          q.spreadBps,
          q.midRate,
          q.rate,
          q.rateSource,
          q.rateAsOf,
          q.createdAt,
          q.expiresAt,
        ],
      );
    },
    async get(id) {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM fx_quote WHERE id = $1`, [id]);
      return rows[0] && fromRow(rows[0]);
    },
    async consume(id, usedBy, now) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const { rows } = await client.query<Row>(`SELECT ${COLUMNS} FROM fx_quote WHERE id = $1 FOR UPDATE`, [
          id,
        ]);
        const current = rows[0] && fromRow(rows[0]);
        const next = consumeDecision(current, id, usedBy, now);
        if (current?.usedBy === undefined)
          await client.query("UPDATE fx_quote SET used_by = $2, used_at = $3 WHERE id = $1", [
            id,
            usedBy,
            now,
          ]);
        await client.query("COMMIT");
        return next;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
