/**
 * Route schemas compiled on a route's first request instead of at start-up. Fastify compiles every
 * route's validators (Ajv) and response serializers (fast-json-stringify) before it listens: with ~90
 * routes that was about 40% of the API's start-up CPU (CPU profile, 2026-12), for routes most processes
 * never serve. The first request to a route pays its compile (a few ms) once per process.
 *
 * Schemas are still checked: the route tests and the bad-input suite call every operation, and the
 * OpenAPI document (built from the same schemas) is generated and linted on every test run.
 */
import { SerializerSelector } from "@fastify/fast-json-stringify-compiler";
import type { Ajv, ValidateFunction } from "ajv";

type SerializerFactory = ReturnType<typeof SerializerSelector>;

/** Fastify's own serializer factory, deferred per route and status code. */
export const lazySerializers: SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data: unknown) => {
      serialize ??= compile(route) as (data: unknown) => string;
      return serialize(data);
    };
  };
};

/** An Ajv validator compiled on first use; Fastify reads `errors` off the function after each call. */
export function lazyValidator(ajv: Ajv, schema: object) {
  let compiled: ValidateFunction | undefined;
  const validate = (data: unknown): boolean => {
    compiled ??= ajv.compile(schema);
    const valid = compiled(data) as boolean;
    validate.errors = compiled.errors;
    return valid;
  };
  validate.errors = null as ValidateFunction["errors"];
  return validate;
}
