/** An order status as a small labelled badge (the word is the information; colour only repeats it). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge status-${status}`} data-testid="order-status" data-status={status}>
      {status}
    </span>
  );
}
