/**
 * Subscribing: the network and token (a choice only when there are several), what the customer allows in
 * plain words, the wallet, the right network, then the two steps (allow the token, sign the permission)
 * with their progress, and any error in words with a retry.
 */
import type { CheckoutSubscription } from "@pier/client/types";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Chain } from "viem";
import { useConfig, useConnection } from "wagmi";
import { describedErrorText } from "../../lib/describeError.ts";
import { useFormat } from "../../lib/localeFormat.ts";
import { NetworkSwitch } from "../checkout/NetworkSwitch.tsx";
import { StepList } from "../checkout/StepList.tsx";
import { WalletPicker } from "../checkout/WalletPicker.tsx";
import { requestPermission } from "./subscribeApi.ts";
import { estimatedEnd, periodSeconds } from "./subscriptionTerms.ts";
import { usePlanWords } from "./subscriptionWords.ts";
import { type Option, type SubscribeSession, type SubscribeStep, useSubscribe } from "./useSubscribe.ts";

const optionKey = (o: Option) => `${o.network}:${o.token}`;

export function SubscribePanel({
  subscription,
  chains,
  refetch,
}: {
  subscription: CheckoutSubscription;
  chains: Map<number, Chain>;
  refetch: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const config = useConfig();
  const connection = useConnection();
  const account = connection.status === "connected" ? connection.address : undefined;
  const [picked, setPicked] = useState(() => optionKey(subscription.options[0]!));
  const option = subscription.options.find((o) => optionKey(o) === picked) ?? subscription.options[0]!;
  const chain = chains.get(option.network)!;
  const flow = useSubscribe({ config, subscription, option, account, onAuthorized: refetch });
  const locked = flow.session !== undefined;
  const onChain = connection.status === "connected" && connection.chainId === option.network;

  return (
    <>
      {subscription.options.length > 1 && (
        <section className="card picker" data-testid="subscribe-options">
          <fieldset disabled={locked}>
            <legend className="picker-title">{t("picker.title")}</legend>
            <div className="option-list">
              {subscription.options.map((o) => (
                <label
                  key={optionKey(o)}
                  className={`option${optionKey(o) === picked ? " option-checked" : ""}`}
                >
                  <input
                    type="radio"
                    name="subscribe-option"
                    checked={optionKey(o) === picked}
                    onChange={() => setPicked(optionKey(o))}
                  />
                  <span className="option-body">
                    <span className="option-amount">{f.token(o.amount, o)}</span>
                    <span className="option-network">{o.network_name}</span>
                    <span className="option-token muted" title={o.token}>
                      {o.symbol} · {t("common.chainId", { id: o.network })}
                    </span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        </section>
      )}
      <PermissionWords subscription={subscription} option={option} account={account} />
      <section className="card pay" aria-labelledby="subscribe-title">
        <h2 id="subscribe-title" className="sr-only">
          {t("subscribe.subscribe")}
        </h2>
        <WalletPicker title={t("subscribe.connect")} connectedAs={t("subscribe.subscribingFrom")} />
        {connection.status === "connected" && !onChain && (
          <NetworkSwitch key={option.network} chain={chain} subject={t("subscribe.thisSubscription")} />
        )}
        {onChain && !locked && (
          <div className="pay-action">
            <button
              type="button"
              className="button primary"
              data-testid="subscribe-button"
              onClick={flow.start}
            >
              {t("subscribe.subscribe")}
            </button>
          </div>
        )}
        <SubscribeSteps option={option} session={flow.session} chain={chain} onRetry={flow.retry} />
      </section>
    </>
  );
}

/**
 * "You allow <merchant> to charge at most 10.00 tUSDC per 28 days until <date>": from the plan before
 * the wallet is connected, then from the exact permission the API builds for that account.
 */
function PermissionWords({
  subscription,
  option,
  account,
}: {
  subscription: CheckoutSubscription;
  option: Option;
  account: `0x${string}` | undefined;
}) {
  const exact = useQuery({
    queryKey: ["permission", subscription.id, option.network, option.token, account],
    queryFn: () =>
      requestPermission(subscription.id, { network: option.network, token: option.token, account: account! }),
    enabled: account !== undefined,
    staleTime: 10 * 60_000,
    retry: false,
  });
  const { t } = useTranslation();
  const f = useFormat();
  const words = usePlanWords();
  const message = exact.data?.typed_data.message;
  const [now] = useState(() => Math.floor(Date.now() / 1000));
  const amount = f.token(message?.allowance ?? option.amount, option);
  const period = words.period(message?.period ?? periodSeconds(subscription.plan));
  const end = f.dateTime(message?.end ?? estimatedEnd(subscription.plan, now));
  const merchant = subscription.merchant_name;
  return (
    <section className="card" aria-labelledby="permission-title">
      <h2 id="permission-title">{t("subscribe.whatYouSign")}</h2>
      <p data-testid="permission-words">
        {message
          ? t("subscribe.allow", { merchant, amount, period, end })
          : t("subscribe.allowAbout", { merchant, amount, period, end })}
      </p>
      <p className="muted">{t("subscribe.how", { symbol: option.symbol, merchant })}</p>
    </section>
  );
}

function SubscribeSteps({
  option,
  session,
  chain,
  onRetry,
}: {
  option: Option;
  session: SubscribeSession | undefined;
  chain: Chain;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const retryRef = useRef<HTMLButtonElement>(null);
  const error = session?.error;
  useEffect(() => {
    if (error) retryRef.current?.focus();
  }, [error]);
  const labels: Record<SubscribeStep["id"], string> = {
    approve: t("subscribe.stepAllow", { symbol: option.symbol }),
    sign: t("subscribe.stepSign"),
  };
  const stepsNow: SubscribeStep[] = session?.steps ?? [
    { id: "approve", state: "todo" },
    { id: "sign", state: "todo" },
  ];
  // Details are catalogue keys (useSubscribe.ts): in words of the page's language here.
  const say = t as unknown as (key: string, values?: Record<string, string>) => string;
  const steps = stepsNow.map((s) => ({
    ...s,
    detail: s.detail && say(`subscribe.progress.${s.detail.key}`, s.detail.values),
  }));
  const active = steps.find((s) => s.state === "active");
  return (
    <div className="steps" data-testid="subscribe-steps">
      <StepList steps={steps} labels={labels} chain={chain} />
      <p className="sr-only" role="status">
        {active ? `${labels[active.id]}: ${active.detail ?? t("steps.state.active")}` : ""}
      </p>
      {error && !session?.running && (
        <div className="error-box" role="alert">
          <p className="error" data-testid="subscribe-error">
            {describedErrorText(t, f, error)}
          </p>
          <button ref={retryRef} type="button" className="button" onClick={onRetry}>
            {t("common.tryAgain")}
          </button>
        </div>
      )}
    </div>
  );
}
