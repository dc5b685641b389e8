/**
 * Turns every error into `{ "error": { type, code, message, param } }`: ApiErrors with their status,
 * Fastify's validation and parsing errors as 400s naming the parameter, unknown routes as 404, and
 * anything else as a generic 500 (logged with the request id, never shown).
 */
import type { FastifyError, FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { ApiError, type ErrorBody } from "../errors.ts";

function validationBody(error: FastifyError): ErrorBody {
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
  const message =
    v?.keyword === "additionalProperties"
      ? `Unknown ${where} '${param}'`
      : missing
        ? `Missing required ${where} '${param}'`
        : `Invalid ${where}${param ? ` '${param}'` : ""}: ${v?.message ?? error.message}`;
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
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof ApiError) {
        for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
        return reply.code(error.statusCode).send({ error: error.toBody() });
      }
      if (error.validation) return reply.code(400).send({ error: validationBody(error) });
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
