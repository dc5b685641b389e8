/**
 * Refuses any request whose path parameters, query or JSON body carry a NUL character (U+0000): Postgres
 * text cannot hold one, so without this check such a value reaches a query and fails there as a 500.
 * In a path parameter it is a 404 resource_missing (no id has one), elsewhere a 400.
 */
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { ApiError } from "../errors.ts";
import { missingPathObject } from "./errorHandler.ts";

/** The dotted path of the first string (or key) containing U+0000, or undefined. */
export function findNul(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path || "(value)" : undefined;
  if (!value || typeof value !== "object") return undefined;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (k.includes("\u0000")) return at;
    const found = findNul(v, at);
    if (found) return found;
  }
  return undefined;
}

export const nulBytes = fp(
  async (app: FastifyInstance) => {
    app.addHook("preValidation", async (request) => {
      const inPath = findNul(request.params);
      // An id with a NUL in it names no object: 404, like any id not in Pier's format.
      if (inPath) throw missingPathObject(request, inPath);
      for (const part of [request.query, request.body]) {
        const param = findNul(part);
        if (param) {
          throw new ApiError(
            400,
            "invalid_request_error",
            "parameter_invalid",
            "NUL characters are not allowed",
            {
              param,
            },
          );
        }
      }
    });
  },
  { name: "pier-nul-bytes" },
);
