/** A flow's steps with their state and transaction, as the checkout and the subscription page show them. */
import type { Chain, Hex } from "viem";
import { TxLink } from "./TxLink.tsx";

export interface StepItem<Id extends string> {
  id: Id;
  state: "todo" | "active" | "done" | "failed";
  detail?: string;
  txHash?: Hex;
}

const stateWords: Record<StepItem<string>["state"], string> = {
  todo: "to do",
  active: "in progress",
  done: "done",
  failed: "failed",
};

export function StepList<Id extends string>({
  steps,
  labels,
  chain,
}: {
  steps: StepItem<Id>[];
  labels: Record<Id, string>;
  chain: Chain;
}) {
  return (
    <ol className="step-list">
      {steps.map((step) => (
        <li key={step.id} className={`step step-${step.state}`} data-step={step.id} data-state={step.state}>
          <span className="step-icon" aria-hidden="true" />
          <span className="step-body">
            <span className="step-label">
              {labels[step.id]}
              <span className="sr-only">: {stateWords[step.state]}</span>
            </span>
            {step.detail && <span className="step-detail">{step.detail}</span>}
            {step.txHash && (
              <span className="step-detail">
                Transaction <TxLink chain={chain} hash={step.txHash} />
              </span>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}
