/** The payment's steps with their state, and the error of the step that failed with a way to retry. */
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Chain } from "viem";
import { describedErrorText } from "../../lib/describeError.ts";
import { useFormat } from "../../lib/localeFormat.ts";
import { noticeText } from "./choosePath.ts";
import { StepList } from "./StepList.tsx";
import { stepDetailText } from "./stepDetailText.ts";
import type { CheckoutPayMethod } from "./tokenSupport.ts";
import type { PaySession, StepView } from "./usePayment.ts";

const labelKeys = {
  approve: "steps.approve",
  sign: "steps.sign",
  send: "steps.send",
  confirm: "steps.confirm",
  escrow: "steps.escrow",
} as const satisfies Record<StepView["id"], string>;

const methodKeys = {
  authorization: "steps.method.authorization",
  permit: "steps.method.permit",
  dai_permit: "steps.method.dai_permit",
  allowance: "steps.method.allowance",
  relayed: "steps.method.relayed",
  batch: "steps.method.batch",
} as const satisfies Record<CheckoutPayMethod, string>;

export function PaySteps({
  session,
  chain,
  onRetry,
}: {
  session: PaySession;
  chain: Chain;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const retryRef = useRef<HTMLButtonElement>(null);
  const error = session.error;
  useEffect(() => {
    if (error) retryRef.current?.focus();
  }, [error]);

  return (
    <section className="card steps" aria-labelledby="steps-title">
      <h2 id="steps-title" className="sr-only">
        {t("steps.title")}
      </h2>
      <p className="muted">{t("steps.payingWith", { method: t(methodKeys[session.method]) })}</p>
      {session.notices && session.notices.length > 0 && (
        <p className="notice-text">{session.notices.map((n) => noticeText(t, n)).join(" ")}</p>
      )}
      <StepList
        steps={session.steps.map((s) => ({
          ...s,
          detail: s.detail && stepDetailText(t, s.detail),
        }))}
        labels={{
          approve: t(labelKeys.approve),
          sign: t(labelKeys.sign),
          send: t(labelKeys.send),
          confirm: t(labelKeys.confirm),
          escrow: t(labelKeys.escrow),
        }}
        chain={chain}
      />
      {error && !session.running && (
        <div className="error-box" role="alert">
          <p className="error" data-testid="pay-error">
            {describedErrorText(t, f, error)}
          </p>
          <button ref={retryRef} type="button" className="button" onClick={onRetry}>
            {t("common.tryAgain")}
          </button>
        </div>
      )}
    </section>
  );
}
