/**
 * A real webhook receiver on 127.0.0.1 for tests: records every request (raw body, headers), verifies
 * nothing itself, and answers with whatever `respond` says (a status, or "hang" to time out, or "reset"
 * to drop the connection).
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  rawBody: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON envelope
  body: any;
  at: number;
}

export type Response = number | "hang" | "reset";

export interface WebhookReceiver {
  url: string;
  received: Received[];
  respond: (r: Received) => Response;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver = {
    received: [] as Received[],
    respond: (() => 200) as (r: Received) => Response,
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
      const answer = receiver.respond(r);
      if (answer === "hang") return;
      if (answer === "reset") {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer, { "content-type": "text/plain" }).end("ok");
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
