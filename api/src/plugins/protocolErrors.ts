/**
 * Errors that happen before a request reaches Fastify's hooks, answered in the API's error shape with a
 * Request-Id all the same: a URL the router cannot split (bad percent-encoding, a path segment over
 * maxParamLength) and HTTP-level client errors (headers over the size limit, a malformed request line).
 */
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { takeRandomBytes } from "../lib/ids.ts";

export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // A path segment too long for the router is an id longer than any Pier id: a 404, as any id that is
  // not in Pier's format is (errorHandler.ts).
  const tooLong = error.code === "FST_ERR_MAX_PARAM_LENGTH";
  void reply
    .code(tooLong ? 404 : 400)
    .header("Request-Id", request.id)
    .send({
      error: {
        type: "invalid_request_error",
        code: tooLong ? "resource_missing" : "url_invalid",
        message: tooLong
          ? "No such object: a path parameter is longer than any id"
          : "The URL is not valid (check its percent-encoding)",
      },
    });
}

export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, code, message] =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? [408, "request_timeout", "The request took too long to arrive"]
      : error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "headers_too_large", "The request line and headers exceed the size limit"]
        : [400, "malformed_request", "The request is not valid HTTP"];
  const body = JSON.stringify({ error: { type: "invalid_request_error", code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nRequest-Id: req_${takeRandomBytes(12).toString("hex")}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
