/**
 * Cursor pagination over a table with a `seq` column, newest first: `starting_after` pages towards older
 * objects, `ending_before` towards newer ones; `has_more` says whether another page exists that way.
 */
import type { Db } from "../db/pool.ts";
import { InvalidRequestError } from "../errors.ts";
import type { ListQueryT } from "../schemas/common.ts";

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

export interface PaginateOptions {
  table: string;
  columns: string;
  /** SQL conditions joined with AND, with $1.. placeholders for `params`. */
  where: string[];
  params: unknown[];
  query: ListQueryT;
}

export async function paginate<T>(db: Db, opts: PaginateOptions): Promise<Page<T>> {
  const { starting_after: after, ending_before: before } = opts.query;
  const limit = opts.query.limit ?? 10;
  if (after && before) {
    throw new InvalidRequestError(
      "parameter_invalid",
      "Use starting_after or ending_before, not both",
      "ending_before",
    );
  }
  const where = [...opts.where];
  const params = [...opts.params];
  const cursor = after ?? before;
  if (cursor) {
    const { rows } = await db.query<{ seq: string }>(
      `SELECT seq FROM ${opts.table} WHERE id = $${params.length + 1} AND ${opts.where.join(" AND ")}`,
      [...opts.params, cursor],
    );
    if (!rows[0]) {
      throw new InvalidRequestError(
        "resource_missing",
        `No such object: '${cursor}'`,
        after ? "starting_after" : "ending_before",
      );
    }
    params.push(rows[0].seq);
    where.push(`seq ${after ? "<" : ">"} $${params.length}`);
  }
  params.push(limit + 1);
  const { rows } = (await db.query(
    `SELECT ${opts.columns} FROM ${opts.table} WHERE ${where.join(" AND ")}
      ORDER BY seq ${before ? "ASC" : "DESC"} LIMIT $${params.length}`,
    params,
  )) as unknown as { rows: T[] };
  const hasMore = rows.length > limit;
  const data = rows.slice(0, limit);
  if (before) data.reverse();
  return { data, hasMore };
}
