/**
 * The customer picks the network and token to pay with, when the order accepts more than one: a radio
 * group (arrow keys move, each choice applies at once), each option showing its own amount, network and
 * token. A choice asks the API for terms on that option (POST /v1/checkout/:id/select) and its answer
 * replaces the checkout data; the latest choice wins when the customer moves quickly. Locked while a
 * payment is being made.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type Checkout,
  CheckoutApiError,
  type CheckoutOption,
  selectCheckoutOption,
} from "../../lib/checkoutApi.ts";
import { useFormat } from "../../lib/localeFormat.ts";
import { checkoutOptions, optionKey, selectedOption } from "./options.ts";

/** The picker's mutation, so the pay button can wait while a new option is being signed. */
export const selectMutationKey = (orderId: string) => ["checkout-select", orderId];

export function NetworkPicker({ checkout, locked }: { checkout: Checkout; locked: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const queryClient = useQueryClient();
  const queryKey = ["checkout", checkout.id];
  const options = checkoutOptions(checkout);
  const selected = optionKey(selectedOption(checkout));
  const [pending, setPending] = useState<string>();
  const latest = useRef<string>(undefined);
  const select = useMutation<Checkout, Error, CheckoutOption>({
    mutationKey: selectMutationKey(checkout.id),
    mutationFn: (option) =>
      selectCheckoutOption(checkout.id, { network: option.chain_id, token: option.token.address }),
    onMutate: async () => {
      // A poll answered with the old option must not overwrite the new one.
      await queryClient.cancelQueries({ queryKey });
    },
    onSuccess: async (data, option) => {
      if (latest.current !== optionKey(option)) return;
      await queryClient.cancelQueries({ queryKey });
      queryClient.setQueryData(queryKey, data);
      setPending(undefined);
    },
    onError: (error, option) => {
      if (latest.current !== optionKey(option)) return;
      setPending(undefined);
      // The order changed under us (paid, canceled, expired): show what it is now.
      if (error instanceof CheckoutApiError && error.code === "order_not_open") {
        void queryClient.invalidateQueries({ queryKey });
      }
    },
  });
  const choose = (option: CheckoutOption) => {
    const key = optionKey(option);
    latest.current = key;
    if (key === selected && pending === undefined) return;
    setPending(key);
    select.mutate(option);
  };
  const checked = pending ?? selected;
  const pendingOption = pending ? options.find((o) => optionKey(o) === pending) : undefined;
  const showError = select.isError && pending === undefined && latest.current !== undefined;

  return (
    <section className="card picker" data-testid="network-picker">
      <fieldset disabled={locked} aria-describedby={locked ? "picker-locked" : undefined}>
        <legend className="picker-title">{t("picker.title")}</legend>
        <div className="option-list">
          {options.map((option) => {
            const key = optionKey(option);
            const amount = f.token(option.amount, option.token);
            const label = t("picker.optionLabel", {
              amount,
              network: option.network.name,
              id: option.chain_id,
            });
            return (
              <label
                key={key}
                className={`option${key === checked ? " option-checked" : ""}`}
                data-testid="pay-option"
                data-chain-id={option.chain_id}
                data-token={option.token.address}
              >
                <input
                  type="radio"
                  name="pay-option"
                  value={key}
                  checked={key === checked}
                  onChange={() => choose(option)}
                  aria-label={label}
                />
                <span className="option-body" aria-hidden="true">
                  <span className="option-amount">{amount}</span>
                  <span className="option-network">{option.network.name}</span>
                  <span className="option-token muted" title={option.token.address}>
                    {option.token.symbol} · {t("common.chainId", { id: option.chain_id })}
                  </span>
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>
      {locked && (
        <p className="muted" id="picker-locked">
          {t("picker.locked")}
        </p>
      )}
      <p className="muted" role="status" data-testid="picker-status">
        {pendingOption ? t("picker.preparing", { network: pendingOption.network.name }) : ""}
      </p>
      {showError && (
        <p className="error" role="alert" data-testid="picker-error">
          {select.error.message}
        </p>
      )}
    </section>
  );
}
