/**
 * How this customer pays this order, and the sentence that tells them why. Best first:
 *
 *   relayed   one signature; Pier's relayer sends it and pays the network fee. For accounts that cannot
 *             give the (v, r, s) signature the one-step paths take (smart-contract accounts, deployed or
 *             not) and for accounts holding no native coin for the fee, when the order's network and token
 *             allow it (`checkout.gasless`).
 *   batch     the wallet sends approve + pay as one atomic EIP-5792 batch: one confirmation; with the
 *             operator's ERC-7677 paymaster when the wallet supports one, no gas either.
 *   one-step  an EOA signs (ERC-3009, EIP-2612 or DAI permit) and sends one transaction.
 *   allowance approve, then pay: two plain transactions.
 *
 * `excluded` holds what was tried and refused in this attempt (Pier would not relay, the wallet would not
 * batch), so the next best is chosen. Pure: the checkout and its tests share it.
 *
 * The sentence is a `pathReason` catalogue key shown in the customer's language, and `reason`, the same in
 * English, which goes to the order's timeline (merchants read it in one language).
 */

import type { TFunction } from "i18next";
import { englishText } from "../../lib/englishText.ts";
import type en from "../../locales/en.json";
import { type CheckoutPayMethod, chooseMethod, type TokenSupport } from "./tokenSupport.ts";
import type { WalletCapabilities } from "./walletCapabilities.ts";

export interface PathInput {
  support: TokenSupport;
  /** The API's `token.methods` for the option. */
  methods?: readonly string[] | null;
  /** `?pay_method=` from the page's URL. */
  preferred?: string | null;
  contractAccount: boolean;
  /** The account holds enough of the network's coin to pay a transaction's fee. */
  hasGas: boolean;
  /** Pier relays payments of this option (`checkout.gasless`). */
  gasless: boolean;
  paymasterUrl: string | null;
  capabilities: WalletCapabilities;
  excluded?: readonly CheckoutPayMethod[];
  /** The network's coin, for the words ("ETH"). */
  coin: string;
}

export type NoticeKey = `pathReason.${keyof (typeof en)["pathReason"]}`;

/** A sentence for the customer: a catalogue key and its values. */
export interface Notice {
  key: NoticeKey;
  values?: Record<string, string>;
}

export interface PaymentPath {
  method: CheckoutPayMethod;
  /** The ERC-7677 paymaster service the batch asks the wallet to use. */
  paymasterUrl?: string;
  /** Why this way, for the customer. */
  notice: Notice;
  /** Why this way, in English, for the order's timeline. */
  reason: string;
}

/** A notice in the page's language. */
export function noticeText(t: TFunction, notice: Notice): string {
  // Keys are checked against en.json by NoticeKey (see stepDetailText for why the cast).
  return (t as unknown as (key: string, values?: Record<string, string>) => string)(
    notice.key,
    notice.values,
  );
}

/** A notice with its English sentence. */
export function because(key: NoticeKey, values?: Record<string, string>): { notice: Notice; reason: string } {
  return { notice: values ? { key, values } : { key }, reason: englishText(key, values) };
}

export function choosePath(input: PathInput): PaymentPath {
  const excluded = new Set(input.excluded ?? []);
  const { support, contractAccount, hasGas, capabilities } = input;
  const preferred = input.preferred ?? null;
  const forcedByUrl = preferred !== null && preferred !== "relayed" && preferred !== "batch";

  const relayable = input.gasless && support.authorization && !excluded.has("relayed") && !forcedByUrl;
  if (relayable && contractAccount)
    return {
      method: "relayed",
      ...because("pathReason.relayedContract"),
    };
  if (relayable && !hasGas)
    return {
      method: "relayed",
      ...because("pathReason.relayedNoGas", { coin: input.coin }),
    };

  if (capabilities.atomic && !excluded.has("batch") && !forcedByUrl) {
    if (input.paymasterUrl && capabilities.paymaster)
      return {
        method: "batch",
        paymasterUrl: input.paymasterUrl,
        ...because("pathReason.batchPaymaster"),
      };
    return {
      method: "batch",
      ...because("pathReason.batch"),
    };
  }

  if (contractAccount)
    return {
      method: "allowance",
      ...because("pathReason.allowanceContract"),
    };
  const method = chooseMethod(support, input.methods, preferred);
  return { method, ...because(ONE_STEP_REASONS[method] ?? "pathReason.allowance") };
}

const ONE_STEP_REASONS: Partial<Record<CheckoutPayMethod, NoticeKey>> = {
  authorization: "pathReason.authorization",
  permit: "pathReason.permit",
  dai_permit: "pathReason.dai_permit",
  allowance: "pathReason.allowance",
};
