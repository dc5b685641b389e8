/**
 * A loopback HTTP proxy in front of a real server (the API in retry tests, a chain node in the
 * indexer's): `plan` decides, per request, whether to forward it, to answer with a status of its own
 * (e.g. 503, or 429 with Retry-After) without forwarding, or to forward it and then drop the connection
 * before answering (the API did the work, the client never heard back). Every request is recorded.
 * `target` may be changed while it runs: the requests after go to the new server (a node replaced behind
 * the same URL).
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  | "forward"
  | "reset-before"
  | "reset-after"
  | { status: number; headers?: Record<string, string>; body?: unknown };

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The request body as sent (a JSON-RPC call or batch, for a chain node). */
  body: string;
  fault: Fault;
  at: number;
}

export interface FaultProxy {
  url: string;
  /** Where forwarded requests go; may be changed at any time. */
  target: string;
  seen: Seen[];
  /** Called for every request (`body` as sent); the default forwards everything. */
  plan: (req: { method: string; url: string; body: string }, index: number) => Fault;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const proxy = { target, seen: [] as Seen[], plan: () => "forward" as Fault } as unknown as FaultProxy;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const raw = Buffer.concat(chunks);
      const method = req.method ?? "GET";
      const url = req.url ?? "/";
      const body = raw.toString("utf8");
      const fault = proxy.plan({ method, url, body }, proxy.seen.length);
      proxy.seen.push({
        method,
        url,
        headers: req.headers,
        body,
        fault,
        at: Date.now(),
      });
      if (fault === "reset-before") return void req.socket.destroy();
      if (typeof fault === "object") {
        res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
        return void res.end(
          JSON.stringify(fault.body ?? { error: { type: "api_error", code: "proxy", message: "injected" } }),
        );
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k)),
      ) as Record<string, string>;
      const upstream = await fetch(proxy.target + url, {
        method,
        headers,
        body: chunks.length ? raw : undefined,
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      if (fault === "reset-after") return void req.socket.destroy();
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!["content-encoding", "transfer-encoding", "connection", "content-length"].includes(k))
          out[k] = v;
      });
      res.writeHead(upstream.status, out).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
