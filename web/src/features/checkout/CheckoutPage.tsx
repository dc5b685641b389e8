/**
 * The hosted checkout, /pay/:orderId: loads the order from the API's public checkout read, builds the
 * wallet config for the order's chain, and shows what fits the order's state: pay (open), a receipt
 * (paid, with dispute during buyer protection), or a plain explanation (expired, canceled).
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Chain } from "viem";
import { useConfig, useConnection, WagmiProvider } from "wagmi";
import { type ChainClock, chainClock, chainOffset } from "../../lib/chainClock.ts";
import { chainsOf } from "../../lib/chainOf.ts";
import { type Checkout, isPaid } from "../../lib/checkoutApi.ts";
import { withLanguage } from "../../lib/i18n.ts";
import { LanguagePicker } from "../../lib/LanguagePicker.tsx";
import { createPierConfig } from "../../wagmi.ts";
import { ClockNotice } from "./ClockNotice.tsx";
import { DisputePanel } from "./DisputePanel.tsx";
import { FiatPanel } from "./fiat/FiatPanel.tsx";
import { MobileHandoff } from "./MobileHandoff.tsx";
import { NetworkPicker } from "./NetworkPicker.tsx";
import { OrderClosed } from "./OrderClosed.tsx";
import { OrderSummary } from "./OrderSummary.tsx";
import { showsPicker } from "./options.ts";
import { PaymentMethods, usePayMethod } from "./PaymentMethods.tsx";
import { PaymentTerms } from "./PaymentTerms.tsx";
import { PayPanel } from "./PayPanel.tsx";
import { PaySteps } from "./PaySteps.tsx";
import { Receipt } from "./Receipt.tsx";
import { StatusLine } from "./StatusLine.tsx";
import { useCheckout } from "./useCheckout.ts";
import { useNow } from "./useNow.ts";
import { usePayment } from "./usePayment.ts";

const queryClient = new QueryClient();

export default function CheckoutPage({ orderId }: { orderId: string }) {
  return (
    <QueryClientProvider client={queryClient}>
      <CheckoutLoader orderId={orderId} />
    </QueryClientProvider>
  );
}

function CheckoutLoader({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const query = useCheckout(orderId, busy);
  const refetch = useCallback(() => query.refetch(), [query.refetch]);
  if (query.data) {
    const offset = chainOffset(query.data.chain_time, Math.floor(query.dataUpdatedAt / 1000));
    return (
      <WalletProviders checkout={query.data}>
        {(chain) => (
          <CheckoutView
            checkout={query.data}
            chain={chain}
            offset={offset}
            refetch={refetch}
            setBusy={setBusy}
          />
        )}
      </WalletProviders>
    );
  }
  if (query.isError) {
    return (
      <main className="page">
        <PageHeader />
        <h1>{t("page.title")}</h1>
        <p className="error" role="alert">
          {query.error.message}
        </p>
        <button type="button" className="button" onClick={() => void query.refetch()}>
          {t("common.tryAgain")}
        </button>
      </main>
    );
  }
  return (
    <main className="page" aria-busy="true">
      <p className="muted" role="status">
        {t("page.loading")}
      </p>
    </main>
  );
}

function PageHeader() {
  return (
    <header className="page-header">
      <LanguagePicker />
    </header>
  );
}

function WalletProviders({
  checkout,
  children,
}: {
  checkout: Checkout;
  children: (chain: Chain) => ReactNode;
}) {
  const chains = chainsOf(checkout);
  // The same config while the set of chains is the same: picking another option (or a poll) must not
  // drop the wallet's connection. Sorted, so the selected chain coming first does not count as a change.
  const key = JSON.stringify(
    chains
      .map((c) => [c.id, c.name, c.rpcUrls.default.http, c.blockExplorers?.default.url ?? null])
      .sort((a, b) => (a[0] as number) - (b[0] as number)),
  );
  const chainsRef = useRef(chains);
  chainsRef.current = chains;
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only when the set of chains changes
  const config = useMemo(() => createPierConfig(chainsRef.current), [key]);
  const chain = config.chains.find((c) => c.id === checkout.chain_id) ?? chains[0];
  return <WagmiProvider config={config}>{children(chain)}</WagmiProvider>;
}

function CheckoutView({
  checkout,
  chain,
  offset,
  refetch,
  setBusy,
}: {
  checkout: Checkout;
  chain: Chain;
  /** Seconds chain time is ahead of this browser's clock (chainClock.ts). */
  offset: number;
  refetch: () => Promise<unknown>;
  setBusy: (busy: boolean) => void;
}) {
  const { t } = useTranslation();
  const config = useConfig();
  const { address } = useConnection();
  const clock: ChainClock = chainClock(offset, useNow());
  const [method, setMethod] = usePayMethod(checkout.id);
  const payment = usePayment({ config, checkout, account: address, refetch });
  const paid = isPaid(checkout.status);
  const inFlight = payment.session !== undefined && !paid;
  useEffect(() => setBusy(inFlight), [inFlight, setBusy]);
  useEffect(() => {
    document.title = t("page.docTitle", { merchant: checkout.merchant_name });
  }, [checkout.merchant_name, t]);

  // The escrow compares the deadline with chain time: so does the page.
  const expired =
    checkout.status === "expired" ||
    (checkout.status === "open" && !inFlight && clock.chainNow >= checkout.expires_at);
  const open = !paid && checkout.status !== "canceled" && !expired;
  return (
    <main className="page checkout">
      <PageHeader />
      <h1 className="page-title sr-only">{t("page.title")}</h1>
      {clock.ahead && <ClockNotice clock={clock} />}
      <div className="checkout-grid">
        <div className="checkout-order">
          <OrderSummary checkout={checkout} chain={chain} clock={clock} />
          {open && <PaymentTerms checkout={checkout} />}
        </div>
        <div className="checkout-pay">
          <StatusLine checkout={checkout} session={payment.session} expired={expired} />
          {paid ? (
            <>
              {payment.session && (
                <PaySteps session={payment.session} chain={chain} onRetry={payment.retry} />
              )}
              <Receipt
                checkout={checkout}
                chain={chain}
                clock={clock}
                paidHere={payment.session !== undefined}
              />
              <DisputePanel checkout={checkout} clock={clock} onChange={refetch} />
            </>
          ) : checkout.status === "canceled" ? (
            <OrderClosed checkout={checkout} clock={clock} reason="canceled" />
          ) : expired ? (
            <OrderClosed checkout={checkout} clock={clock} reason="expired" />
          ) : (
            <>
              <PaymentMethods checkout={checkout} method={method} onChange={setMethod} locked={inFlight} />
              {method !== "fiat" && showsPicker(checkout) && (
                <NetworkPicker
                  checkout={checkout}
                  locked={payment.session?.running === true || payment.session?.paymentTx !== undefined}
                />
              )}
              {method === "wallet" && <PayPanel checkout={checkout} chain={chain} payment={payment} />}
              {method === "fiat" && <FiatPanel checkout={checkout} disabled={inFlight} />}
              {method === "phone" && (
                <MobileHandoff
                  url={withLanguage(window.location.href.split("?")[0]!)}
                  checkout={checkout}
                  chain={chain}
                />
              )}
              {checkout.cancel_url && !inFlight && (
                <p className="cancel">
                  <a href={checkout.cancel_url}>
                    {t("page.cancelReturn", { merchant: checkout.merchant_name })}
                  </a>
                </p>
              )}
            </>
          )}
        </div>
      </div>
      <footer className="footer muted">
        {t("page.order")} <code>{checkout.id}</code> · {t("page.poweredBy")}
      </footer>
    </main>
  );
}
