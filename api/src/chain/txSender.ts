/**
 * The sender of one signer on one chain: turns the signer's stored intents (chainTxs.ts) into mined
 * transactions, several in flight at once. Exactly one process runs it at a time (senderSupervisor.ts
 * holds a Postgres advisory lock per signer); every step below is idempotent, so a tick interrupted
 * anywhere (kill -9) is simply done again by the next driver.
 *
 * Each tick (only when the signer has open intents; an idle signer costs one indexed query):
 *
 *  1. Chain facts: genesis hash, head (number, base fee), the signer's latest and pending nonces.
 *  2. Identity: a genesis other than the signer state's resets the nonce state; open intents stamped
 *     with another genesis are abandoned (their refund / funding fails with `chain_reset`).
 *  3. Intents whose nonce is used on chain: the receipt of any of their attempts is the outcome
 *     (confirmed, reverted, or failed when the no-op cancel won). A nonce used by a transaction that is
 *     none of ours (the node knows none of our hashes, on 3 ticks over 15 s) sends the intent back to
 *     `queued`, simulated afresh.
 *  4. Unmined intents: one the node no longer knows (getTransaction null for every attempt) is
 *     re-broadcast, same bytes; one unmined for PIER_TX_BUMP_AFTER_BLOCKS is replaced at the same nonce
 *     with +12.5% fees or the market's (fees.ts), never above PIER_TX_MAX_FEE_GWEI (past it: it waits,
 *     stuck, reported). One the node refuses for good gets a no-op at its nonce (cancel).
 *  5. Nonce holes below our next nonce that no intent holds (seen on two ticks) are filled with no-ops.
 *  6. Queued intents, oldest first, while fewer than PIER_TX_MAX_IN_FLIGHT are in flight: simulate at
 *     the pending block (a revert fails the intent for good, decoded), estimate gas, then in one
 *     database transaction assign the nonce (nonces.ts), sign, store the attempt; then broadcast.
 *
 * Every send, replacement, re-broadcast and abandonment is logged with the intent id, kind, nonce and
 * hash. Why an intent is not moving is kept in chain_txs.stuck_reason for /readyz and `pier status`.
 */
import { hostname } from "node:os";
import {
  type Hex,
  keccak256,
  type PublicClient,
  parseTransaction,
  TransactionNotFoundError,
  type TransactionReceipt,
  TransactionReceiptNotFoundError,
} from "viem";
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { newId } from "../lib/ids.ts";
import {
  type AttemptPurpose,
  type AttemptRow,
  feesOf,
  insertAttempt,
  loadAttempts,
  recordBroadcast,
} from "./attempts.ts";
import { classifyBroadcastError } from "./broadcastError.ts";
import type { ChainContext } from "./chainContext.ts";
import { abandonForeign, recordChainIdentity, type SignerState, signerStateFor } from "./chainIdentity.ts";
import type { ChainTxRow } from "./chainTxs.ts";
import { decodeRevert } from "./decodeRevert.ts";
import { bumpFees, type Fees, gwei, initialFees, shouldBump } from "./fees.ts";
import { nextNonce, nonceGaps, splitInFlight } from "./nonces.ts";
import { finishChainTx, type GasPaid } from "./settleChainTx.ts";
import type { SenderSigner } from "./signers.ts";

export interface SenderOptions {
  maxInFlight: number;
  bumpAfterBlocks: number;
  maxFeePerGas: bigint;
}

interface Facts {
  genesis: string;
  head: bigint;
  baseFeePerGas: bigint;
  latest: number;
  pending: number;
}

type Sent = ChainTxRow & { n: number; tries: AttemptRow[] };

/** How a process names itself as a signer's driver (chain_signer_state.driver). */
export const DRIVER = `${hostname()}:${process.pid}`;
const HEARTBEAT_MS = 2_000;
const CANCEL_GAS = 21_000n;
/** A nonce used by none of an intent's attempts is believed after this many ticks and this long. */
const FOREIGN_TICKS = 3;
const FOREIGN_MS = 15_000;

