/**
 * The app's few routes, matched on the path: /pay/:orderId (checkout), /l/:linkId (a payment link's
 * page, which creates an order and forwards to its checkout) and /dashboard (merchants).
 */
export type Route =
  | { name: "checkout"; orderId: string }
  | { name: "link"; linkId: string }
  | { name: "dashboard" }
  | { name: "home" }
  | { name: "notFound" };

export function matchRoute(pathname: string): Route {
  const pay = /^\/pay\/([^/]+)\/?$/.exec(pathname);
  if (pay) return { name: "checkout", orderId: decodeURIComponent(pay[1]!) };
  const link = /^\/l\/([^/]+)\/?$/.exec(pathname);
  if (link) return { name: "link", linkId: decodeURIComponent(link[1]!) };
  if (/^\/dashboard(\/|$)/.test(pathname)) return { name: "dashboard" };
  if (pathname === "/" || pathname === "") return { name: "home" };
  return { name: "notFound" };
}
