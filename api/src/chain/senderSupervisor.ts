/**
 * Runs the transaction senders of this process's signers (txSender.ts), each only while this process
 * holds that signer's Postgres session advisory lock, so exactly one process drives a signer on a
 * chain however many API processes run. The locks live on one dedicated connection (not the pool):
 *
 * - Every SUPERVISE_MS, each signer not driven here is tried with pg_try_advisory_lock; the winner drives
 *   it until it stops or its connection dies. A process that dies (kill -9, a lost host) closes its
 *   connection, Postgres releases its locks, and another process takes over within SUPERVISE_MS. Its
 *   half-done tick is harmless: every sent attempt was stored before broadcast (see txSender.ts).
 * - The same connection LISTENs on the channel createChainTx notifies on commit, to wake the signer's
 *   loop at once; it still polls (busy: PIER_TX_POLL_INTERVAL_MS; idle: every IDLE_POLL_MS, a safety net
 *   for a lost notification, since every new intent notifies).
 * - If the connection fails (Postgres restarted), every loop stops before the locks are taken again,
 *   so two processes never drive one signer; the database's unique nonce index backs that up.
 */

import { isLocalChain } from "@pier/contracts/chains";
import type { FastifyBaseLogger } from "fastify";
import pg from "pg";
import type { AppContext } from "../context.ts";
import type { ChainContext } from "./chainContext.ts";
import { CHAIN_TX_CHANNEL } from "./chainTxs.ts";
import { senderSigners } from "./signers.ts";
import { TxSender } from "./txSender.ts";

/** First key of the two-key advisory lock ("TXSD"); the second is hashtext(schema:chain:signer). */
export const SENDER_LOCK_CLASS = 0x5458_5344;
/**
 * How often the lock connection is checked and free signers are taken: the longest a dead replica's
 * signers wait for another process (sends only; every send is durable in chain_txs meanwhile). At 1 s its
 * probe was ~1 of the 11 queries a second of an idle API.
 */
const SUPERVISE_MS = 5_000;
/**
 * An idle signer's safety-net poll. Every intent notifies on commit (createChainTx), so this only bounds
 * how long a lost notification delays a send; at 1 s the idle senders alone queried chain_txs ~7 times
 * a second on a local stack doing nothing, at 5 s still 1.2 times a second (six signers).
 */
const IDLE_POLL_MS = 15_000;
/** A failing tick (the RPC is down) is logged again only after this long, unless its error changes. */
const ERROR_LOG_EVERY_MS = 30_000;

export interface TxSenders {
  stop(): Promise<void>;
}

interface SignerLoop {
  kick(): void;
  stop(): Promise<void>;
}

/** Every network's senders; one network's failing RPC only fails that network's ticks. */
export function startTxSenders(ctx: AppContext): TxSenders {
  const all = ctx.networks.list.map((net) => startNetworkSenders(ctx, net));
  return { stop: async () => void (await Promise.all(all.map((s) => s.stop()))) };
}

function startNetworkSenders(ctx: AppContext, net: ChainContext): TxSenders {
  const local = isLocalChain(net.chainId);
  const pollMs = ctx.config.txSender.pollIntervalMs ?? (local ? 100 : 1_000);
  const log = ctx.log.child({ component: "tx-sender" });
  const signers = senderSigners(net.signers);
  const loops = new Map<string, SignerLoop>();
  let client: pg.Client | undefined;
  let stopped = false;
  let supervising: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const lockKey = (signer: string) => `${ctx.config.apiSchema}:${net.chainId}:${signer}`;

  const dropLocks = async (why: unknown) => {
    const held = [...loops.values()];
    loops.clear();
    const lost = client;
    client = undefined;
    await Promise.all(held.map((l) => l.stop()));
    lost?.removeAllListeners();
    await lost?.end().catch(() => {});
    if (held.length > 0) log.warn({ err: why, signers: held.length }, "sender locks lost; stopped driving");
  };

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({
      connectionString: ctx.config.databaseUrl,
      application_name: "pier-api-sender",
      keepAlive: true,
    });
    c.on("error", (error) => void dropLocks(error));
    c.on("notification", (msg) => {
      const [chainId, signer] = (msg.payload ?? "").split(":");
      if (Number(chainId) === net.chainId && signer) loops.get(signer)?.kick();
    });
    await c.connect();
    await c.query(`LISTEN ${CHAIN_TX_CHANNEL}`);
    return c;
  };

  const supervise = async () => {
    try {
      if (!client) client = await connect();
      else await client.query("SELECT 1"); // the locks are only as alive as this connection
      for (const who of signers) {
        if (loops.has(who.address) || stopped) continue;
        const { rows } = await client.query<{ ok: boolean }>(
          "SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok",
          [SENDER_LOCK_CLASS, lockKey(who.address)],
        );
        if (!rows[0]?.ok) continue;
        const sender = new TxSender(ctx, net, who, ctx.config.txSender);
        loops.set(who.address, signerLoop(sender, pollMs, log));
        log.info(
          { signer: who.address, roles: who.roles, chainId: net.chainId },
          "driving the signer's sender",
        );
      }
    } catch (error) {
      await dropLocks(error);
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      supervising = supervise().finally(schedule);
    }, SUPERVISE_MS);
  };
  supervising = supervise().finally(schedule);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await supervising;
      const held = [...loops.values()];
      loops.clear();
      await Promise.all(held.map((l) => l.stop()));
      // Closing the connection releases every lock it holds.
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}

/** Ticks one sender: again soon while it has work, on a kick (NOTIFY), else every IDLE_POLL_MS. */
function signerLoop(sender: TxSender, pollMs: number, log: FastifyBaseLogger): SignerLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let lastError = { message: "", at: 0 };
  const run = () => {
    timer = undefined;
    if (stopped) return;
    let busy = false;
    running = sender
      .tick()
      .then(
        (b) => {
          busy = b;
          lastError = { message: "", at: 0 };
        },
        (error: Error) => {
          busy = true;
          const message = String(error?.message ?? error);
          if (message !== lastError.message || Date.now() - lastError.at > ERROR_LOG_EVERY_MS) {
            log.warn({ err: error, signer: sender.signer }, "sender tick failed; will retry");
            lastError = { message, at: Date.now() };
          }
        },
      )
      .finally(() => {
        running = undefined;
        if (stopped) return;
        timer = setTimeout(run, again ? 0 : busy ? pollMs : Math.max(pollMs, IDLE_POLL_MS));
        again = false;
      });
  };
  timer = setTimeout(run, 0);
  return {
    kick() {
      if (running) again = true;
      else if (timer && !stopped) {
        clearTimeout(timer);
        timer = setTimeout(run, 0);
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