export class TxSender {
  readonly #ctx: AppContext;
  readonly #net: ChainContext;
  readonly #who: SenderSigner;
  readonly #opts: SenderOptions;
  readonly #client: PublicClient;
  readonly #chainId: number;
  readonly #log: AppContext["log"];
  /** Intents whose nonce is used by a transaction none of their attempts is: ticks seen so, since when. */
  readonly #foreign = new Map<string, { ticks: number; since: number }>();
  /** Nonce holes seen on the previous tick. */
  #holes = new Set<number>();
  /** `${genesis}:${address}` known to hold contract code. */
  readonly #code = new Set<string>();
  #identity: string | undefined;
  #heartbeatAt = 0;
  #priorityFee: bigint | undefined;

  constructor(ctx: AppContext, net: ChainContext, who: SenderSigner, opts: SenderOptions) {
    this.#ctx = ctx;
    this.#net = net;
    this.#who = who;
    this.#opts = opts;
    this.#client = net.client;
    this.#chainId = net.chainId;
    this.#log = ctx.log.child({ component: "tx-sender", chainId: this.#chainId, signer: who.address });
  }

  get signer(): string {
    return this.#who.address;
  }

  /** One pass; true when the signer has open intents (the caller polls again soon). */
  async tick(): Promise<boolean> {
    this.#priorityFee = undefined;
    let open = await this.#loadOpen();
    if (open.length === 0) return false;
    const facts = await this.#readFacts();
    const state = await this.#reconcileIdentity(facts, open);
    if (!state) return true;
    await this.#heartbeat();
    open = (await this.#loadOpen()).filter((r) => r.genesis_hash === facts.genesis);
    const tries = await loadAttempts(
      this.#ctx.pool,
      open.filter((r) => r.status === "sent").map((r) => r.id),
    );
    const sent: Sent[] = open
      .filter((r) => r.status === "sent" && r.nonce !== null)
      .map((r) => ({
        ...r,
        n: Number(r.nonce),
        // Attempts at another nonce belong to an earlier life of the intent (before a re-queue).
        tries: (tries.get(r.id) ?? []).filter((a) => a.nonce === r.nonce),
      }));
    const split = splitInFlight(sent, facts);
    for (const t of split.used) await this.#settleUsed(t);
    const maybeDropped = new Set(split.maybeDropped.map((t) => t.id));
    for (const t of split.unmined) await this.#keepMoving(t, facts, maybeDropped.has(t.id));
    await this.#fillHoles(state, facts, split.unmined);
    await this.#sendQueued(
      open.filter((r) => r.status === "queued"),
      facts,
      split.unmined.length,
    );
    return true;
  }

