/**
 * A table's horizontal scroll container (narrow screens): a named region that takes keyboard focus, so
 * someone without a pointer can scroll a table that has nothing focusable in it (figures only).
 */
import type { ReactNode } from "react";

export function ScrollableTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
