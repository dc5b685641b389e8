/**
 * A subscription's hosted page, /s/:subscriptionId: loads the subscription from the API's public read,
 * builds the wallet config for its networks, and shows what fits its state: the plan and the two steps
 * to subscribe (incomplete), "You're subscribed" with how to revoke (trialing, active, past_due), or a
 * plain word that it is over (canceled, ended).
 */
import type { CheckoutSubscription } from "@pier/client/types";
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { type ReactNode, useCallback, useEffect, useMemo, useRef } from "react";
import type { Chain } from "viem";
import { WagmiProvider } from "wagmi";
import { chainOf } from "../../lib/chainOf.ts";
import { env } from "../../lib/env.ts";
import { createPierConfig } from "../../wagmi.ts";
import { RevokePanel } from "./RevokePanel.tsx";
import { SubscribePanel } from "./SubscribePanel.tsx";
import { getSubscription, SubscribeApiError } from "./subscribeApi.ts";
import { isSubscribed, priceWords } from "./subscriptionTerms.ts";

const queryClient = new QueryClient();

export default function SubscribePage({ subscriptionId }: { subscriptionId: string }) {
  return (
    <QueryClientProvider client={queryClient}>
      <SubscribeLoader subscriptionId={subscriptionId} />
    </QueryClientProvider>
  );
}

function SubscribeLoader({ subscriptionId }: { subscriptionId: string }) {
  const query = useQuery({
    queryKey: ["subscription", subscriptionId],
    queryFn: () => getSubscription(subscriptionId),
    retry: (failures, error) => !(error instanceof SubscribeApiError && error.status === 404) && failures < 2,
  });
  const refetch = useCallback(() => query.refetch(), [query.refetch]);
  if (query.data) {
    return (
      <WalletProviders subscription={query.data}>
        {(chains) => <SubscribeView subscription={query.data} chains={chains} refetch={refetch} />}
      </WalletProviders>
    );
  }
  if (query.isError) {
    const notFound = query.error instanceof SubscribeApiError && query.error.status === 404;
    return (
      <main className="page">
        <h1>Subscription</h1>
        <p className="error" role="alert">
          {query.error.message}
        </p>
        {notFound ? (
          <p className="muted">Check the link the merchant gave you.</p>
        ) : (
          <button type="button" className="button" onClick={() => void query.refetch()}>
            Try again
          </button>
        )}
      </main>
    );
  }
  return (
    <main className="page" aria-busy="true">
      <p className="muted" role="status">
        Loading your subscription…
      </p>
    </main>
  );
}

/** The chain of each option (and of the signed permission), named as the API names the network. */
function chainsOfSubscription(subscription: CheckoutSubscription): Map<number, Chain> {
  const chains = new Map<number, Chain>();
  const ids = [
    ...(subscription.permission ? [subscription.permission.network] : []),
    ...subscription.options.map((o) => o.network),
  ];
  // As chainsOf: with several chains, only per-chain RPC URLs apply.
  const settings = new Set(ids).size > 1 ? { rpcUrls: env.rpcUrls } : env;
  for (const id of ids) {
    if (chains.has(id)) continue;
    const name = subscription.options.find((o) => o.network === id)?.network_name;
    const chain = chainOf({ chain_id: id }, settings);
    chains.set(id, name ? { ...chain, name } : chain);
  }
  return chains;
}

function WalletProviders({
  subscription,
  children,
}: {
  subscription: CheckoutSubscription;
  children: (chains: Map<number, Chain>) => ReactNode;
}) {
  const chains = chainsOfSubscription(subscription);
  // The same config while the set of chains is the same: a refetch must not drop the wallet's connection.
  const key = JSON.stringify([...chains.keys()].sort((a, b) => a - b));
  const chainsRef = useRef(chains);
  chainsRef.current = chains;
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only when the set of chains changes
  const config = useMemo(() => {
    const list = [...chainsRef.current.values()];
    return list.length > 0 ? createPierConfig(list as [Chain, ...Chain[]]) : undefined;
  }, [key]);
  if (!config) return <>{children(chains)}</>;
  return <WagmiProvider config={config}>{children(chains)}</WagmiProvider>;
}

function SubscribeView({
  subscription,
  chains,
  refetch,
}: {
  subscription: CheckoutSubscription;
  chains: Map<number, Chain>;
  refetch: () => Promise<unknown>;
}) {
  useEffect(() => {
    document.title = `Subscribe to ${subscription.merchant_name} · Pier`;
  }, [subscription.merchant_name]);
  const { status } = subscription;
  return (
    <main className="page">
      <h1 className="page-title">Subscription</h1>
      <PlanSummary subscription={subscription} />
      {status === "incomplete" ? (
        subscription.options.length === 0 ? (
          <p className="error" role="alert">
            This subscription cannot be paid on any network right now. Contact {subscription.merchant_name}.
          </p>
        ) : (
          <SubscribePanel subscription={subscription} chains={chains} refetch={refetch} />
        )
      ) : isSubscribed(status) ? (
        <RevokePanel subscription={subscription} chains={chains} />
      ) : (
        <section className="card" data-testid="subscription-over">
          <h2>{status === "canceled" ? "This subscription was canceled" : "This subscription has ended"}</h2>
          <p>
            {status === "canceled"
              ? `${subscription.merchant_name} canceled it. Nothing more will be charged.`
              : "Every charge it allowed was made, or its permission was revoked or ran out. Nothing more will be charged."}
          </p>
        </section>
      )}
      <footer className="footer muted">
        Subscription <code>{subscription.id}</code>
      </footer>
    </main>
  );
}

function PlanSummary({ subscription }: { subscription: CheckoutSubscription }) {
  const { plan } = subscription;
  return (
    <section className="card summary" aria-labelledby="summary-title">
      <p className="merchant" id="summary-title">
        <span className="sr-only">Subscribe to </span>
        {subscription.merchant_name}
      </p>
      {plan.description && <p className="description">{plan.description}</p>}
      <p className="amount" data-testid="price">
        {priceWords(plan)}
      </p>
      <dl className="summary-lines">
        {plan.trial_days > 0 && (
          <>
            <dt>Free trial</dt>
            <dd data-testid="trial">
              first charge after {plan.trial_days} {plan.trial_days === 1 ? "day" : "days"}
            </dd>
          </>
        )}
        {plan.cycles !== null && (
          <>
            <dt>Charges</dt>
            <dd data-testid="cycles">{plan.cycles} in all, then it ends</dd>
          </>
        )}
      </dl>
    </section>
  );
}
