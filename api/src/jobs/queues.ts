/**
 * pg-boss queues and the adapter that lets a job be created inside our own transaction: the event, its
 * deliveries and their jobs commit together or not at all (the outbox).
 */
import type { Db as BossDb } from "pg-boss";
import type { Db } from "../db/pool.ts";

export const WEBHOOK_QUEUE = "webhook-delivery";

/** One queue per signer address: pg-boss's `singleton` policy runs one job at a time, so nonces never race. */
export function senderQueue(chainId: number, address: string): string {
  return `chain-tx-${chainId}-${address.toLowerCase()}`;
}

/** Lets pg-boss run its statements on our transaction's client. */
export function bossDb(db: Db): BossDb {
  return { executeSql: (text, values) => db.query(text, values as unknown[]) };
}
