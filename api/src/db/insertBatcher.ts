/**
 * Coalesces one-row inserts that arrive together into one multi-row statement. Under load many orders
 * are created at once; writing them with one INSERT costs one statement, one commit and one round trip
 * instead of one each, which is most of Postgres' work per order.
 *
 * Rows queued during a turn of the event loop are written at the end of it (setImmediate), in batches of
 * at most `maxBatch`, with at most `maxInFlight` statements running (one by default): rows that arrive
 * meanwhile wait for it to finish and go together in the next, so batches grow with the load. One at a
 * time beat two: at 20 connections, 7,535 against 6,181 orders/s (side by side, one run), with less CPU per
 * order in both the API (95 against 114 us) and Postgres (67 against 86 us): each statement has a fixed
 * cost on both sides, which a bigger batch shares among more orders. A lone row goes through `one`.
 * A batch that fails as a whole (a constraint one row breaks, a lost connection) is retried row by row,
 * so each caller gets its own row's outcome and a bad row fails only its request.
 */
export interface InsertBatcher<Row, Out> {
  insert(row: Row): Promise<Out>;
}

interface Queued<Row, Out> {
  row: Row;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

export function insertBatcher<Row, Out>(opts: {
  /** Writes one row. */
  one: (row: Row) => Promise<Out>;
  /** Writes several rows in one statement; answers in the order of `rows`. */
  many: (rows: Row[]) => Promise<Out[]>;
  /** Most rows in one statement. */
  maxBatch?: number;
  /** Most statements running at once. */
  maxInFlight?: number;
}): InsertBatcher<Row, Out> {
  const maxBatch = opts.maxBatch ?? 200;
  const maxInFlight = opts.maxInFlight ?? 1;
  const queue: Queued<Row, Out>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const write = async (batch: Queued<Row, Out>[]) => {
    if (batch.length > 1) {
      try {
        const outs = await opts.many(batch.map((b) => b.row));
        for (const [i, b] of batch.entries()) b.resolve(outs[i]!);
        return;
      } catch {
        // Retried row by row below: each caller gets its own row's outcome.
      }
    }
    await Promise.all(batch.map((b) => opts.one(b.row).then(b.resolve, b.reject)));
  };
  const pump = () => {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxInFlight) {
      inFlight++;
      void write(queue.splice(0, maxBatch)).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return {
    insert(row) {
      return new Promise<Out>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        if (!scheduled && inFlight < maxInFlight) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
  };
}
