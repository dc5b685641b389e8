/**
 * The app's few routes, matched on the path: /pay/:orderId (checkout), /l/:linkId (a payment link's
 * page, which creates an order and forwards to its checkout), /s/:subscriptionId (a subscription's page)
 * and /dashboard (merchants).
 */
export type Route =
  | { name: "checkout"; orderId: string }
  | { name: "link"; linkId: string }
  | { name: "subscribe"; subscriptionId: string }
  | { name: "dashboard" }
  | { name: "home" }
  | { name: "notFound" };

/** decodeURIComponent that answers undefined for a malformed escape (a mangled link) instead of throwing. */
function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function matchRoute(pathname: string): Route {
  const pay = /^\/pay\/([^/]+)\/?$/.exec(pathname);
  const orderId = pay ? decode(pay[1]!) : undefined;
  if (pay) return orderId === undefined ? { name: "notFound" } : { name: "checkout", orderId };
  const link = /^\/l\/([^/]+)\/?$/.exec(pathname);
  const linkId = link ? decode(link[1]!) : undefined;
  if (link) return linkId === undefined ? { name: "notFound" } : { name: "link", linkId };
  const sub = /^\/s\/([^/]+)\/?$/.exec(pathname);
  const subscriptionId = sub ? decode(sub[1]!) : undefined;
  if (sub) return subscriptionId === undefined ? { name: "notFound" } : { name: "subscribe", subscriptionId };
  if (/^\/dashboard(\/|$)/.test(pathname)) return { name: "dashboard" };
  if (pathname === "/" || pathname === "") return { name: "home" };
  return { name: "notFound" };
}
