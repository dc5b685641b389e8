/**
 * A real webhook receiver on 127.0.0.1 for tests: records every request (raw body, headers), verifies
 * nothing itself, and answers with whatever `respond` says (a status, or "hang" to time out, or "reset"
 * to drop the connection), at once or when its promise settles. `answered` tells which requests got their
 * status: a sender that died while the answer was held never had one.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  rawBody: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON envelope
  body: any;
  at: number;
  /** The status this request was answered with; undefined while held, or if its sender went away first. */
  answered?: number;
  /** True once the sender's connection closed before an answer was written. */
  abandoned?: boolean;
}

export type Response = number | "hang" | "reset";

export interface WebhookReceiver {
  url: string;
  received: Received[];
  respond: (r: Received) => Response | Promise<Response>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver = {
    received: [] as Received[],
    respond: (() => 200) as WebhookReceiver["respond"],
  } as WebhookReceiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {}
      const r: Received = { rawBody, headers: req.headers, body, at: Date.now() };
      receiver.received.push(r);
      res.on("close", () => {
        if (r.answered === undefined) r.abandoned = true;
      });
      void Promise.resolve(receiver.respond(r)).then((answer) => {
        if (answer === "hang" || res.destroyed) return;
        if (answer === "reset") {
          req.socket.destroy();
          return;
        }
        r.answered = answer;
        res.writeHead(answer, { "content-type": "text/plain" }).end("ok");
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
