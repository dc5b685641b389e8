/** A flow's steps with their state and transaction, as the checkout and the subscription page show them. */
import { useTranslation } from "react-i18next";
import type { Chain, Hex } from "viem";
import { TxLink } from "./TxLink.tsx";

export interface StepItem<Id extends string> {
  id: Id;
  state: "todo" | "active" | "done" | "failed";
  detail?: string;
  txHash?: Hex;
}

const stateKeys = {
  todo: "steps.state.todo",
  active: "steps.state.active",
  done: "steps.state.done",
  failed: "steps.state.failed",
} as const satisfies Record<StepItem<string>["state"], string>;

export function StepList<Id extends string>({
  steps,
  labels,
  chain,
}: {
  steps: StepItem<Id>[];
  labels: Record<Id, string>;
  chain: Chain;
}) {
  const { t } = useTranslation();
  return (
    <ol className="step-list">
      {steps.map((step) => (
        <li key={step.id} className={`step step-${step.state}`} data-step={step.id} data-state={step.state}>
          <span className="step-icon" aria-hidden="true" />
          <span className="step-body">
            <span className="step-label">
              {labels[step.id]}
              <span className="sr-only">: {t(stateKeys[step.state])}</span>
            </span>
            {step.detail && <span className="step-detail">{step.detail}</span>}
            {step.txHash && (
              <span className="step-detail">
                {t("common.transaction")} <TxLink chain={chain} hash={step.txHash} />
              </span>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}
