/**
 * Coalesces one-row inserts that arrive together into one multi-row statement. Under load many orders
 * are created in the same turn of the event loop; writing them with one INSERT costs one statement, one
 * commit and one round trip instead of one each, which is most of Postgres' work per order.
 *
 * Rows queued during a turn are written at the end of it (setImmediate): a lone row waits for nothing
 * and goes through `one`. A batch that fails as a whole (a constraint one row breaks, a lost connection)
 * is retried row by row, so each caller gets its own row's outcome and a bad row fails only its request.
 */
export interface InsertBatcher<Row, Out> {
  insert(row: Row): Promise<Out>;
}

export function insertBatcher<Row, Out>(opts: {
  /** Writes one row. */
  one: (row: Row) => Promise<Out>;
  /** Writes several rows in one statement; answers in the order of `rows`. */
  many: (rows: Row[]) => Promise<Out[]>;
  /** Most rows in one statement. */
  maxBatch?: number;
}): InsertBatcher<Row, Out> {
  const maxBatch = opts.maxBatch ?? 200;
  let queue: { row: Row; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = [];

  const writeEach = (batch: typeof queue) => {
    for (const b of batch) opts.one(b.row).then(b.resolve, b.reject);
  };
  const flush = () => {
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(maxBatch);
    if (queue.length > 0) setImmediate(flush);
    if (batch.length === 1) return writeEach(batch);
    opts.many(batch.map((b) => b.row)).then(
      (outs) => {
        for (const [i, b] of batch.entries()) b.resolve(outs[i]!);
      },
      () => writeEach(batch),
    );
  };

  return {
    insert(row) {
      return new Promise<Out>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        if (queue.length === 1) setImmediate(flush);
      });
    },
  };
}
