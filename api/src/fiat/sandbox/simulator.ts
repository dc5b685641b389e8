/**
 * Pier's sandbox wallet: a local simulator of a wallet provider, the default fiat provider in test mode
 * and in the one-command dev stack (run it with `tsx api/src/fiat/sandbox/main.ts`). A small Fastify
 * app with:
 *
 *   API (Bearer <api key>, JSON, an Idempotency-Key on every POST replays its successful answer):
 *     POST /v1/sessions                  create a payment session -> approval_url
 *     GET  /v1/sessions/:id
 *     POST /v1/sessions/:id/capture      capture an approved session
 *     GET  /v1/captures/:id
 *     POST /v1/captures/:id/refunds      refund part or all of a capture
 *     POST /v1/payouts                   pay a merchant out
 *   Customer:
 *     GET  /pay/:id[?wallet=paypal|apple_pay|google_pay][&lang=]   approval page in that wallet's look,
 *                                        in `lang`'s language, else Accept-Language's (locale.ts)
 *     POST /pay/:id/approve | /pay/:id/decline              -> 303 to return_url / cancel_url
 *   Control (tests, dev tools; loopback only, no auth):
 *     POST /_control/sessions/:id/approve {wallet?} | /decline | /release-webhooks | /reverse
 *     GET  /_control/events
 *
 * Webhooks: every state change is an event `{ id, object: "event", type, created, data: { object } }`
 * POSTed to the configured URL, signed like Pier's own webhooks (webhooks/signature.ts) under the
 * header `Pier-Sandbox-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
 * Failure modes per session: failureModes.ts. Wire objects: wire.ts. Webhook sending: webhookOutbox.ts.
 */

import { MoneyError } from "@pier/money/errors";
import { formatMinorUnits, parseMinorUnits } from "@pier/money/units";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import {
  ApiError,
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  StateError,
} from "../../errors.ts";
import { fromMoneyError } from "../../fx/errors.ts";
import { randomBase62 } from "../../lib/ids.ts";
import type { WalletKind } from "../provider.ts";
import { approvalPage } from "./approvalPage.ts";
import { failureModeFor, isFailureMode } from "./failureModes.ts";
import { negotiateLocale } from "./locale.ts";
import { idempotency, readMoney, readString } from "./requestHelpers.ts";
import { WebhookOutbox } from "./webhookOutbox.ts";
import {
  type Delivery,
  type SandboxCapture,
  type SandboxEvent,
  type SandboxPayout,
  type SandboxRefund,
  type SandboxSession,
  WALLETS,
} from "./wire.ts";

export { SANDBOX_SIGNATURE_HEADER } from "./wire.ts";

export interface SandboxWalletOptions {
  apiKey: string;
  webhookSecret: string;
  webhookUrl?: string;
  /** Base of approval_url links; defaults to the listening address. */
  publicUrl?: string;
  sessionTtlSeconds?: number;
  now?: () => number;
}

