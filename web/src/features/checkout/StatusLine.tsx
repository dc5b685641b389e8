/**
 * One line that says where things stand, announced to screen readers as it changes (role="status" is a
 * polite live region): the current payment step, or the order's state.
 */
import { useTranslation } from "react-i18next";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { stepDetailText } from "./stepDetailText.ts";
import type { PaySession } from "./usePayment.ts";

const statusKeys = {
  open: "status.open",
  processing: "status.processing",
  escrowed: "status.escrowed",
  settled: "status.settled",
  disputed: "status.disputed",
  refunded: "status.refunded",
  canceled: "status.canceled",
  expired: "status.expired",
} as const;

export function StatusLine({
  checkout,
  session,
  expired,
}: {
  checkout: Checkout;
  session?: PaySession;
  expired: boolean;
}) {
  const { t } = useTranslation();
  const status = expired && checkout.status === "open" ? "expired" : checkout.status;
  let text: string = t(statusKeys[status as keyof typeof statusKeys] ?? "status.open");
  if (session && checkout.status === "open") {
    const active = session.steps.find((s) => s.state === "active");
    if (session.error) text = t("status.failed");
    else if (active?.detail) text = stepDetailText(t, active.detail);
  }
  return (
    <p
      className="status-line"
      role="status"
      data-testid="status-line"
      data-status={expired ? "expired" : checkout.status}
    >
      {text}
    </p>
  );
}
