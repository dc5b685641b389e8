/**
 * The interactive API reference at /docs (Scalar), loaded on its first request rather than at start-up.
 * Scalar's Fastify plugin carries its page's whole script as one string (~5 MB of JavaScript): importing
 * it cost about 0.3 s of every API start, for a page most processes never serve. On the first request
 * under /docs the plugin is imported into an inner Fastify instance, and every request under /docs is
 * answered from it (`inject`): the redirect to /docs/, the page, its script, the document as JSON/YAML.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import Fastify from "fastify";

/** Nothing from another host: no font CDN, telemetry, AI agent, request proxy or hosted client. */
const CONFIGURATION = {
  title: "Pier API",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  hideClientButton: true,
  showDeveloperTools: "never",
} as const;

/** The inner instance's answer headers the outer reply keeps (not its framing: length, connection, date). */
const PASSED_HEADERS = ["content-type", "content-disposition", "location", "cache-control"];

export function registerApiReference(app: FastifyInstance): void {
  let inner: Promise<FastifyInstance> | undefined;
  const load = async () => {
    const { default: scalar } = await import("@scalar/fastify-api-reference");
    const docs = Fastify({ logger: false });
    await docs.register(scalar, {
      routePrefix: "/docs",
      configuration: { ...CONFIGURATION, content: () => app.swagger() },
    });
    await docs.ready();
    return docs;
  };
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    // A failed load (a broken install) is retried by the next request instead of being kept.
    inner ??= load().catch((error) => {
      inner = undefined;
      throw error;
    });
    const res = await (await inner).inject({ method: "GET", url: request.url, headers: request.headers });
    // Pier's own 404 (the error envelope every route answers with), not the inner instance's.
    if (res.statusCode === 404) return reply.callNotFound();
    for (const name of PASSED_HEADERS) {
      const value = res.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    return reply.code(res.statusCode).send(res.rawPayload);
  };
  for (const url of ["/docs", "/docs/*"])
    app.get(url, { schema: { hide: true }, config: { auth: "public" } }, serve);
}
