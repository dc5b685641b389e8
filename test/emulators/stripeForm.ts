/**
 * Decodes Stripe's form-encoded request bodies (what stripe-node sends for the v1 API): bracket
 * notation for nested objects (`metadata[order]=x`) and indexed arrays (`payment_method_types[0]=card`,
 * also `expand[]=x`), everything a string, as Stripe receives it.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseStripeForm(raw: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const path = key
      .split(/\[|\]\[|\]/)
      .filter((part, i, all) => part !== "" || (i === all.length - 2 && key.endsWith("[]")));
    let node: Record<string, FormValue> | FormValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const part = path[i]!;
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1]!);
      const slot = Array.isArray(node) ? (part === "" ? node.length : Number(part)) : part;
      if (last) {
        (node as Record<string | number, FormValue>)[slot] = value;
      } else {
        const existing = (node as Record<string | number, FormValue>)[slot];
        const child = existing ?? (nextIsIndex ? [] : {});
        (node as Record<string | number, FormValue>)[slot] = child;
        node = child as Record<string, FormValue> | FormValue[];
      }
    }
  }
  return root;
}
