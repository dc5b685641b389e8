/**
 * pier listen --forward-to <url>: registers a test-mode webhook endpoint pointing at a receiver this
 * command runs on 127.0.0.1, verifies each delivery, forwards it re-signed (fresh timestamp) to the
 * target, prints the event and the target's answer, and passes that status back (so Pier retries what
 * the target failed). The endpoint is deleted on exit (Ctrl-C).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EventType } from "@pier/client";
import { constructEvent, generateTestHeader, SignatureVerificationError } from "@pier/client/webhooks";
import type { Command } from "commander";
import { action, CliError, client, emitLine, type Globals } from "../context.ts";

interface ListenOptions {
  forwardTo?: string;
  events: string;
  forwardSecret?: string;
}

export function listenCommand(program: Command): void {
  program
    .command("listen")
    .description("Receive your events locally and forward them, signed, to your webhook handler")
    .option("-f, --forward-to <url>", "your handler, e.g. http://127.0.0.1:3000/webhooks")
    .option("-e, --events <types>", "comma-separated event types, or * for all", "*")
    .option(
      "--forward-secret <secret>",
      "sign forwarded events with this secret (env PIER_FORWARD_SECRET) instead of the endpoint's new one",
    )
    .addHelpText(
      "after",
      `
Prints the signing secret first: give it to your handler (e.g. PIER_WEBHOOK_SECRET) so it can verify
Pier-Signature. With --json, one JSON object per line: {"type":"ready",...} then {"type":"delivery",...}.

Example:
  pier listen --forward-to http://127.0.0.1:3000/webhooks --events order.escrowed,order.settled`,
    )
    .action(
      action(async (opts: ListenOptions, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const pier = client(g);
        if (opts.forwardTo && !/^https?:\/\//.test(opts.forwardTo))
          throw new CliError(`--forward-to must be an http(s) URL, got "${opts.forwardTo}"`, 2);
        const events = opts.events
          .split(",")
          .map((e) => e.trim())
          .filter(Boolean) as (EventType | "*")[];

        let secret = "";
        let forwardSecret = "";
        const server = createServer((req, res) => void receive(req, res));
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen(0, "127.0.0.1", resolve);
        });
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
        let endpoint: Awaited<ReturnType<typeof pier.webhookEndpoints.create>>;
        try {
          endpoint = await pier.webhookEndpoints.create({
            url,
            enabled_events: events,
            description: "pier listen (deleted when it exits)",
          });
        } catch (error) {
          server.close();
          throw error;
        }
        secret = endpoint.secret!;
        forwardSecret = opts.forwardSecret ?? process.env.PIER_FORWARD_SECRET ?? secret;
        emitLine(
          g,
          {
            type: "ready",
            endpoint: endpoint.id,
            url,
            secret: forwardSecret,
            forward_to: opts.forwardTo ?? null,
            events,
          },
          `Ready. Webhook signing secret: ${forwardSecret} (endpoint ${endpoint.id}, events ${events.join(",")})` +
            (opts.forwardTo
              ? `\nForwarding to ${opts.forwardTo}. Ctrl-C stops and deletes the endpoint.`
              : ""),
        );

        async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
          const chunks: Buffer[] = [];
          for await (const c of req) chunks.push(c as Buffer);
          const raw = Buffer.concat(chunks).toString("utf8");
          const at = new Date().toISOString();
          let event: ReturnType<typeof constructEvent>;
          try {
            event = constructEvent(raw, req.headers["pier-signature"], secret);
          } catch (error) {
            const reason = error instanceof SignatureVerificationError ? error.code : String(error);
            emitLine(g, { type: "rejected", at, reason }, `${at}  rejected a request: ${reason}`);
            res.writeHead(400).end();
            return;
          }
          const object = event.data.object as { id?: string };
          if (!opts.forwardTo) {
            emitLine(
              g,
              {
                type: "delivery",
                at,
                event: event.id,
                event_type: event.type,
                object: object.id,
                status: null,
              },
              `${at}  --> ${event.type} [${event.id}] ${object.id ?? ""}`,
            );
            res.writeHead(200).end();
            return;
          }
          let status = 502;
          let answer = "";
          const started = Date.now();
          try {
            const out = await fetch(opts.forwardTo, {
              method: "POST",
              body: raw,
              headers: {
                "content-type": "application/json",
                "user-agent": "pier-cli-listen",
                "pier-signature": generateTestHeader({ payload: raw, secret: forwardSecret }),
                "pier-event-id": event.id,
                ...(req.headers["pier-delivery-id"]
                  ? { "pier-delivery-id": String(req.headers["pier-delivery-id"]) }
                  : {}),
              },
              signal: AbortSignal.timeout(10_000),
            });
            status = out.status;
            answer = (await out.text()).slice(0, 200);
          } catch (error) {
            answer = `not reachable: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`;
          }
          emitLine(
            g,
            {
              type: "delivery",
              at,
              event: event.id,
              event_type: event.type,
              object: object.id,
              forward_to: opts.forwardTo,
              status,
              response: answer,
              duration_ms: Date.now() - started,
            },
            `${at}  --> ${event.type} [${event.id}] ${object.id ?? ""}\n${at}  <-- [${status}] POST ${opts.forwardTo} ${answer}`,
          );
          res.writeHead(status >= 200 && status < 300 ? 200 : status === 502 ? 502 : status).end();
        }

        await new Promise<void>((resolve) => {
          const stop = async () => {
            process.off("SIGINT", stop);
            process.off("SIGTERM", stop);
            try {
              await pier.webhookEndpoints.del(endpoint.id, { timeoutMs: 5_000 });
              emitLine(g, { type: "stopped", endpoint: endpoint.id }, `Deleted endpoint ${endpoint.id}.`);
            } catch (error) {
              console.error(`could not delete endpoint ${endpoint.id}: ${(error as Error).message}`);
              process.exitCode = 1;
            }
            server.closeAllConnections();
            server.close(() => resolve());
          };
          process.on("SIGINT", stop);
          process.on("SIGTERM", stop);
        });
      }),
    );
}
