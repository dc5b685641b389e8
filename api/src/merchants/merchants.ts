/**
 * Merchants: created by an operator (CLI, seed script or admin route) with a payout address and a first
 * secret key, printed once. The owner address is the team's first owner, the wallet that first signs in to
 * the dashboard (default: the payout address); owners invite the rest of the team (team/).
 */
import { getAddress, isAddress } from "viem";
import { type Actor, recordAudit } from "../audit/recordAudit.ts";
import type { CreditedBalance } from "../credits/credits.ts";
import type { Db } from "../db/pool.ts";
import { InvalidRequestError, NotFoundError } from "../errors.ts";
import { createApiKey } from "../keys/apiKeys.ts";
import { newId } from "../lib/ids.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import type { TtlCache } from "../lib/ttlCache.ts";
import type { ListQueryT } from "../schemas/common.ts";
import { addMember } from "../team/members.ts";

export interface MerchantRow {
  id: string;
  name: string;
  payout_address: string;
  owner_address: string;
  created_at: Date;
}

export interface MerchantObject {
  id: string;
  object: "merchant";
  livemode: boolean;
  name: string;
  payout_address: string;
  /** Payouts the token refused, held by the escrow for the payout address (credits/credits.ts). */
  credited_balances: CreditedBalance[];
  created: number;
}

export function toMerchantObject(
  row: MerchantRow,
  livemode: boolean,
  creditedBalances: MerchantObject["credited_balances"] = [],
): MerchantObject {
  return {
    id: row.id,
    object: "merchant",
    livemode,
    name: row.name,
    payout_address: row.payout_address,
    credited_balances: creditedBalances,
    created: Math.floor(row.created_at.getTime() / 1000),
  };
}

/**
 * Creates a merchant and its first unrestricted secret key (in the instance's mode) in `tx`, with the
 * `merchant.created` audit entry by `actor` (the operator: its admin key, or `cli` for create-merchant).
 */
export async function createMerchant(
  tx: Db,
  input: { name: string; payoutAddress: string; ownerAddress?: string; livemode: boolean },
  by: { actor: Actor; requestId?: string },
): Promise<{ merchant: MerchantRow; secret: string; keyId: string }> {
  if (!isAddress(input.payoutAddress, { strict: false }) || /^0x0{40}$/i.test(input.payoutAddress)) {
    throw new InvalidRequestError(
      "parameter_invalid",
      "payout_address must be a non-zero EVM address",
      "payout_address",
    );
  }
  const owner = input.ownerAddress ?? input.payoutAddress;
  if (!isAddress(owner, { strict: false }) || /^0x0{40}$/i.test(owner)) {
    throw new InvalidRequestError(
      "parameter_invalid",
      "owner_address must be a non-zero EVM address",
      "owner_address",
    );
  }
  const name = input.name.trim();
  if (!name) throw new InvalidRequestError("parameter_missing", "name is required", "name");
  const { rows } = await tx.query<MerchantRow>(
    "INSERT INTO merchants (id, name, payout_address, owner_address) VALUES ($1, $2, $3, $4) RETURNING *",
    [newId("merchant"), name, getAddress(input.payoutAddress), getAddress(owner)],
  );
  const merchant = rows[0]!;
  // The sign-in wallet is the team's first owner (team/).
  await addMember(tx, merchant.id, merchant.owner_address, "owner");
  const key = await createApiKey(tx, {
    merchantId: merchant.id,
    livemode: input.livemode,
    name: "Default key",
    type: "secret",
  });
  await recordAudit(tx, {
    merchantId: merchant.id,
    livemode: null, // a merchant spans both modes
    actor: by.actor,
    action: "merchant.created",
    objectId: merchant.id,
    details: {
      name: merchant.name,
      payout_address: merchant.payout_address,
      owner_address: merchant.owner_address,
      first_key: key.row.id,
    },
    requestId: by.requestId,
  });
  return { merchant, secret: key.secret, keyId: key.row.id };
}

/**
 * A merchant by id, from the process's cache (ctx.caches.merchants, a minute): order creation reads it
 * on every request and merchants do not change through the API.
 */
export async function getMerchantCached(
  cache: TtlCache<MerchantRow>,
  db: Db,
  id: string,
): Promise<MerchantRow> {
  const hit = cache.get(id);
  if (hit) return hit;
  const row = await getMerchant(db, id);
  cache.set(id, row);
  return row;
}

export async function getMerchant(db: Db, id: string): Promise<MerchantRow> {
  const { rows } = await db.query<MerchantRow>("SELECT * FROM merchants WHERE id = $1", [id]);
  if (!rows[0]) throw new NotFoundError("merchant", id);
  return rows[0];
}

/** Every merchant of the instance, newest first, for the operator (GET /v1/admin/merchants). */
export function listMerchants(db: Db, query: ListQueryT): Promise<Page<MerchantRow>> {
  return paginate<MerchantRow>(db, { table: "merchants", columns: "*", where: ["true"], params: [], query });
}
