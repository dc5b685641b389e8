/**
 * The small HTTP layer the provider emulators share: a route table with `:param` segments, raw body
 * capture, JSON/text/HTML replies, a `hang` reply (never answer, for timeouts), and listen on
 * 127.0.0.1 at a random port. node:http only, so emulators stay dependency-free.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface EmuRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  params: Record<string, string>;
}

export type EmuReply =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; text: string; contentType?: string; headers?: Record<string, string> }
  | { status: number; redirect: string }
  | "hang";

export type Handler = (req: EmuRequest) => EmuReply | Promise<EmuReply>;

export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export function route(method: string, path: string, handler: Handler): Route {
  const keys: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:(\w+)/g, (_, k) => {
      keys.push(k);
      return "([^/]+)";
    })}/?$`,
  );
  return { method, pattern, keys, handler };
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `routes`; `before` runs first and may answer instead (auth, injected failures). Unknown paths
 * get `notFound`. Every reply passes through `decorate` (common headers like Request-Id).
 */
export async function serve(opts: {
  routes: Route[];
  before?: (req: EmuRequest) => EmuReply | undefined | Promise<EmuReply | undefined>;
  notFound: (req: EmuRequest) => EmuReply;
  decorate?: (req: EmuRequest, reply: Exclude<EmuReply, "hang">) => Record<string, string>;
  port?: number;
}): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://emulator");
      const base: EmuRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString("utf8"),
        params: {},
      };
      let reply: EmuReply;
      try {
        reply = (await opts.before?.(base)) ?? (await dispatch(opts.routes, base, opts.notFound));
      } catch (error) {
        reply = { status: 500, json: { error: String(error) } };
      }
      if (reply === "hang") return; // the client's timeout ends it; close() destroys the socket
      const extra = opts.decorate?.(base, reply) ?? {};
      if ("redirect" in reply) {
        res.writeHead(reply.status, { ...extra, location: reply.redirect }).end();
      } else if ("json" in reply) {
        res
          .writeHead(reply.status, { "content-type": "application/json", ...extra, ...reply.headers })
          .end(JSON.stringify(reply.json));
      } else {
        res
          .writeHead(reply.status, {
            "content-type": reply.contentType ?? "text/plain; charset=utf-8",
            ...extra,
            ...reply.headers,
          })
          .end(reply.text);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function dispatch(routes: Route[], req: EmuRequest, notFound: (req: EmuRequest) => EmuReply) {
  for (const r of routes) {
    if (r.method !== req.method) continue;
    const m = r.pattern.exec(req.path);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => {
      params[k] = decodeURIComponent(m[i + 1]!);
    });
    return r.handler({ ...req, params });
  }
  return notFound(req);
}

/** POSTs JSON to a webhook URL with the given headers; resolves to the status (0 on network error). */
export async function postWebhook(
  url: string,
  rawBody: string,
  headers: Record<string, string>,
): Promise<number> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: rawBody,
      signal: AbortSignal.timeout(5_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Uppercase alphanumeric ids like PayPal's ("5O190127TN364715T"). */
export function upperId(length = 17): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

/** Base62 ids like Stripe's ("pi_3Nf...") */
export function base62Id(prefix: string, length = 24): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let s = "";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return `${prefix}_${s}`;
}
