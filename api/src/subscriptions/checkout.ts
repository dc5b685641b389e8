/**
 * The subscription's public checkout (no API key: subscription ids are unguessable): the plan and the
 * networks and tokens the customer may pay with, the exact spend permission to sign, and the
 * authorization that stores the signed permission and starts the subscription.
 *
 * The permission (SpendPermissions.sol, contracts/lib/spendPermission.ts): account = the payer;
 * operator = the network's operator signer (the one that signs PaymentTerms, the only allowed charger);
 * merchant = the merchant's payout address; token; allowance = the plan's amount in token units (the
 * token is pegged 1:1 to the plan's currency); period, start and end from billingCycle.permissionWindow
 * (a fixed period no longer than the shortest interval; see there why a month is 28 days); salt derived
 * from the subscription id. Its times count from the first time the checkout built it for this
 * subscription (`permission_quoted_at`), so a retry within QUOTE_TTL_SECONDS gets the same typed data
 * and authorize can rebuild exactly what was signed from the request alone.
 */
import {
  spendPermissionFromJson,
  spendPermissionHash,
  spendPermissionTypedData,
} from "@pier/contracts/spendPermission";
import { decimalToUnits } from "@pier/money/units";
import { type Address, getAddress, type Hex, keccak256, stringToHex } from "viem";
import type { ChainContext, TokenInfo } from "../chain/chainContext.ts";
import { networksOfMode, resolveTarget } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { InvalidRequestError, NotFoundError, StateError, UnavailableError } from "../errors.ts";
import type { AuthorizeBodyT, PermissionRequestBodyT } from "../schemas/subscription.ts";
import { chargeTime, permissionWindow } from "./billingCycle.ts";
import { type PlanRow, payableIn, planAmount, planSchedule } from "./plans.ts";
import {
  assertNotOver,
  recordSubscriptionEvent,
  type StoredPermission,
  type SubscriptionRow,
} from "./subscriptions.ts";

/** How long the typed data built for a subscription stays the same (and signable). */
export const QUOTE_TTL_SECONDS = 3600;
const DAY = 86_400;
const MAX_ALLOWANCE = 2n ** 160n - 1n;

type PublicRow = SubscriptionRow & { merchant_name: string; payout_address: string; plan: PlanRow };

