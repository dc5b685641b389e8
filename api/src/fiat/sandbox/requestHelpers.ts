/**
 * Request plumbing of the sandbox wallet's API: body field readers that throw the API's own errors,
 * and Idempotency-Key handling (a successful answer is stored and replayed; the same key with another
 * request is an idempotency_error; refusals are not stored, so a retry after the cause is gone works).
 */

import { assertPayableCurrency } from "@pier/money/currencies";
import { formatMinorUnits, parseMinorUnits } from "@pier/money/units";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ApiError, InvalidRequestError } from "../../errors.ts";
import type { Money } from "../provider.ts";

/** `{ value, currency }` validated against ISO 4217 and normalised to the currency's decimals. */
export function readMoney(raw: unknown, param: string): Money {
  const m = raw as Partial<Money> | undefined;
  if (!m || typeof m.value !== "string" || typeof m.currency !== "string")
    throw new InvalidRequestError("parameter_missing", `${param} must be { value, currency }`, param);
  assertPayableCurrency(m.currency, `${param}.currency`);
  const units = parseMinorUnits(m.value, m.currency, `${param}.value`);
  if (units === 0n)
    throw new InvalidRequestError("amount_invalid", `${param} must be positive`, `${param}.value`);
  return { value: formatMinorUnits(units, m.currency), currency: m.currency };
}

export function readString(body: Record<string, unknown>, key: string, required: true): string;
export function readString(body: Record<string, unknown>, key: string, required: false): string | null;
export function readString(body: Record<string, unknown>, key: string, required: boolean): string | null {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new InvalidRequestError("parameter_missing", `Missing required param: ${key}`, key);
    return null;
  }
  if (typeof v !== "string" || v.length === 0 || v.length > 2048)
    throw new InvalidRequestError("parameter_invalid", `${key} must be a non-empty string`, key);
  return v;
}

export type Once = (
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  run: () => unknown,
  /** Return true to store the answer but never send it (the client times out). */
  withhold?: () => boolean,
) => Promise<FastifyReply>;

export function idempotency(): Once {
  const stored = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  return async (req, reply, status, run, withhold) => {
    const key = req.headers["idempotency-key"];
    const fingerprint = `${req.method} ${req.url} ${JSON.stringify(req.body ?? null)}`;
    if (typeof key === "string") {
      const seen = stored.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint)
          throw new ApiError(
            400,
            "idempotency_error",
            "idempotency_key_reused",
            "Idempotency-Key reused with a different request",
            {
              param: "Idempotency-Key",
            },
          );
        return reply.code(seen.status).header("idempotent-replayed", "true").send(seen.body);
      }
    }
    const body = run();
    if (typeof key === "string") stored.set(key, { fingerprint, status, body });
    if (withhold?.()) return reply.hijack();
    return reply.code(status).send(body);
  };
}
