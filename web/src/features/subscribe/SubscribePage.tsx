/**
 * A subscription's hosted page, /s/:subscriptionId: loads the subscription from the API's public read,
 * builds the wallet config for its networks, and shows what fits its state: the plan and the two steps
 * to subscribe (incomplete), "You're subscribed" with how to revoke (trialing, active, past_due), or a
 * plain word that it is over (canceled, ended).
 */
import type { CheckoutSubscription } from "@pier/client/types";
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { type ReactNode, useCallback, useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Chain } from "viem";
import { WagmiProvider } from "wagmi";
import { chainOf } from "../../lib/chainOf.ts";
import { env } from "../../lib/env.ts";
import { LanguagePicker } from "../../lib/LanguagePicker.tsx";
import { useFormat } from "../../lib/localeFormat.ts";
import { createPierConfig } from "../../wagmi.ts";
import { RevokePanel } from "./RevokePanel.tsx";
import { SubscribePanel } from "./SubscribePanel.tsx";
import { getSubscription, SubscribeApiError } from "./subscribeApi.ts";
import { isSubscribed } from "./subscriptionTerms.ts";
import { usePlanWords } from "./subscriptionWords.ts";

const queryClient = new QueryClient();

export default function SubscribePage({ subscriptionId }: { subscriptionId: string }) {
  return (
    <QueryClientProvider client={queryClient}>
      <SubscribeLoader subscriptionId={subscriptionId} />
    </QueryClientProvider>
  );
}

function SubscribeLoader({ subscriptionId }: { subscriptionId: string }) {
  const { t } = useTranslation();
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
        <header className="page-header">
          <LanguagePicker />
        </header>
        <h1>{t("subscribe.title")}</h1>
        <p className="error" role="alert">
          {query.error.message}
        </p>
        {notFound ? (
          <p className="muted">{t("subscribe.checkLink")}</p>
        ) : (
          <button type="button" className="button" onClick={() => void query.refetch()}>
            {t("common.tryAgain")}
          </button>
        )}
      </main>
    );
  }
  return (
    <main className="page" aria-busy="true">
      <p className="muted" role="status">
        {t("subscribe.loading")}
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
  const { t } = useTranslation();
  useEffect(() => {
    document.title = t("subscribe.docTitle", { merchant: subscription.merchant_name });
  }, [subscription.merchant_name, t]);
  const { status } = subscription;
  const merchant = subscription.merchant_name;
  return (
    <main className="page">
      <header className="page-header">
        <LanguagePicker />
      </header>
      <h1 className="page-title">{t("subscribe.title")}</h1>
      <PlanSummary subscription={subscription} />
      {status === "incomplete" ? (
        subscription.options.length === 0 ? (
          <p className="error" role="alert">
            {t("subscribe.noNetwork", { merchant })}
          </p>
        ) : (
          <SubscribePanel subscription={subscription} chains={chains} refetch={refetch} />
        )
      ) : isSubscribed(status) ? (
        <RevokePanel subscription={subscription} chains={chains} />
      ) : (
        <section className="card" data-testid="subscription-over">
          <h2>{status === "canceled" ? t("subscribe.canceledTitle") : t("subscribe.endedTitle")}</h2>
          <p>
            {status === "canceled" ? t("subscribe.canceledText", { merchant }) : t("subscribe.endedText")}
          </p>
        </section>
      )}
      <footer className="footer muted">
        {t("subscribe.title")} <code>{subscription.id}</code>
      </footer>
    </main>
  );
}

function PlanSummary({ subscription }: { subscription: CheckoutSubscription }) {
  const { t } = useTranslation();
  const f = useFormat();
  const words = usePlanWords();
  const { plan } = subscription;
  return (
    <section className="card summary" aria-labelledby="summary-title">
      <p className="merchant" id="summary-title">
        <span className="sr-only">{t("subscribe.subscribeTo")} </span>
        <bdi>{subscription.merchant_name}</bdi>
      </p>
      {plan.description && (
        <p className="description" dir="auto">
          {plan.description}
        </p>
      )}
      <p className="amount" data-testid="price">
        {words.price(plan)}
      </p>
      <dl className="summary-lines">
        {plan.trial_days > 0 && (
          <>
            <dt>{t("subscribe.freeTrial")}</dt>
            <dd data-testid="trial">
              {t("subscribe.trialText", { duration: f.duration(plan.trial_days * 86_400) })}
            </dd>
          </>
        )}
        {plan.cycles !== null && (
          <>
            <dt>{t("subscribe.charges")}</dt>
            <dd data-testid="cycles">{t("subscribe.cyclesText", { cycles: String(plan.cycles) })}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
