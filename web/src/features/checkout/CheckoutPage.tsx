/**
 * The hosted checkout, /pay/:orderId: loads the order from the API's public checkout read, builds the
 * wallet config for the order's chain, and shows what fits the order's state: pay (open), a receipt
 * (paid, with dispute during buyer protection), or a plain explanation (expired, canceled).
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useCallback, useEffect, useMemo, useState } from "react";
import type { Chain } from "viem";
import { useConfig, useConnection, WagmiProvider } from "wagmi";
import { chainOf } from "../../lib/chainOf.ts";
import { type Checkout, isPaid } from "../../lib/checkoutApi.ts";
import { createPierConfig } from "../../wagmi.ts";
import { DisputePanel } from "./DisputePanel.tsx";
import { FiatPanel } from "./fiat/FiatPanel.tsx";
import { MobileHandoff } from "./MobileHandoff.tsx";
import { OrderClosed } from "./OrderClosed.tsx";
import { OrderSummary } from "./OrderSummary.tsx";
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
  const { chain_id, rpc_url, block_explorer_url } = checkout;
  const chain = useMemo(
    () => chainOf({ chain_id, rpc_url, block_explorer_url }),
    [chain_id, rpc_url, block_explorer_url],
  );
  const config = useMemo(() => createPierConfig(chain), [chain]);
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
      <OrderSummary checkout={checkout} now={now} />
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
          <PayPanel checkout={checkout} chain={chain} payment={payment} />
          <FiatPanel checkout={checkout} disabled={inFlight} />
          <MobileHandoff url={window.location.href.split("?")[0]!} />
          {checkout.cancel_url && !inFlight && (
            <p className="cancel">
              <a href={checkout.cancel_url}>Cancel and return to {checkout.merchant_name}</a>
            </p>
          )}
        </>
      )}
      <footer className="footer muted">
        Payments are held in an on-chain escrow until the buyer-protection window ends. Order{" "}
        <code>{checkout.id}</code>
      </footer>
    </main>
  );
}
