/**
 * The hosted checkout, /pay/:orderId: loads the order from the API's public checkout read, builds the
 * wallet config for the order's chain, and shows what fits the order's state: pay (open), a receipt
 * (paid, with dispute during buyer protection), or a plain explanation (expired, canceled).
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Chain } from "viem";
import { useConfig, useConnection, WagmiProvider } from "wagmi";
import { chainsOf } from "../../lib/chainOf.ts";
import { type Checkout, isPaid } from "../../lib/checkoutApi.ts";
import { createPierConfig } from "../../wagmi.ts";
import { DisputePanel } from "./DisputePanel.tsx";
import { FiatPanel } from "./fiat/FiatPanel.tsx";
import { MobileHandoff } from "./MobileHandoff.tsx";
import { NetworkPicker } from "./NetworkPicker.tsx";
import { OrderClosed } from "./OrderClosed.tsx";
import { OrderSummary } from "./OrderSummary.tsx";
import { showsPicker } from "./options.ts";
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
  const [busy, setBusy] = useState(false);
  const query = useCheckout(orderId, busy);
  const refetch = useCallback(() => query.refetch(), [query.refetch]);
  if (query.data) {
    return (
      <WalletProviders checkout={query.data}>
        {(chain) => <CheckoutView checkout={query.data} chain={chain} refetch={refetch} setBusy={setBusy} />}
      </WalletProviders>
    );
  }
  if (query.isError) {
    return (
      <main className="page">
        <h1>Checkout</h1>
        <p className="error" role="alert">
          {query.error.message}
        </p>
        <button type="button" className="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </main>
    );
  }
  return (
    <main className="page" aria-busy="true">
      <p className="muted" role="status">
        Loading your order…
      </p>
    </main>
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
  refetch,
  setBusy,
}: {
  checkout: Checkout;
  chain: Chain;
  refetch: () => Promise<unknown>;
  setBusy: (busy: boolean) => void;
}) {
  const config = useConfig();
  const { address } = useConnection();
  const now = useNow();
  const payment = usePayment({ config, checkout, account: address, refetch });
  const paid = isPaid(checkout.status);
  const inFlight = payment.session !== undefined && !paid;
  useEffect(() => setBusy(inFlight), [inFlight, setBusy]);
  useEffect(() => {
    document.title = `Pay ${checkout.merchant_name} · Pier`;
  }, [checkout.merchant_name]);

  const expired =
    checkout.status === "expired" || (checkout.status === "open" && !inFlight && now >= checkout.expires_at);
  return (
    <main className="page">
      <h1 className="page-title">Checkout</h1>
      <OrderSummary checkout={checkout} chain={chain} now={now} />
      <StatusLine checkout={checkout} session={payment.session} expired={expired} />
      {paid ? (
        <>
          {payment.session && <PaySteps session={payment.session} chain={chain} onRetry={payment.retry} />}
          <Receipt checkout={checkout} chain={chain} paidHere={payment.session !== undefined} />
          <DisputePanel checkout={checkout} now={now} onChange={refetch} />
        </>
      ) : checkout.status === "canceled" ? (
        <OrderClosed checkout={checkout} reason="canceled" />
      ) : expired ? (
        <OrderClosed checkout={checkout} reason="expired" />
      ) : (
        <>
          {showsPicker(checkout) && (
            <NetworkPicker
              checkout={checkout}
              locked={payment.session?.running === true || payment.session?.paymentTx !== undefined}
            />
          )}
          <PayPanel checkout={checkout} chain={chain} payment={payment} />
          <FiatPanel checkout={checkout} disabled={inFlight} />
          <MobileHandoff url={window.location.href.split("?")[0]!} checkout={checkout} chain={chain} />
          {checkout.cancel_url && !inFlight && (
            <p className="cancel">
              <a href={checkout.cancel_url}>Cancel and return to {checkout.merchant_name}</a>
            </p>
          )}
        </>
      )}
      <footer className="footer muted">
        {checkout.terms.escrow_period === "0"
          ? `This payment goes straight to ${checkout.merchant_name}, in the same transaction: there is no buyer-protection window.`
          : "Payments are held in an on-chain escrow until the buyer-protection window ends."}{" "}
        Order <code>{checkout.id}</code>
      </footer>
    </main>
  );
}