async function getPublicSubscription(db: Db, id: string, lock = false): Promise<PublicRow> {
  const { rows } = await db.query<SubscriptionRow & { merchant_name: string; payout_address: string }>(
    `SELECT s.*, m.name AS merchant_name, m.payout_address FROM subscriptions s
       JOIN merchants m ON m.id = s.merchant_id WHERE s.id = $1${lock ? " FOR UPDATE OF s" : ""}`,
    [id],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError("subscription", id);
  const plan = await db.query<PlanRow>("SELECT * FROM plans WHERE id = $1", [row.plan_id]);
  return { ...row, plan: plan.rows[0]! };
}

/** The SpendPermissions contract of a network, when it is deployed there. */
const spendPermissionsOf = (net: ChainContext): Address | undefined => {
  const address = net.deployment.contracts.SpendPermissions?.address;
  return address ? getAddress(address) : undefined;
};

/** Each network of the subscription's mode with SpendPermissions, and each of its tokens pegged to the plan's currency. */
export function subscriptionOptions(ctx: AppContext, row: PublicRow) {
  const amount = planAmount(row.plan);
  const out = [];
  for (const net of networksOfMode(ctx.networks, row.livemode)) {
    const spendPermissions = spendPermissionsOf(net);
    if (!spendPermissions) continue;
    for (const token of net.tokens) {
      if (!payableIn(token, row.plan.currency)) continue;
      out.push({
        network: net.chainId,
        network_name: net.name,
        token: token.address,
        symbol: token.symbol,
        decimals: token.decimals,
        amount: decimalToUnits(amount, token.decimals).toString(),
        spend_permissions: spendPermissions,
      });
    }
  }
  return out;
}

export async function getCheckoutSubscription(ctx: AppContext, id: string) {
  const row = await getPublicSubscription(ctx.pool, id);
  const p = row.plan;
  return {
    id: row.id,
    object: "subscription_checkout" as const,
    livemode: row.livemode,
    status: row.status,
    next_charge_at: row.next_charge_at ? Math.floor(row.next_charge_at.getTime() / 1000) : null,
    trial_end: row.trial_end ? Math.floor(row.trial_end.getTime() / 1000) : null,
    end_reason: row.end_reason,
    merchant_name: row.merchant_name,
    plan: {
      amount: planAmount(p),
      currency: p.currency,
      interval: p.interval,
      interval_count: p.interval_count,
      anchor_day: p.anchor_day,
      trial_days: p.trial_days,
      cycles: p.cycles,
      description: p.description,
    },
    options: subscriptionOptions(ctx, row),
    payer: row.payer,
    // What the payer signed, so the page can revoke it from the payer's wallet (SpendPermissions.revoke).
    permission:
      row.permission && row.permission_hash && row.spend_permissions && row.chain_id !== null
        ? {
            network: Number(row.chain_id),
            spend_permissions: getAddress(row.spend_permissions),
            hash: row.permission_hash,
            message: row.permission,
          }
        : null,
  };
}

/** The salt of every permission of a subscription: one subscription, one permission per account. */
export const subscriptionSalt = (id: string) => BigInt(keccak256(stringToHex(`pier.subscription:${id}`)));

/** The option the customer picked: a network of the subscription's mode with SpendPermissions and a token pegged to the plan's currency. */
function resolveOption(ctx: AppContext, row: PublicRow, body: PermissionRequestBodyT) {
  const { net, token } = resolveTarget(ctx.networks, row.livemode, body.network, body.token);
  const spendPermissions = spendPermissionsOf(net);
  if (!spendPermissions) {
    throw new InvalidRequestError(
      "parameter_invalid",
      `Network ${net.chainId} has no SpendPermissions contract: subscriptions are not offered there`,
      "network",
    );
  }
  if (!payableIn(token, row.plan.currency)) {
    throw new InvalidRequestError(
      "parameter_invalid",
      `${token.symbol} is pegged to ${token.peg} with ${token.decimals} decimals, not payable in the plan's ${row.plan.currency}`,
      "token",
    );
  }
  return { net, token, spendPermissions };
}

/** The first charge's time for a permission quoted at `quotedAt`: the trial's end, or the quote itself. */
const firstChargeAt = (plan: PlanRow, quotedAt: number) => quotedAt + plan.trial_days * DAY;

function buildPermission(
  row: PublicRow,
  token: TokenInfo,
  operator: Address,
  account: Address,
  quotedAt: number,
): StoredPermission {
  const allowance = decimalToUnits(planAmount(row.plan), token.decimals, {
    field: "token",
    unit: token.symbol,
  });
  if (allowance > MAX_ALLOWANCE)
    throw new InvalidRequestError("parameter_invalid", "The amount is too large", "token");
  const window = permissionWindow(planSchedule(row.plan), firstChargeAt(row.plan, quotedAt), row.plan.cycles);
  return {
    account,
    operator,
    merchant: getAddress(row.payout_address),
    token: token.address,
    allowance: allowance.toString(),
    period: window.period,
    start: window.start,
    end: window.end,
    salt: subscriptionSalt(row.id).toString(),
  };
}

function typedDataOf(net: ChainContext, spendPermissions: Address, p: StoredPermission) {
  const permission = spendPermissionFromJson(p);
  return {
    typedData: spendPermissionTypedData(net.chainId, spendPermissions, permission),
    hash: spendPermissionHash(net.chainId, spendPermissions, permission),
  };
}

/** The typed data as JSON: uint160 and uint256 as decimal strings. */
function typedDataJson(net: ChainContext, spendPermissions: Address, p: StoredPermission) {
  const { typedData, hash } = typedDataOf(net, spendPermissions, p);
  return {
    hash,
    typed_data: {
      domain: typedData.domain,
      types: { SpendPermission: typedData.types.SpendPermission.map((f) => ({ ...f })) },
      primaryType: typedData.primaryType,
      message: p,
    },
  };
}

function assertIncomplete(row: SubscriptionRow): void {
  assertNotOver(row);
  if (row.status !== "incomplete") {
    throw new StateError(
      "subscription_authorized",
      `Subscription ${row.id} is ${row.status}: it was already authorized`,
    );
  }
}

/**
 * The typed data the customer signs for `account` on the chosen network and token. The first request
 * fixes the permission's times for QUOTE_TTL_SECONDS; a later one starts over from its own time.
 */
export async function requestPermission(ctx: AppContext, id: string, body: PermissionRequestBodyT) {
  return withTransaction(ctx.pool, async (tx) => {
    const row = await getPublicSubscription(tx, id, true);
    assertIncomplete(row);
    const { net, token, spendPermissions } = resolveOption(ctx, row, body);
    const now = net.head.now();
    let quotedAt = row.permission_quoted_at
      ? Math.floor(row.permission_quoted_at.getTime() / 1000)
      : undefined;
    if (quotedAt === undefined || now >= quotedAt + QUOTE_TTL_SECONDS) {
      quotedAt = now;
      await tx.query("UPDATE subscriptions SET permission_quoted_at = to_timestamp($2) WHERE id = $1", [
        row.id,
        quotedAt,
      ]);
    }
    const permission = buildPermission(
      row,
      token,
      net.signers.operator.address,
      getAddress(body.account),
      quotedAt,
    );
    return {
      object: "spend_permission" as const,
      ...typedDataJson(net, spendPermissions, permission),
      expires_at: quotedAt + QUOTE_TTL_SECONDS,
    };
  });
}

/**
 * Verifies the customer's signature of the permission (off chain, through the network's client, so
 * smart-contract wallets verify by ERC-1271 and undeployed ones by ERC-6492, as the contract does) and
 * starts the subscription: incomplete -> trialing (the plan has a trial) or active, with its first
 * period. The same signature again returns the subscription unchanged; another account, another
 * signature or a canceled subscription is a 409.
 */
export async function authorizeSubscription(
  ctx: AppContext,
  id: string,
  body: AuthorizeBodyT,
): Promise<SubscriptionRow> {
  return withTransaction(ctx.pool, async (tx) => {
    const row = await getPublicSubscription(tx, id, true);
    const account = getAddress(body.account);
    // A canceled subscription refuses even a replay of the signature that authorized it.
    assertNotOver(row);
    if (row.permission_signature !== null) {
      const same =
        row.payer === account &&
        Number(row.chain_id) === body.network &&
        row.token?.toLowerCase() === body.token.toLowerCase() &&
        row.permission_signature === body.signature.toLowerCase();
      if (same) return row;
      throw new StateError(
        "subscription_authorized",
        row.payer === account
          ? `Subscription ${row.id} is already authorized with another permission`
          : `Subscription ${row.id} is already authorized by another account`,
        "account",
      );
    }
    assertIncomplete(row);
    const { net, token, spendPermissions } = resolveOption(ctx, row, body);
    const now = net.head.now();
    const quotedAt = row.permission_quoted_at
      ? Math.floor(row.permission_quoted_at.getTime() / 1000)
      : undefined;
    if (quotedAt === undefined) {
      throw new StateError(
        "permission_not_requested",
        "Request the permission to sign first (POST /v1/checkout_subscriptions/:id/permission)",
      );
    }
    if (now >= quotedAt + QUOTE_TTL_SECONDS) {
      throw new StateError(
        "permission_expired",
        "The permission to sign has expired: request it again and sign that",
      );
    }
    const permission = buildPermission(row, token, net.signers.operator.address, account, quotedAt);
    const { hash } = typedDataOf(net, spendPermissions, permission);
    let valid: boolean;
    try {
      // verifyTypedData is hashTypedData + verifyHash: the digest is already at hand.
      valid = await net.client.verifyHash({ address: account, hash, signature: body.signature as Hex });
    } catch (error) {
      ctx.log.warn(
        { err: error, subscription: row.id, chainId: net.chainId },
        "verifying a permission failed",
      );
      throw new UnavailableError(
        "chain_unavailable",
        `Network ${net.chainId} could not verify the signature; retry`,
      );
    }
    if (!valid) {
      throw new InvalidRequestError(
        "signature_invalid",
        `The signature is not ${account}'s signature of this subscription's permission on network ${net.chainId}`,
        "signature",
      );
    }
    const schedule = planSchedule(row.plan);
    const first = firstChargeAt(row.plan, quotedAt);
    const trial = row.plan.trial_days > 0;
    const { rows } = await tx.query<SubscriptionRow>(
      `UPDATE subscriptions SET status = $2, chain_id = $3, token = $4, payer = $5, spend_permissions = $6,
         permission = $7, permission_hash = $8, permission_signature = $9, authorized_at = to_timestamp($10),
         billing_anchor = to_timestamp($11), next_charge_at = to_timestamp($11), trial_end = to_timestamp($12),
         current_period_start = to_timestamp($13), current_period_end = to_timestamp($14)
       WHERE id = $1 RETURNING *`,
      [
        row.id,
        trial ? "trialing" : "active",
        net.chainId,
        token.address,
        account,
        spendPermissions,
        JSON.stringify(permission),
        hash,
        body.signature.toLowerCase(),
        now,
        first,
        trial ? first : null,
        quotedAt,
        trial ? first : chargeTime(schedule, first, 1),
      ],
    );
    const updated = rows[0]!;
    await recordSubscriptionEvent(
      ctx,
      tx,
      updated,
      "subscription.activated",
      `subscription.activated:${row.id}`,
    );
    return updated;
  });
}