  async #loadOpen(): Promise<ChainTxRow[]> {
    const { rows } = await this.#ctx.pool.query<ChainTxRow>(
      `SELECT * FROM chain_txs WHERE chain_id = $1 AND signer = $2 AND status IN ('queued', 'sent') ORDER BY seq`,
      [this.#chainId, this.#who.address],
    );
    return rows;
  }

  async #readFacts(): Promise<Facts> {
    const address = this.#who.account.address;
    const [genesis, head, latest, pending] = await Promise.all([
      this.#nodeGenesis(),
      this.#client.getBlock({ blockTag: "latest" }),
      this.#client.getTransactionCount({ address, blockTag: "latest" }),
      this.#client.getTransactionCount({ address, blockTag: "pending" }),
    ]);
    return {
      genesis,
      head: head.number,
      baseFeePerGas: head.baseFeePerGas ?? 0n,
      latest,
      pending,
    };
  }

  /** The chain the node serves now, named by its genesis hash (lowercase, as stored). */
  async #nodeGenesis(): Promise<string> {
    return (await this.#client.getBlock({ blockNumber: 0n })).hash.toLowerCase();
  }

  async #priority(): Promise<bigint> {
    this.#priorityFee ??= await this.#client.estimateMaxPriorityFeePerGas();
    return this.#priorityFee;
  }

  /**
   * Brings the database's view in line with the chain the node serves now. Returns the signer's nonce
   * state for this genesis, or undefined when this tick should stop (intents were abandoned: reload).
   */
  async #reconcileIdentity(facts: Facts, open: ChainTxRow[]): Promise<SignerState | undefined> {
    const g = facts.genesis;
    if (this.#identity !== g) {
      const previous = await recordChainIdentity(this.#ctx.pool, this.#chainId, g);
      if (previous && previous !== g)
        this.#log.warn({ previousGenesis: previous, genesis: g }, "the chain was replaced: new genesis hash");
      this.#identity = g;
    }
    const { state, reset } = await signerStateFor(this.#ctx, this.#chainId, this.#who.address, g);
    if (reset) {
      this.#log.warn(
        { previousGenesis: reset.previous, genesis: g, chainNonce: facts.latest },
        "chain reset: nonce state reset for the new chain",
      );
      this.#foreign.clear();
      this.#holes.clear();
    }
    // Rows of older versions carry no genesis: queued ones are adopted; sent ones only if the node
    // knows one of their transactions (else they were for a chain that is gone).
    const legacy = open.filter((r) => r.genesis_hash === null);
    const unknown: ChainTxRow[] = [];
    for (const row of legacy) {
      if (row.status === "queued" || (row.tx_hash && (await this.#nodeKnows(row.tx_hash)))) {
        await this.#adopt(row, g);
      } else {
        unknown.push(row);
      }
    }
    const foreign = open.filter((r) => r.genesis_hash !== null && r.genesis_hash !== g);
    const abandoned = await abandonForeign(
      this.#ctx,
      this.#chainId,
      this.#who.address,
      g,
      [...foreign, ...unknown],
      (row) =>
        row.genesis_hash === null
          ? {
              code: "chain_reset",
              message: `sent by an older Pier version to a chain this node (genesis ${g}) does not know`,
            }
          : {
              code: "chain_reset",
              message: `the chain was replaced (genesis ${row.genesis_hash} -> ${g}, chain id ${this.#chainId}); this transaction was never mined on the current chain`,
            },
    );
    return abandoned.length > 0 || legacy.length > 0 ? undefined : state;
  }

  async #adopt(row: ChainTxRow, genesis: string): Promise<void> {
    await withTransaction(this.#ctx.pool, async (tx) => {
      await tx.query("UPDATE chain_txs SET genesis_hash = $2 WHERE id = $1 AND genesis_hash IS NULL", [
        row.id,
        genesis,
      ]);
      if (row.status !== "sent" || !row.raw_tx || !row.tx_hash || row.nonce === null) return;
      const parsed = parseTransaction(row.raw_tx as Hex);
      await insertAttempt(tx, {
        chainTxId: row.id,
        chainId: this.#chainId,
        signer: this.#who.address,
        genesis,
        nonce: Number(row.nonce),
        purpose: "original",
        hash: row.tx_hash,
        raw: row.raw_tx,
        gas: parsed.gas ?? 0n,
        fees: {
          maxFeePerGas: parsed.maxFeePerGas ?? parsed.gasPrice ?? 0n,
          maxPriorityFeePerGas: parsed.maxPriorityFeePerGas ?? parsed.gasPrice ?? 0n,
        },
        signedAtBlock: 0n,
      });
    });
    this.#log.info(
      { chainTxId: row.id, kind: row.kind, nonce: nonceOf(row) },
      "chain tx of an older version adopted",
    );
  }

  async #heartbeat(): Promise<void> {
    if (Date.now() - this.#heartbeatAt < HEARTBEAT_MS) return;
    await this.#ctx.pool.query(
      "UPDATE chain_signer_state SET driver = $3, driver_seen_at = now() WHERE chain_id = $1 AND signer = $2",
      [this.#chainId, this.#who.address, DRIVER],
    );
    this.#heartbeatAt = Date.now();
  }

  async #nodeKnows(hash: string): Promise<boolean> {
    const tx = await this.#client.getTransaction({ hash: hash as Hex }).catch((error) => {
      if (error instanceof TransactionNotFoundError) return null;
      throw error;
    });
    return tx !== null;
  }

  async #receipt(hash: string): Promise<TransactionReceipt | null> {
    return this.#client.getTransactionReceipt({ hash: hash as Hex }).catch((error) => {
      if (error instanceof TransactionReceiptNotFoundError) return null;
      throw error;
    });
  }

  /** The intent's nonce is used on chain: find which attempt was mined, or re-queue it. */
  async #settleUsed(t: Sent): Promise<void> {
    for (const a of [...t.tries].reverse()) {
      const receipt = await this.#receipt(a.tx_hash);
      if (!receipt) continue;
      this.#foreign.delete(t.id);
      const txHash = receipt.transactionHash;
      const blockNumber = receipt.blockNumber;
      if (a.purpose === "cancel") {
        await finishChainTx(this.#ctx, t, {
          ok: false,
          txHash,
          blockNumber,
          code: t.cancel_code ?? "cancelled",
          message: t.cancel_message ?? "replaced by a no-op transaction at its nonce",
        });
      } else if (receipt.status === "success") {
        await finishChainTx(this.#ctx, t, { ok: true, txHash, blockNumber, gas: gasPaid(receipt) });
      } else {
        const revert = await this.#revertReason(t, blockNumber);
        await finishChainTx(this.#ctx, t, {
          ok: false,
          txHash,
          blockNumber,
          gas: gasPaid(receipt),
          ...revert,
        });
      }
      return;
    }
    // No receipt for any of ours at this nonce. Re-queuing means signing the call again, so be sure: a
    // node behind a load balancer may lag on receipts, so none of our hashes may be known at
    // all, on FOREIGN_TICKS ticks over FOREIGN_MS at least.
    for (const a of t.tries) if (await this.#nodeKnows(a.tx_hash)) return;
    const seen = this.#foreign.get(t.id) ?? { ticks: 0, since: Date.now() };
    seen.ticks++;
    this.#foreign.set(t.id, seen);
    if (seen.ticks < FOREIGN_TICKS || Date.now() - seen.since < FOREIGN_MS) return;
    this.#foreign.delete(t.id);
    if (t.kind === "noop") {
      // A no-op only had to fill its nonce: something else did.
      await this.#ctx.pool.query(
        `UPDATE chain_txs SET status = 'confirmed', error_message = 'nonce used by another transaction',
                updated_at = now() WHERE id = $1 AND status = 'sent'`,
        [t.id],
      );
      return;
    }
    const reason = `nonce ${t.n} was used by a transaction that is not one of this intent's; sent again with a new nonce`;
    const { rowCount } = await this.#ctx.pool.query(
      `UPDATE chain_txs SET status = 'queued', nonce = NULL, tx_hash = NULL, raw_tx = NULL, first_sent_at = NULL,
              cancel_code = NULL, cancel_message = NULL, stuck_reason = $2, updated_at = now()
        WHERE id = $1 AND status = 'sent'`,
      [t.id, reason],
    );
    if (rowCount)
      this.#log.warn({ chainTxId: t.id, kind: t.kind, nonce: t.n }, "chain tx nonce taken; re-queued");
  }

  /** Names the custom error of a transaction that reverted on chain (simulated at the block before). */
  async #revertReason(t: Sent, blockNumber: bigint): Promise<{ code: string; message: string }> {
    try {
      await this.#client.call({
        account: this.#who.account.address,
        to: this.#to(t),
        data: t.payload.data,
        blockNumber: blockNumber > 0n ? blockNumber - 1n : 0n,
      });
    } catch (error) {
      const revert = decodeRevert(error);
      if (revert) return revert;
    }
    return { code: "reverted", message: "the transaction reverted" };
  }

  /** An unmined intent: re-broadcast when dropped, cancel when refused, bump when it waits too long. */
  async #keepMoving(t: Sent, facts: Facts, maybeDropped: boolean): Promise<void> {
    const live = t.tries.filter((a) => !a.rejected);
    const current = live.at(-1);
    // Replacements are timed from the latest attempt, refused ones included, so a refused bump or no-op
    // is tried again only PIER_TX_BUMP_AFTER_BLOCKS later, from the highest fees signed so far.
    const last = t.tries.at(-1);
    const waiting = last ? facts.head - BigInt(last.signed_at_block) : 0n;
    const due = waiting >= BigInt(this.#opts.bumpAfterBlocks);
    if (!current || (t.cancel_code && current.purpose !== "cancel")) {
      // Refused for good (every attempt, or the node refused it): a no-op takes its nonce instead.
      if (!t.cancel_code)
        await this.#requestCancel(t, "rejected", last?.last_error ?? "the node refused the transaction");
      if (!t.tries.some((a) => a.purpose === "cancel") || due)
        await this.#replace(t, highest(t.tries), "cancel", facts);
      return;
    }
    if (maybeDropped) {
      let known = false;
      for (const a of [...live].reverse()) {
        if (await this.#nodeKnows(a.tx_hash)) {
          known = true;
          break;
        }
      }
      if (!known) {
        await this.#broadcast(t, current, "rebroadcast");
        return;
      }
    }
    const bump = shouldBump({
      blocksWaiting: waiting,
      bumpAfterBlocks: this.#opts.bumpAfterBlocks,
      nextToMine: t.n === facts.latest,
      maxFeePerGas: BigInt(current.max_fee_per_gas),
      baseFeePerGas: facts.baseFeePerGas,
    });
    if (bump)
      await this.#replace(t, highest(t.tries), current.purpose === "cancel" ? "cancel" : "fee_bump", facts);
  }

  async #requestCancel(t: Sent, code: string, message: string): Promise<void> {
    await this.#ctx.pool.query(
      "UPDATE chain_txs SET cancel_code = $2, cancel_message = $3 WHERE id = $1 AND cancel_code IS NULL",
      [t.id, code, message],
    );
    t.cancel_code ??= code;
    t.cancel_message ??= message;
    this.#log.warn(
      { chainTxId: t.id, kind: t.kind, nonce: t.n, code, message },
      "chain tx to be replaced by a no-op",
    );
  }

  /** Signs a replacement at the intent's nonce (a fee bump of the same call, or a no-op) and sends it. */
  async #replace(
    t: Sent,
    previous: AttemptRow | undefined,
    purpose: AttemptPurpose,
    facts: Facts,
  ): Promise<void> {
    const market = { baseFeePerGas: facts.baseFeePerGas, priorityFee: await this.#priority() };
    let fees: Fees;
    if (previous) {
      const bump = bumpFees(feesOf(previous), market, this.#opts.maxFeePerGas);
      if (!bump.ok) {
        await this.#setStuck(
          t,
          `${bump.reason}; unmined for ${facts.head - BigInt(previous.signed_at_block)} blocks`,
        );
        return;
      }
      fees = bump.fees;
    } else {
      fees = initialFees(market, this.#opts.maxFeePerGas);
    }
    const cancel = purpose === "cancel";
    const gas = cancel ? CANCEL_GAS : BigInt(previous!.gas);
    const attempt = await withTransaction(this.#ctx.pool, async (tx) => {
      const raw = await this.#sign({
        to: cancel ? this.#who.account.address : this.#to(t),
        data: cancel ? "0x" : t.payload.data,
        nonce: t.n,
        gas,
        fees,
      });
      const hash = keccak256(raw);
      const updated = await tx.query(
        `UPDATE chain_txs SET tx_hash = $2, raw_tx = $3, attempts = attempts + 1, updated_at = now()
          WHERE id = $1 AND status = 'sent'`,
        [t.id, hash, raw],
      );
      if (updated.rowCount === 0) return undefined;
      return insertAttempt(tx, {
        chainTxId: t.id,
        chainId: this.#chainId,
        signer: this.#who.address,
        genesis: facts.genesis,
        nonce: t.n,
        purpose,
        hash,
        raw,
        gas,
        fees,
        signedAtBlock: facts.head,
      });
    });
    if (!attempt) return;
    this.#ctx.metrics.chainTxReplacements.inc({
      chain_id: String(this.#chainId),
      signer: this.#who.address,
      reason: purpose,
    });
    this.#log.info(
      {
        chainTxId: t.id,
        kind: t.kind,
        nonce: t.n,
        reason: purpose,
        previousHash: previous?.tx_hash,
        txHash: attempt.tx_hash,
        maxFeePerGasGwei: gwei(fees.maxFeePerGas),
        maxPriorityFeePerGasGwei: gwei(fees.maxPriorityFeePerGas),
        previousMaxFeePerGasGwei: previous ? gwei(BigInt(previous.max_fee_per_gas)) : undefined,
        baseFeePerGasGwei: gwei(facts.baseFeePerGas),
      },
      purpose === "cancel" ? "chain tx replaced by a no-op" : "chain tx replaced with a higher fee",
    );
    t.tries.push(attempt);
    await this.#broadcast(t, attempt, purpose);
  }

  async #sign(input: { to: Hex; data: Hex; nonce: number; gas: bigint; fees: Fees }): Promise<Hex> {
    return this.#who.account.signTransaction({
      chainId: this.#chainId,
      type: "eip1559",
      to: input.to,
      data: input.data,
      value: 0n,
      nonce: input.nonce,
      gas: input.gas,
      maxFeePerGas: input.fees.maxFeePerGas,
      maxPriorityFeePerGas: input.fees.maxPriorityFeePerGas,
    });
  }

  /** Sends a stored attempt and records what the node said; only the node's refusal changes course. */
  async #broadcast(t: Sent, a: AttemptRow, why: "original" | "rebroadcast" | AttemptPurpose): Promise<void> {
    // A tick reads the chain's identity once, at its start. A node replaced under a running tick (a dev
    // chain restarted on the same port, an RPC URL moved to a reset testnet with the same chain id)
    // accepts the old chain's signed transactions, whose chain id it shares, and the new chain's first
    // nonces would go to them. So nothing is sent unless the node still serves the intent's chain; the
    // next tick reads the new identity and abandons what was open on the old chain.
    const genesis = await this.#nodeGenesis();
    if (genesis !== t.genesis_hash) {
      this.#log.warn(
        {
          chainTxId: t.id,
          kind: t.kind,
          nonce: t.n,
          txHash: a.tx_hash,
          intentGenesis: t.genesis_hash,
          genesis,
        },
        "chain tx not sent: the node now serves another chain (reconciled at the next pass)",
      );
      return;
    }
    let verdict: ReturnType<typeof classifyBroadcastError>;
    try {
      await this.#client.sendRawTransaction({ serializedTransaction: a.raw_tx as Hex });
      verdict = { kind: "accepted" };
    } catch (error) {
      verdict = classifyBroadcastError(error);
    }
    const fields = { chainTxId: t.id, kind: t.kind, nonce: t.n, txHash: a.tx_hash, purpose: a.purpose };
    const message = verdict.kind === "accepted" ? undefined : verdict.message;
    const replacement = a.purpose !== "original";
    switch (verdict.kind) {
      case "accepted":
        await recordBroadcast(this.#ctx.pool, a.id, { accepted: true });
        await this.#setStuck(t, null);
        if (why === "rebroadcast") {
          this.#ctx.metrics.chainTxRebroadcasts.inc({
            chain_id: String(this.#chainId),
            signer: this.#who.address,
          });
          this.#log.warn(fields, "chain tx re-broadcast: the node no longer knew it");
        } else if (why === "original") {
          this.#log.info(
            {
              ...fields,
              gas: a.gas,
              maxFeePerGasGwei: gwei(BigInt(a.max_fee_per_gas)),
              maxPriorityFeePerGasGwei: gwei(BigInt(a.max_priority_fee_per_gas)),
            },
            "chain tx sent",
          );
        }
        return;
      case "nonce_used":
        // Mined already (ours or not): the next tick reads the receipt.
        await recordBroadcast(this.#ctx.pool, a.id, { accepted: false, error: message });
        return;
      case "underpriced":
        // A replacement under the node's rule is refused for good; an original waits for a bump.
        await recordBroadcast(this.#ctx.pool, a.id, {
          accepted: false,
          rejected: replacement,
          error: message,
        });
        await this.#setStuck(t, `the node refuses it as underpriced: ${message}`);
        return;
      case "waiting":
      case "transient":
        await recordBroadcast(this.#ctx.pool, a.id, { accepted: false, error: message });
        await this.#setStuck(t, `${why === "rebroadcast" ? "re-broadcast" : "broadcast"} failed: ${message}`);
        return;
      case "refused":
        await recordBroadcast(this.#ctx.pool, a.id, { accepted: false, rejected: true, error: message });
        this.#log.warn({ ...fields, error: message }, "chain tx refused by the node");
        // A refused original would leave its nonce unused forever: a no-op takes it. A refused
        // replacement leaves the earlier attempt in place; the next one waits its turn.
        if (a.purpose === "original")
          await this.#requestCancel(t, "rejected", `the node refused the transaction: ${message}`);
        else
          await this.#setStuck(
            t,
            `the node refuses the ${a.purpose === "cancel" ? "no-op" : "fee bump"} at nonce ${t.n}: ${message}`,
          );
        return;
    }
  }

  /** Fills nonce holes (nonces we skipped that nothing holds) with no-ops, once seen on two ticks. */
  async #fillHoles(state: SignerState, facts: Facts, unmined: Sent[]): Promise<void> {
    const holes = nonceGaps({
      latest: Math.max(facts.latest, facts.pending),
      next: Number(state.next_nonce),
      held: unmined.map((t) => t.n),
    });
    const confirmed = holes.filter((n) => this.#holes.has(n));
    this.#holes = new Set(holes);
    for (const n of confirmed) {
      const market = { baseFeePerGas: facts.baseFeePerGas, priorityFee: await this.#priority() };
      const fees = initialFees(market, this.#opts.maxFeePerGas);
      const id = newId("chainTx");
      const made = await withTransaction(this.#ctx.pool, async (tx) => {
        const raw = await this.#sign({
          to: this.#who.account.address,
          data: "0x",
          nonce: n,
          gas: CANCEL_GAS,
          fees,
        });
        const hash = keccak256(raw);
        const inserted = await tx.query(
          `INSERT INTO chain_txs (id, chain_id, signer, kind, payload, status, genesis_hash, nonce, tx_hash, raw_tx,
             attempts, first_sent_at)
           VALUES ($1, $2, $3, 'noop', $4, 'sent', $5, $6, $7, $8, 1, now()) ON CONFLICT DO NOTHING RETURNING *`,
          [
            id,
            this.#chainId,
            this.#who.address,
            JSON.stringify({ data: "0x", to: this.#who.account.address }),
            facts.genesis,
            n,
            hash,
            raw,
          ],
        );
        const row = inserted.rows[0] as ChainTxRow | undefined;
        if (!row) return undefined;
        const attempt = await insertAttempt(tx, {
          chainTxId: id,
          chainId: this.#chainId,
          signer: this.#who.address,
          genesis: facts.genesis,
          nonce: n,
          purpose: "original",
          hash,
          raw,
          gas: CANCEL_GAS,
          fees,
          signedAtBlock: facts.head,
        });
        return { row: { ...row, n, tries: [attempt] } as Sent, attempt };
      });
      if (!made) continue;
      this.#log.warn(
        { chainTxId: id, nonce: n, txHash: made.attempt.tx_hash },
        "nonce gap filled with a no-op",
      );
      await this.#broadcast(made.row, made.attempt, "original");
    }
  }

  /** Gives queued intents their nonces while the in-flight window has room. */
  async #sendQueued(queued: ChainTxRow[], facts: Facts, inFlight: number): Promise<void> {
    let room = this.#opts.maxInFlight - inFlight;
    for (const row of queued) {
      if (room <= 0) {
        await this.#setStuck(
          row,
          `waiting for a free slot: ${inFlight} of ${this.#opts.maxInFlight} in flight (PIER_TX_MAX_IN_FLIGHT)`,
          { quiet: true },
        );
        return;
      }
      const to = this.#to(row);
      if (!(await this.#hasCode(to, facts.genesis))) {
        await this.#setStuck(row, `no contract at ${to} on this chain (genesis ${facts.genesis}): deploy it`);
        continue;
      }
      const prepared = await this.#prepare(row);
      if ("revert" in prepared) {
        await finishChainTx(this.#ctx, row, { ok: false, txHash: null, ...prepared.revert });
        continue;
      }
      if ("error" in prepared) {
        await this.#setStuck(row, prepared.error);
        return; // the node is not answering well: try again next tick
      }
      const sent = await this.#assign(row, prepared.gas, facts);
      if (!sent) continue;
      await this.#broadcast(sent, sent.tries[0]!, "original");
      room--;
      inFlight++;
    }
  }

  async #hasCode(address: Hex, genesis: string): Promise<boolean> {
    const key = `${genesis}:${address.toLowerCase()}`;
    if (this.#code.has(key)) return true;
    const code = await this.#client.getCode({ address });
    if (!code || code === "0x") return false;
    this.#code.add(key);
    return true;
  }

  /** Simulates at the pending block and estimates gas: a revert is final, anything else is retried. */
  async #prepare(
    row: ChainTxRow,
  ): Promise<{ gas: bigint } | { revert: { code: string; message: string } } | { error: string }> {
    // The address, not the local account: viem would otherwise fill nonce and fees with extra calls.
    const call = {
      account: this.#who.account.address,
      to: this.#to(row),
      data: row.payload.data,
      blockTag: "pending",
    } as const;
    try {
      await this.#client.call(call);
      const gas = await this.#client.estimateGas(call);
      // 20% headroom: state can change between estimate and inclusion (a batch's members, for instance).
      return { gas: (gas * 12n) / 10n };
    } catch (error) {
      const revert = decodeRevert(error);
      if (revert) return { revert };
      return {
        error: `simulation failed: ${(error as { shortMessage?: string }).shortMessage ?? String(error)}`,
      };
    }
  }

  /** Assigns the nonce, signs and stores the first attempt in one database transaction. */
  async #assign(row: ChainTxRow, gas: bigint, facts: Facts): Promise<Sent | undefined> {
    const market = { baseFeePerGas: facts.baseFeePerGas, priorityFee: await this.#priority() };
    const fees = initialFees(market, this.#opts.maxFeePerGas);
    return withTransaction(this.#ctx.pool, async (tx) => {
      const state = (
        await tx.query<SignerState>(
          "SELECT * FROM chain_signer_state WHERE chain_id = $1 AND signer = $2 FOR UPDATE",
          [this.#chainId, this.#who.address],
        )
      ).rows[0];
      if (state?.genesis_hash !== facts.genesis) return undefined;
      const current = (
        await tx.query<{ status: string; genesis_hash: string | null }>(
          "SELECT status, genesis_hash FROM chain_txs WHERE id = $1 FOR UPDATE",
          [row.id],
        )
      ).rows[0];
      if (current?.status !== "queued" || current.genesis_hash !== facts.genesis) return undefined;
      const highest = (
        await tx.query<{ max: string | null }>(
          `SELECT max(nonce)::text AS max FROM chain_txs
            WHERE chain_id = $1 AND signer = $2 AND genesis_hash = $3 AND status = 'sent'`,
          [this.#chainId, this.#who.address, facts.genesis],
        )
      ).rows[0]?.max;
      const nonce = nextNonce({
        stored: Number(state.next_nonce),
        chainPending: facts.pending,
        highestOpen: highest === null || highest === undefined ? undefined : Number(highest),
      });
      const raw = await this.#sign({ to: this.#to(row), data: row.payload.data, nonce, gas, fees });
      const hash = keccak256(raw);
      const attempt = await insertAttempt(tx, {
        chainTxId: row.id,
        chainId: this.#chainId,
        signer: this.#who.address,
        genesis: facts.genesis,
        nonce,
        purpose: "original",
        hash,
        raw,
        gas,
        fees,
        signedAtBlock: facts.head,
      });
      const { rows } = await tx.query<ChainTxRow>(
        `UPDATE chain_txs SET status = 'sent', nonce = $2, tx_hash = $3, raw_tx = $4, attempts = attempts + 1,
                first_sent_at = now(), stuck_reason = NULL, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [row.id, nonce, hash, raw],
      );
      await tx.query(
        "UPDATE chain_signer_state SET next_nonce = $3, updated_at = now() WHERE chain_id = $1 AND signer = $2",
        [this.#chainId, this.#who.address, nonce + 1],
      );
      return { ...rows[0]!, n: nonce, tries: [attempt] };
    });
  }

  /** Keeps chain_txs.stuck_reason current (logged when it changes); null clears it. */
  async #setStuck(row: ChainTxRow, reason: string | null, { quiet = false } = {}): Promise<void> {
    if (row.stuck_reason === reason) return;
    await this.#ctx.pool.query(
      "UPDATE chain_txs SET stuck_reason = $2 WHERE id = $1 AND status IN ('queued', 'sent')",
      [row.id, reason],
    );
    if (reason && !quiet)
      this.#log.warn({ chainTxId: row.id, kind: row.kind, nonce: nonceOf(row), reason }, "chain tx waiting");
    row.stuck_reason = reason;
  }

  #to(row: ChainTxRow): Hex {
    return row.payload.to ?? this.#net.escrow;
  }
}

/** The attempt with the highest fees signed so far: a replacement must outbid every one the node may hold. */
function highest(tries: AttemptRow[]): AttemptRow | undefined {
  return tries.reduce<AttemptRow | undefined>(
    (best, a) => (!best || BigInt(a.max_fee_per_gas) > BigInt(best.max_fee_per_gas) ? a : best),
    undefined,
  );
}

function nonceOf(row: ChainTxRow): number | null {
  return row.nonce === null ? null : Number(row.nonce);
}

/** What the mined attempt cost its signer. */
function gasPaid(receipt: TransactionReceipt): GasPaid {
  return { gasUsed: receipt.gasUsed, effectiveGasPrice: receipt.effectiveGasPrice };
}
