/**
 * Paths that were renamed keep answering at their old place, hidden from the OpenAPI document.
 *
 * The public link and subscription checkouts moved from /v1/checkout/links/:id and
 * /v1/checkout/subscriptions/:id (ambiguous beside the order checkout's /v1/checkout/:id/select: is
 * /v1/checkout/links/select a link or an order's action?) to /v1/checkout_links/:id and
 * /v1/checkout_subscriptions/:id. Hosted pages and integrations built on the old paths keep working.
 */
import type { FastifyInstance, RouteOptions } from "fastify";
import fp from "fastify-plugin";

/** New path prefix -> the old one it replaced. */
export const RENAMED_PREFIXES: Readonly<Record<string, string>> = {
  "/v1/checkout_links/": "/v1/checkout/links/",
  "/v1/checkout_subscriptions/": "/v1/checkout/subscriptions/",
};

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set on the hidden copy of a renamed route: the path it is an alias of. */
    aliasOf?: string;
  }
}

export const legacyPaths = fp(
  async (app: FastifyInstance) => {
    app.addHook("onRoute", function (this: FastifyInstance, route: RouteOptions) {
      // A GET's HEAD twin comes with the GET's copy.
      if (route.config?.aliasOf || route.method === "HEAD") return;
      const prefix = Object.keys(RENAMED_PREFIXES).find((p) => route.url.startsWith(p));
      if (!prefix) return;
      const url = `${RENAMED_PREFIXES[prefix]}${route.url.slice(prefix.length)}`;
      // `this` is the plugin the route was declared in: the copy gets its hooks and settings too.
      this.route({
        ...route,
        url,
        path: url,
        config: { ...route.config, aliasOf: route.url },
        schema: { ...route.schema, hide: true },
      } as RouteOptions);
    });
  },
  { name: "pier-legacy-paths" },
);
