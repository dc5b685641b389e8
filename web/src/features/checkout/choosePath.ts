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
 */

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

export interface PaymentPath {
  method: CheckoutPayMethod;
  /** The ERC-7677 paymaster service the batch asks the wallet to use. */
  paymasterUrl?: string;
  reason: string;
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
      reason:
        "Your wallet is a smart-contract account: you sign once, and Pier sends the payment and pays its network fee.",
    };
  if (relayable && !hasGas)
    return {
      method: "relayed",
      reason: `Your wallet holds no ${input.coin} for the network fee: you sign once, and Pier sends the payment and pays the fee.`,
    };

  if (capabilities.atomic && !excluded.has("batch") && !forcedByUrl) {
    if (input.paymasterUrl && capabilities.paymaster)
      return {
        method: "batch",
        paymasterUrl: input.paymasterUrl,
        reason:
          "Your wallet sends the approval and the payment together, and a paymaster pays the network fee: you confirm once and pay no gas.",
      };
    return {
      method: "batch",
      reason:
        "Your wallet sends the approval and the payment together: you confirm once, and both happen or neither does.",
    };
  }

  if (contractAccount)
    return {
      method: "allowance",
      reason:
        "Your wallet is a smart-contract account that cannot batch calls here: it sends an approval, then the payment.",
    };
  const method = chooseMethod(support, input.methods, preferred);
  return { method, reason: ONE_STEP_REASONS[method] ?? ONE_STEP_REASONS.allowance! };
}

const ONE_STEP_REASONS: Partial<Record<CheckoutPayMethod, string>> = {
  authorization: "You sign the payment (ERC-3009) and your wallet sends it: one signature, one transaction.",
  permit:
    "You sign a permit for this amount (EIP-2612) and your wallet sends the payment: one signature, one transaction.",
  dai_permit: "You sign a DAI permit and your wallet sends the payment: one signature, one transaction.",
  allowance: "This token takes no signed approvals: your wallet sends an approval, then the payment.",
};
