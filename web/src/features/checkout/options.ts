/**
 * The pure side of the network/token picker: the options of a checkout (the API's `options`, or the
 * order's own network and token when it sends none), which one is selected, and how each reads.
 * Amounts stay decimal strings in token units, formatted with each option's own token decimals.
 */
import type { Checkout, CheckoutOption } from "../../lib/checkoutApi.ts";

/** A stable id for an option: chain id and token address (addresses compared case-insensitively). */
export function optionKey(option: Pick<CheckoutOption, "chain_id"> & { token: { address: string } }): string {
  return `${option.chain_id}:${option.token.address.toLowerCase()}`;
}

/** Every option of the checkout: the API's list, or the order's own network and token alone. */
export function checkoutOptions(checkout: Checkout): CheckoutOption[] {
  if (checkout.options && checkout.options.length > 0) return checkout.options;
  return [
    {
      chain_id: checkout.chain_id,
      network: checkout.network,
      token: checkout.token,
      amount: checkout.amount,
      selected: true,
    },
  ];
}

/**
 * The option the terms are for: the one the API marks `selected`; else the one matching the checkout's
 * chain and token (an API whose flags lag); else the first.
 */
export function selectedOption(checkout: Checkout): CheckoutOption {
  const options = checkoutOptions(checkout);
  const current = optionKey(checkout);
  return options.find((o) => o.selected) ?? options.find((o) => optionKey(o) === current) ?? options[0]!;
}

/** Whether the customer has a choice to make: more than one option and the order still open. */
export function showsPicker(checkout: Checkout): boolean {
  return checkout.status === "open" && checkoutOptions(checkout).length > 1;
}
