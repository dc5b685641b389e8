/** The app's few routes, matched on the path: /pay/:orderId (checkout) and /dashboard (merchants). */
export type Route =
  | { name: "checkout"; orderId: string }
  | { name: "dashboard" }
  | { name: "home" }
  | { name: "notFound" };

export function matchRoute(pathname: string): Route {
  const pay = /^\/pay\/([^/]+)\/?$/.exec(pathname);
  if (pay) return { name: "checkout", orderId: decodeURIComponent(pay[1]!) };
  if (/^\/dashboard(\/|$)/.test(pathname)) return { name: "dashboard" };
  if (pathname === "/" || pathname === "") return { name: "home" };
  return { name: "notFound" };
}
