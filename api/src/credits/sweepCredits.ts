/**
 * The keeper's credit sweep: every credit still owed is tried with a simulated `withdraw(token, account)`
 * from the keeper key; when the token now lets the transfer through (the issuer lifted a blacklist or a
 * pause) one `withdraw` intent is queued, which pays the account and only it. While the token still
 * refuses, the simulation reverts and nothing is queued: the next pass tries again. Also stores
 * `credit.paid_out` for merchants whose payout address was paid, and refreshes the credit gauges.
 * Queuing is one process at a time (a transaction-scoped advisory lock).
 *
 * The indexer's tables are read first, each in a statement of its own, never inside the transaction: on a
 * reorg the indexer locks its tables one after another (ACCESS EXCLUSIVE, in schema order: payment,
 * payment_event, credit, ...), so a transaction holding `credit` while it asks for `payment_event` waits
 * for the indexer while the indexer waits for it. That deadlock stalled indexing of every chain.
 */
import { paymentEscrowAbi } from "@pier/contracts/abis";
import { encodeFunctionData, type Hex } from "viem";
import type { ChainContext } from "../chain/chainContext.ts";
import { createChainTx } from "../chain/chainTxs.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { recordEvent } from "../events/recordEvent.ts";
import { creditRoles, outstandingCredits } from "./credits.ts";

const SWEEP_LOCK = 0x4352_4544; // "CRED"
/** Credits tried per pass: credits are rare, and a pass must stay short. */
const PER_PASS = 50;

export interface SweepRun {
  outstanding: number;
  queued: number;
}

export async function sweepCredits(ctx: AppContext, net: ChainContext): Promise<SweepRun | undefined> {
  const credits = await outstandingCredits(ctx, net, ctx.pool);
  await updateGauges(ctx, net, ctx.pool, credits);
  await recordPaidOut(ctx, net);
  return withTransaction(ctx.pool, async (tx) => {
    const locked = await tx.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1, $2) AS ok", [
      SWEEP_LOCK,
      net.chainId,
    ]);
    if (!locked.rows[0]?.ok) return undefined;
    const keeper = net.signers.keeper;
    let queued = 0;
    for (const credit of credits.slice(0, PER_PASS)) {
      if (await hasOpenWithdraw(net, tx, credit.token, credit.account)) continue;
      const data = encodeFunctionData({
        abi: paymentEscrowAbi,
        functionName: "withdraw",
        args: [credit.token as Hex, credit.account as Hex],
      });
      const payable = await net.client
        .call({ account: keeper, to: net.escrow, data })
        .then(() => true)
        .catch(() => false);
      if (!payable) continue;
      await createChainTx(tx, net, {
        signer: keeper,
        kind: "withdraw",
        data,
        refs: { credit: { token: credit.token.toLowerCase(), account: credit.account.toLowerCase() } },
      });
      queued++;
      ctx.log.info(
        { chainId: net.chainId, token: credit.token, account: credit.account, amount: credit.outstanding },
        "credit payout queued",
      );
    }
    return { outstanding: credits.length, queued };
  });
}

async function hasOpenWithdraw(net: ChainContext, db: Db, token: string, account: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM chain_txs WHERE chain_id = $1 AND kind = 'withdraw' AND status IN ('queued', 'sent')
        AND payload->'credit'->>'token' = $2 AND payload->'credit'->>'account' = $3 LIMIT 1`,
    [net.chainId, token.toLowerCase(), account.toLowerCase()],
  );
  return rows.length > 0;
}

async function updateGauges(
  ctx: AppContext,
  net: ChainContext,
  db: Db,
  credits: Awaited<ReturnType<typeof outstandingCredits>>,
) {
  const roles = await creditRoles(net, db, credits);
  const sums = new Map<string, { token: string; role: string; amount: bigint }>();
  for (const c of credits) {
    const role = roles.get(c.account.toLowerCase()) ?? "other";
    const key = `${c.token}|${role}`;
    const entry = sums.get(key) ?? { token: c.token, role, amount: 0n };
    entry.amount += BigInt(c.outstanding);
    sums.set(key, entry);
  }
  const chainId = String(net.chainId);
  // This network's series only: another network's sweep keeps its own.
  const previous = (await ctx.metrics.creditsOutstanding.get()).values.filter(
    (v) => v.labels.chain_id === chainId,
  );
  for (const v of previous) ctx.metrics.creditsOutstanding.remove(v.labels);
  ctx.metrics.creditAccounts.set({ chain_id: chainId }, credits.length);
  // A gauge is a float: token units of one token stay exact far beyond any real credit (2^53).
  for (const s of sums.values())
    ctx.metrics.creditsOutstanding.set({ chain_id: chainId, token: s.token, role: s.role }, Number(s.amount));
}

/**
 * A credit paid out (by the keeper's sweep, the account itself or anyone): `credit.paid_out` to every
 * merchant whose payout address it was, once per withdrawal event.
 */
async function recordPaidOut(ctx: AppContext, net: ChainContext): Promise<void> {
  const { rows } = await ctx.pool.query<{
    event_id: string;
    merchant_id: string;
    token: string;
    account: string;
    amount: string;
    tx_hash: string;
    tx_from: string;
    timestamp: string;
  }>(
    `SELECT e.id AS event_id, m.id AS merchant_id, e.token, e.actor AS account, e.amount::text AS amount,
            e.tx_hash, e.tx_from, e.timestamp::text AS timestamp
       FROM ${ctx.tables.paymentEvent} e JOIN merchants m ON lower(m.payout_address) = e.actor
      WHERE e.chain_id = $1 AND e.kind = 'withdrawn'
        AND NOT EXISTS (SELECT 1 FROM events v WHERE v.dedupe_key = 'credit_paid_out:' || m.id || ':' || e.id)
      ORDER BY e.id LIMIT 100`,
    [net.chainId],
  );
  for (const r of rows) {
    // Once per event however many processes sweep: the dedupe key is unique.
    await withTransaction(ctx.pool, (tx) =>
      recordEvent(ctx, tx, {
        merchantId: r.merchant_id,
        livemode: net.livemode,
        type: "credit.paid_out",
        dedupeKey: `credit_paid_out:${r.merchant_id}:${r.event_id}`,
        object: {
          object: "credit_payout",
          chain_id: net.chainId,
          token: r.token,
          account: r.account,
          amount: r.amount,
          tx_hash: r.tx_hash,
          paid_by: r.tx_from,
          created: Number(r.timestamp),
        },
      }),
    );
  }
}
