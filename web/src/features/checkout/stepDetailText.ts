/** A payment step's detail line (payOrder.ts reports a `progress.*` key and its values) in the page's language. */
import type { TFunction } from "i18next";
import type { StepDetail } from "./payOrder.ts";

export function stepDetailText(t: TFunction, detail: StepDetail): string {
  // The key is checked against en.json by StepDetail's type; i18next's typings cannot pair a union of keys
  // with their values, hence the plain signature.
  return (t as unknown as (key: string, values?: Record<string, string>) => string)(
    `progress.${detail.key}`,
    detail.values,
  );
}
