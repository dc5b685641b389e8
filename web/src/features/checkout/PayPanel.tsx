/**
 * The paying part of an open order: connect a wallet, get onto the order's chain, check the balance, pay.
 * The pay button stays disabled until the wallet can actually pay (balance and gas money checked first;
 * an account Pier relays for, or a smart-contract account, needs no gas money of its own).
 */
import { paymentTokenAbi } from "@pier/contracts/tokenAbi";
import { useIsMutating } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Chain } from "viem";
import { useBalance, useBytecode, useConnection, useReadContract } from "wagmi";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { useFormat } from "../../lib/localeFormat.ts";
import { selectMutationKey } from "./NetworkPicker.tsx";
import { NetworkSwitch } from "./NetworkSwitch.tsx";
import { PaySteps } from "./PaySteps.tsx";
import { isContractAccount } from "./payOrder.ts";
import type { usePayment } from "./usePayment.ts";
import { WalletPicker } from "./WalletPicker.tsx";

type Payment = ReturnType<typeof usePayment>;

export function PayPanel({
  checkout,
  chain,
  payment,
}: {
  checkout: Checkout;
  chain: Chain;
  payment: Payment;
}) {
  const { t } = useTranslation();
  const connection = useConnection();
  const onChain = connection.status === "connected" && connection.chainId === checkout.chain_id;
  return (
    <section className="card pay" aria-labelledby="pay-title">
      <h2 id="pay-title" className="sr-only">
        {t("pay.title")}
      </h2>
      <WalletPicker />
      {connection.status === "connected" && !onChain && (
        <NetworkSwitch key={checkout.chain_id} chain={chain} />
      )}
      {onChain && <PayButton checkout={checkout} payment={payment} />}
      {payment.session && <PaySteps session={payment.session} chain={chain} onRetry={payment.retry} />}
    </section>
  );
}

function PayButton({ checkout, payment }: { checkout: Checkout; payment: Payment }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { address } = useConnection();
  // The customer is switching to another network/token (NetworkPicker): these terms are on their way out.
  const switching = useIsMutating({ mutationKey: selectMutationKey(checkout.id) }) > 0;
  const amount = BigInt(checkout.amount);
  const balance = useReadContract({
    address: checkout.token.address,
    abi: paymentTokenAbi,
    functionName: "balanceOf",
    args: address ? [address] : undefined,
    chainId: checkout.chain_id,
    query: { enabled: !!address, refetchInterval: 4_000 },
  });
  const gas = useBalance({
    address,
    chainId: checkout.chain_id,
    query: { enabled: !!address, refetchInterval: 15_000 },
  });
  const code = useBytecode({ address, chainId: checkout.chain_id, query: { enabled: !!address } });
  // No coin for the fee stops only an EOA Pier cannot relay for: a relayed payment's fee is Pier's, and a
  // smart-contract account's wallet pays through its own means (a bundler, a paymaster).
  const feeFree = checkout.gasless || isContractAccount(code.data);
  const short = balance.data !== undefined && balance.data < amount;
  const noGas = gas.data !== undefined && gas.data.value === 0n && !feeFree;
  const busy = payment.session?.running === true;
  const started = payment.session !== undefined;
  const ready = balance.data !== undefined && !short && !noGas && !busy && !started && !switching;

  return (
    <div className="pay-action">
      {balance.data !== undefined && (
        <p className="muted" data-testid="balance">
          {t("pay.balance", { amount: f.token(balance.data, checkout.token) })}
        </p>
      )}
      {balance.isError && (
        <p className="error" role="alert">
          {t("pay.balanceError")}
        </p>
      )}
      {short && (
        <p className="error" role="alert" data-testid="short-balance">
          {t("pay.short", {
            amount: f.token(amount, checkout.token),
            balance: f.token(balance.data!, checkout.token),
            missing: f.token(amount - balance.data!, checkout.token),
          })}
        </p>
      )}
      {noGas && (
        <p className="error" role="alert">
          {t("pay.noGas", { coin: gas.data?.symbol ?? "ETH" })}
        </p>
      )}
      {!started && (
        <button
          type="button"
          className="button primary"
          data-testid="pay-button"
          disabled={!ready}
          aria-busy={busy}
          onClick={payment.start}
        >
          {busy ? t("pay.paying") : t("pay.button", { amount: f.token(amount, checkout.token) })}
        </button>
      )}
    </div>
  );
}
