/**
 * Query strings with one level of brackets, as Stripe-style APIs use them:
 * `created[gte]=1&metadata[order]=A1&limit=10` -> { created: { gte: "1" }, metadata: { order: "A1" }, limit: "10" }.
 * A repeated plain key becomes an array; anything deeper than one bracket level is kept as a literal key.
 */
export function parseQuerystring(input: string): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [rawKey, value] of new URLSearchParams(input)) {
    const match = /^([^[\]]+)\[([^[\]]+)\]$/.exec(rawKey);
    if (match) {
      const [, outer, inner] = match as unknown as [string, string, string];
      const existing = out[outer];
      let bag = existing as Record<string, unknown>;
      if (!existing || typeof existing !== "object" || Array.isArray(existing)) {
        bag = Object.create(null) as Record<string, unknown>;
        out[outer] = bag;
      }
      bag[inner] = value;
    } else if (rawKey in out) {
      const prev = out[rawKey];
      out[rawKey] = Array.isArray(prev) ? [...prev, value] : [prev, value];
    } else {
      out[rawKey] = value;
    }
  }
  return out;
}
