/**
 * The indexer's tables, read with plain SQL (column names per indexer/ponder.schema.ts and
 * indexer/README.md). The schema name comes from PIER_INDEXER_SCHEMA and is validated by config.ts
 * against an identifier pattern before it is quoted here.
 */
export interface IndexerTables {
  payment: string;
  paymentEvent: string;
  /** What the escrow owes each account after refused payouts (indexer/README.md, `credit`). */
  credit: string;
  checkpoint: string;
}

/** The schema name, checked to be a plain identifier before anyone quotes it into SQL. */
export function checkedSchemaName(schema: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad indexer schema name: ${schema}`);
  return schema;
}

export function indexerTables(schema: string): IndexerTables {
  checkedSchemaName(schema);
  return {
    payment: `"${schema}"."payment"`,
    paymentEvent: `"${schema}"."payment_event"`,
    credit: `"${schema}"."credit"`,
    checkpoint: `"${schema}"."_ponder_checkpoint"`,
  };
}
