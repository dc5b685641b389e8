/**
 * pg-boss queues and the adapter that lets a job be created inside our own transaction: the event, its
 * deliveries and their jobs commit together or not at all (the outbox).
 */
import { type Db as BossDb, PgBoss } from "pg-boss";
import type { Config } from "../config.ts";
import { type Db, DURABLE_WRITES } from "../db/pool.ts";

export const WEBHOOK_QUEUE = "webhook-delivery";

/**
 * The pg-boss queue older versions sent a signer's transactions through (one job at a time). Only its
 * name is left: createQueues deletes it; chain/senderSupervisor.ts sends from chain_txs directly.
 */
export function legacySenderQueue(chainId: number, address: string): string {
  return `chain-tx-${chainId}-${address.toLowerCase()}`;
}

/** The API's pg-boss, on its own schema and pool; bootstrap.ts starts it. */
export function createBoss(config: Pick<Config, "databaseUrl" | "jobsSchema">): PgBoss {
  return new PgBoss({
    connectionString: config.databaseUrl,
    schema: config.jobsSchema,
    max: 10,
    application_name: "pier-api-jobs",
    options: DURABLE_WRITES,
    useListenNotify: true,
    // Frequent supervision: a crashed worker's active jobs are expired and retried within seconds.
    superviseIntervalSeconds: 5,
    monitorIntervalSeconds: 5,
    instanceName: "pier-api",
  });
}

/** Lets pg-boss run its statements on our transaction's client. */
export function bossDb(db: Db): BossDb {
  return { executeSql: (text, values) => db.query(text, values as unknown[]) };
}