export interface SandboxWallet {
  app: FastifyInstance;
  url: string;
  events: SandboxEvent[];
  deliveries: Delivery[];
  setWebhookUrl(url: string | undefined): void;
  approve(sessionId: string, wallet?: WalletKind): SandboxSession;
  decline(sessionId: string): SandboxSession;
  releaseWebhooks(sessionId: string): Promise<void>;
  /** A chargeback after the fact: the session's completed capture is reversed (`capture.reversed`). */
  reverse(sessionId: string): SandboxCapture;
  /** The exact bytes and headers the simulator would send for `event`, signed at `timestamp`. */
  signedDelivery(
    event: SandboxEvent,
    timestamp?: number,
  ): { rawBody: string; headers: Record<string, string> };
  /** Resolves when every webhook delivery in flight has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBase62(20)}`;

export async function startSandboxWallet(
  opts: SandboxWalletOptions & { host?: string; port?: number },
): Promise<SandboxWallet> {
  const wallet = buildSandboxWallet(opts);
  const address = await wallet.app.listen({ host: opts.host ?? "127.0.0.1", port: opts.port ?? 0 });
  wallet.url = address.replace("[::1]", "127.0.0.1");
  return wallet;
}

/** The simulator without listening (mount it, or inject requests). */
export function buildSandboxWallet(opts: SandboxWalletOptions): SandboxWallet {
  const now = opts.now ?? Date.now;
  const nowSec = () => Math.floor(now() / 1000);
  const ttl = opts.sessionTtlSeconds ?? 3600;
  const sessions = new Map<string, SandboxSession>();
  const captures = new Map<string, SandboxCapture>();
  const outbox = new WebhookOutbox(opts.webhookSecret, opts.webhookUrl, now);
  const emit = outbox.emit.bind(outbox);
  const once = idempotency();

  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.setErrorHandler((thrown, _req, reply) => {
    const error = thrown instanceof MoneyError ? fromMoneyError(thrown) : thrown;
    if (error instanceof ApiError) return reply.code(error.statusCode).send({ error: error.toBody() });
    const { statusCode: status, message } = error as { statusCode?: number; message?: string };
    if (status && status < 500)
      return reply
        .code(status)
        .send({ error: { type: "invalid_request_error", code: "bad_request", message } });
    return reply
      .code(500)
      .send({ error: { type: "api_error", code: "internal", message: "Sandbox wallet error" } });
  });

  const wallet: SandboxWallet = {
    app,
    url: opts.publicUrl ?? "",
    events: outbox.events,
    deliveries: outbox.deliveries,
    setWebhookUrl: (url) => {
      outbox.url = url;
    },
    approve: (sessionId, w) => approve(getSession(sessionId), w),
    decline: (sessionId) => decline(getSession(sessionId)),
    releaseWebhooks: (sessionId) => outbox.release(sessionId),
    reverse: (sessionId) => reverse(getSession(sessionId)),
    signedDelivery: (event, timestamp) => outbox.signedDelivery(event, timestamp),
    idle: () => outbox.idle(),
    async close() {
      await outbox.idle();
      await app.close();
    },
  };
  const baseUrl = () => opts.publicUrl ?? wallet.url;

  function getSession(sessionId: string): SandboxSession {
    const session = sessions.get(sessionId);
    if (!session) throw new NotFoundError("session", sessionId);
    if (session.status === "pending_approval" && nowSec() >= session.expires_at) {
      session.status = "expired";
      emit(session, "session.expired", session);
    }
    return session;
  }

  function approve(session: SandboxSession, w?: WalletKind): SandboxSession {
    if (session.status !== "pending_approval")
      throw new StateError("session_not_pending", `Session ${session.id} is ${session.status}`);
    if (w) session.wallet = w;
    session.wallet ??= "paypal";
    if (session.simulate === "decline") {
      session.status = "declined";
      emit(session, "session.declined", session);
    } else {
      session.status = "approved";
      emit(session, "session.approved", session);
    }
    return session;
  }

  function decline(session: SandboxSession): SandboxSession {
    if (session.status !== "pending_approval")
      throw new StateError("session_not_pending", `Session ${session.id} is ${session.status}`);
    session.status = "declined";
    emit(session, "session.declined", session);
    return session;
  }

  function reverse(session: SandboxSession): SandboxCapture {
    const capture = session.capture ? captures.get(session.capture) : undefined;
    if (capture?.status !== "completed")
      throw new StateError("capture_not_completed", `Session ${session.id} has no completed capture`);
    capture.status = "reversed";
    session.status = "reversed";
    emit(session, "capture.reversed", capture);
    return capture;
  }

  function authenticate(req: FastifyRequest) {
    const header = req.headers.authorization ?? "";
    if (header !== `Bearer ${opts.apiKey}`)
      throw new AuthenticationError("invalid_api_key", "Invalid or missing sandbox API key");
  }

  app.post("/v1/sessions", async (req, reply) => {
    authenticate(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    return once(req, reply, 201, () => {
      const amount = readMoney(body.amount, "amount");
      const reference = readString(body, "reference", true);
      const returnUrl = readString(body, "return_url", true);
      const cancelUrl = readString(body, "cancel_url", true);
      for (const [param, url] of [
        ["return_url", returnUrl],
        ["cancel_url", cancelUrl],
      ] as const)
        if (!/^https?:\/\//.test(url))
          throw new InvalidRequestError("url_invalid", `${param} must be http(s)`, param);
      const walletChoice = body.wallet ?? null;
      if (walletChoice !== null && !WALLETS.includes(walletChoice as WalletKind))
        throw new InvalidRequestError(
          "parameter_invalid",
          `wallet must be one of ${WALLETS.join(", ")}`,
          "wallet",
        );
      if (body.simulate !== undefined && body.simulate !== null && !isFailureMode(body.simulate))
        throw new InvalidRequestError("parameter_invalid", "Unknown simulate mode", "simulate");
      const metadata = (body.metadata ?? {}) as Record<string, string>;
      const sessionId = id("sbxs");
      const session: SandboxSession = {
        id: sessionId,
        object: "sandbox.session",
        status: "pending_approval",
        amount,
        reference,
        description: readString(body, "description", false),
        metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)])),
        wallet: walletChoice as WalletKind | null,
        simulate: failureModeFor(amount, body.simulate as string | undefined),
        return_url: returnUrl,
        cancel_url: cancelUrl,
        approval_url: `${baseUrl()}/pay/${sessionId}${walletChoice ? `?wallet=${walletChoice}` : ""}`,
        capture: null,
        created: nowSec(),
        expires_at: nowSec() + ttl,
        livemode: false,
      };
      sessions.set(sessionId, session);
      return session;
    });
  });

  app.get<{ Params: { id: string } }>("/v1/sessions/:id", async (req) => {
    authenticate(req);
    return getSession(req.params.id);
  });

  app.post<{ Params: { id: string } }>("/v1/sessions/:id/capture", async (req, reply) => {
    authenticate(req);
    let hang = false;
    return once(
      req,
      reply,
      201,
      () => {
        const session = getSession(req.params.id);
        if (session.status === "pending_approval")
          throw new StateError(
            "session_not_approved",
            `Session ${session.id} has not been approved by the customer`,
          );
        if (session.status === "declined")
          throw new ApiError(
            402,
            "invalid_request_error",
            "payment_declined",
            "The wallet declined this payment",
          );
        if (session.status === "expired")
          throw new StateError("session_expired", `Session ${session.id} expired`);
        if (session.status !== "approved")
          throw new StateError(
            "session_already_captured",
            `Session ${session.id} is already ${session.status}`,
          );
        const capture: SandboxCapture = {
          id: id("sbxc"),
          object: "sandbox.capture",
          session: session.id,
          status: "completed",
          amount: session.amount,
          amount_refunded: formatMinorUnits(0n, session.amount.currency),
          created: nowSec(),
        };
        captures.set(capture.id, capture);
        session.capture = capture.id;
        session.status = "captured";
        emit(session, "capture.completed", capture);
        if (session.simulate === "capture_reversed") {
          capture.status = "reversed";
          session.status = "reversed";
          emit(session, "capture.reversed", capture);
        }
        hang = session.simulate === "timeout";
        return capture;
      },
      () => hang,
    );
  });

  app.get<{ Params: { id: string } }>("/v1/captures/:id", async (req) => {
    authenticate(req);
    const capture = captures.get(req.params.id);
    if (!capture) throw new NotFoundError("capture", req.params.id);
    return capture;
  });

  app.post<{ Params: { id: string } }>("/v1/captures/:id/refunds", async (req, reply) => {
    authenticate(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    return once(req, reply, 201, () => {
      const capture = captures.get(req.params.id);
      if (!capture) throw new NotFoundError("capture", req.params.id);
      const session = sessions.get(capture.session)!;
      const amount = readMoney(body.amount, "amount");
      if (amount.currency !== capture.amount.currency)
        throw new InvalidRequestError(
          "currency_mismatch",
          `Refund currency must be ${capture.amount.currency}`,
          "amount.currency",
        );
      if (capture.status === "reversed")
        throw new StateError("capture_reversed", `Capture ${capture.id} was reversed`);
      const currency = capture.amount.currency;
      const left =
        parseMinorUnits(capture.amount.value, currency) - parseMinorUnits(capture.amount_refunded, currency);
      const asked = parseMinorUnits(amount.value, currency);
      if (asked > left)
        throw new InvalidRequestError(
          "refund_exceeds_capture",
          `Refund of ${amount.value} exceeds the ${formatMinorUnits(left, currency)} ${currency} left on ${capture.id}`,
          "amount.value",
        );
      const refunded = parseMinorUnits(capture.amount_refunded, currency) + asked;
      capture.amount_refunded = formatMinorUnits(refunded, currency);
      capture.status = asked === left ? "refunded" : "partially_refunded";
      if (asked === left) session.status = "refunded";
      const refund: SandboxRefund = {
        id: id("sbxr"),
        object: "sandbox.refund",
        capture: capture.id,
        session: session.id,
        status: "succeeded",
        amount,
        reason: readString(body, "reason", false),
        created: nowSec(),
      };
      emit(session, "refund.succeeded", refund);
      return refund;
    });
  });

  app.post("/v1/payouts", async (req, reply) => {
    authenticate(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    return once(req, reply, 201, () => {
      const payout: SandboxPayout = {
        id: id("sbxp"),
        object: "sandbox.payout",
        recipient: readString(body, "recipient", true),
        status: "paid",
        amount: readMoney(body.amount, "amount"),
        note: readString(body, "note", false),
        created: nowSec(),
      };
      emit(null, "payout.paid", payout);
      return payout;
    });
  });

  app.get<{ Params: { id: string }; Querystring: { wallet?: string; lang?: string } }>(
    "/pay/:id",
    async (req, reply) => {
      const session = getSession(req.params.id);
      const chosen = WALLETS.includes(req.query.wallet as WalletKind)
        ? (req.query.wallet as WalletKind)
        : session.wallet;
      const locale = negotiateLocale({
        lang: typeof req.query.lang === "string" ? req.query.lang : undefined,
        acceptLanguage: req.headers["accept-language"],
      });
      return reply
        .type("text/html; charset=utf-8")
        .header("content-language", locale)
        .header("vary", "Accept-Language")
        .send(approvalPage({ ...session, wallet: chosen }, locale));
    },
  );

  app.post<{ Params: { id: string; action: string }; Body: { wallet?: string } }>(
    "/pay/:id/:action",
    async (req, reply) => {
      const session = getSession(req.params.id);
      const w = WALLETS.includes(req.body?.wallet as WalletKind)
        ? (req.body?.wallet as WalletKind)
        : undefined;
      if (req.params.action === "approve") approve(session, w);
      else if (req.params.action === "decline") decline(session);
      else throw new NotFoundError("action", req.params.action);
      const target = new URL(session.status === "approved" ? session.return_url : session.cancel_url);
      target.searchParams.set("session", session.id);
      target.searchParams.set("status", session.status);
      return reply.redirect(target.toString(), 303);
    },
  );

  app.post<{ Params: { id: string; action: string }; Body: { wallet?: WalletKind } }>(
    "/_control/sessions/:id/:action",
    async (req) => {
      const sessionId = req.params.id;
      switch (req.params.action) {
        case "approve":
          return wallet.approve(sessionId, req.body?.wallet);
        case "decline":
          return wallet.decline(sessionId);
        case "reverse":
          return wallet.reverse(sessionId);
        case "release-webhooks":
          await wallet.releaseWebhooks(sessionId);
          return { released: true };
        default:
          throw new NotFoundError("action", req.params.action);
      }
    },
  );

  app.get("/_control/events", async () => ({
    object: "list",
    data: outbox.events,
    deliveries: outbox.deliveries,
  }));

  return wallet;
}
