/**
 * Turns every error into `{ "error": { type, code, message, param } }`: ApiErrors with their status,
 * @pier/money's refusals of an amount or currency as 400s (fx/errors.ts fromMoneyError), Fastify's validation and parsing errors as 400s naming the parameter, unknown routes as 404, and
 * anything else as a generic 500 (logged with the request id, never shown).
 *
 * A path parameter that fails its schema (an id not in Pier's format) is a 404 resource_missing, as an
 * unknown well-formed id is: like Stripe, an id either names an object the key can see or it does not.
 */

import { MoneyError } from "@pier/money/errors";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { ApiError, type ErrorBody, NotFoundError } from "../errors.ts";
import { fromMoneyError } from "../fx/errors.ts";
import { TOKEN_AMOUNT_PATTERN } from "../schemas/common.ts";

export interface ErrorHandlerOptions {
  /** The settlement token, to explain token-unit amounts with a real example. */
  token?: { symbol: string; decimals: number };
}

/**
 * What a token amount is, in words and with an example in the API's own token, instead of the pattern
 * it failed; and, where the route also takes a fiat amount, how to give a decimal amount instead.
 */
function tokenAmountHint(
  param: string,
  request: FastifyRequest,
  token: ErrorHandlerOptions["token"],
): string {
  const symbol = token?.symbol ?? "tUSDC";
  const units = (25n * 10n ** BigInt(token?.decimals ?? 6)).toString();
  const hint = `${param} is in token units, a whole number as a string: 25 ${symbol} is "${units}"`;
  const body = request.routeOptions.schema?.body as { properties?: Record<string, unknown> } | undefined;
  return body?.properties?.fiat_amount
    ? `${hint}. For a decimal amount in a currency, send fiat_amount (e.g. "25.00") with fiat_currency (e.g. "USD") instead`
    : hint;
}

/**
 * The 404 for a path parameter that names nothing, in words from the route's schema: "Order id
 * (ord_...)" makes "No such order: '<value>'".
 */
export function missingPathObject(request: FastifyRequest, param: string): NotFoundError {
  const props = (request.routeOptions.schema?.params as { properties?: Record<string, unknown> } | undefined)
    ?.properties;
  const description = (props?.[param] as { description?: unknown } | undefined)?.description;
  const named = typeof description === "string" ? /^(.+?) id\b/i.exec(description)?.[1] : undefined;
  const resource = named ? named.replace(/^[A-Z][a-z]/, (w) => w.toLowerCase()) : param;
  const value = (request.params as Record<string, unknown> | undefined)?.[param];
  return new NotFoundError(resource, typeof value === "string" ? value : "", param);
}

function validationBody(error: FastifyError, request: FastifyRequest, opts: ErrorHandlerOptions): ErrorBody {
  const v = error.validation?.[0];
  const context = error.validationContext ?? "body";
  let param = (v?.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
  const params = (v?.params ?? {}) as Record<string, unknown>;
  if (v?.keyword === "required") param = [param, params.missingProperty].filter(Boolean).join(".");
  if (v?.keyword === "additionalProperties")
    param = [param, params.additionalProperty].filter(Boolean).join(".");
  const missing = v?.keyword === "required";
  const where =
    context === "querystring" ? "query parameter" : context === "params" ? "path parameter" : context;
  const detail =
    v?.keyword === "pattern" && params.pattern === TOKEN_AMOUNT_PATTERN
      ? tokenAmountHint(param, request, opts.token)
      : (v?.message ?? error.message);
  const message =
    v?.keyword === "additionalProperties"
      ? `Unknown ${where} '${param}'`
      : missing
        ? `Missing required ${where} '${param}'`
        : `Invalid ${where}${param ? ` '${param}'` : ""}: ${detail}`;
  return {
    type: "invalid_request_error",
    code: missing
      ? "parameter_missing"
      : v?.keyword === "additionalProperties"
        ? "parameter_unknown"
        : "parameter_invalid",
    message,
    ...(param ? { param: context === "headers" ? param : param } : {}),
  };
}

export const errorHandler = fp(
  async (app: FastifyInstance, opts: ErrorHandlerOptions) => {
    app.setErrorHandler((thrown: FastifyError | MoneyError, request, reply) => {
      const error = thrown instanceof MoneyError ? fromMoneyError(thrown) : thrown;
      if (error instanceof ApiError) {
        for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
        return reply.code(error.statusCode).send({ error: error.toBody() });
      }
      if (error.validation && error.validationContext === "params") {
        const v = error.validation[0];
        const param =
          (v?.instancePath ?? "").replace(/^\//, "") ||
          String((v?.params as { missingProperty?: unknown } | undefined)?.missingProperty ?? "id");
        return reply.code(404).send({ error: missingPathObject(request, param).toBody() });
      }
      if (error.validation) return reply.code(400).send({ error: validationBody(error, request, opts) });
      const status = error.statusCode ?? 500;
      if (status === 429) {
        return reply.code(429).send({
          error: {
            type: "rate_limit_error",
            code: "rate_limited",
            message: "Too many requests; retry after the delay in Retry-After",
          },
        });
      }
      if (status >= 400 && status < 500) {
        const code =
          error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
            ? "unsupported_media_type"
            : error.code === "FST_ERR_CTP_BODY_TOO_LARGE"
              ? "body_too_large"
              : error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" ||
                  error.code === "FST_ERR_CTP_INVALID_JSON_BODY" ||
                  error instanceof SyntaxError
                ? "invalid_json"
                : "invalid_request";
        return reply
          .code(status)
          .send({ error: { type: "invalid_request_error", code, message: error.message } });
      }
      request.log.error({ err: error }, "unhandled error");
      return reply.code(500).send({
        error: {
          type: "api_error",
          code: "internal_error",
          message: `Something went wrong on our side; quote Request-Id ${request.id} if you contact support`,
        },
      });
    });
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send({
        error: {
          type: "invalid_request_error",
          code: "url_not_found",
          message: `No route for ${request.method} ${request.url.split("?")[0]}`,
        },
      }),
    );
  },
  { name: "pier-error-handler" },
);
