/** Refund all or part of an escrowed order: the amount in tokens (exact decimal, never a float), confirmed. */

import type { Order } from "@pier/client/types";
import { formatAmount, formatToken } from "@pier/money/display";
import { unitsToDecimal } from "@pier/money/units";
import { useId, useState } from "react";
import { parseAmountInput } from "../../../lib/amountInput.ts";
import { apiPost } from "../../../lib/dashboardApi.ts";
import { ConfirmDialog } from "../ConfirmDialog.tsx";

/** Token units from what the merchant typed, or a sentence saying what is wrong. */
export function parseRefundAmount(
  text: string,
  decimals: number,
  remaining: bigint,
): { units: bigint } | { error: string } {
  const parsed = parseAmountInput(text, decimals);
  if ("units" in parsed && parsed.units > remaining)
    return { error: `At most ${formatAmount(remaining, decimals)} can be refunded.` };
  return parsed;
}

export function RefundDialog({
  order,
  remaining,
  onClose,
  onDone,
}: {
  order: Order;
  remaining: bigint;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const inputId = useId();
  const hintId = useId();
  const [text, setText] = useState(unitsToDecimal(remaining, order.token.decimals));
  const parsed = parseRefundAmount(text, order.token.decimals, remaining);

  return (
    <ConfirmDialog
      title="Refund this order?"
      confirmLabel={"units" in parsed ? `Refund ${formatToken(parsed.units, order.token)}` : "Refund"}
      danger
      onClose={onClose}
      onConfirm={async () => {
        if ("error" in parsed) throw new Error(parsed.error);
        await apiPost("/v1/refunds", { order: order.id, amount: parsed.units.toString() });
        await onDone();
      }}
    >
      <label htmlFor={inputId}>Amount ({order.token.symbol})</label>
      <input
        id={inputId}
        inputMode="decimal"
        autoComplete="off"
        value={text}
        aria-describedby={hintId}
        aria-invalid={"error" in parsed}
        data-testid="refund-amount"
        onChange={(e) => setText(e.target.value)}
      />
      <p id={hintId} className={"error" in parsed ? "error" : "muted"}>
        {"error" in parsed
          ? parsed.error
          : `Up to ${formatToken(remaining, order.token)} can be refunded. The payer receives it from the escrow.`}
      </p>
    </ConfirmDialog>
  );
}
