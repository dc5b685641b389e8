/**
 * Schemas shared by every route: the error envelope, list envelope, pagination query, money strings.
 * Route schemas are the single source of the OpenAPI document.
 */
import Type, { type Static, type TSchema, type TSchemaOptions, type TUnsafe } from "typebox";
import { ERROR_TYPES } from "../errors.ts";

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      type: Type.String({ enum: [...ERROR_TYPES] }),
      code: Type.String(),
      message: Type.String(),
      param: Type.Optional(Type.String()),
    }),
  },
  { $id: "Error", description: "Every error has this shape; 5xx messages never include internals." },
);

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request (bad parameter, malformed JSON, idempotency key reused with another body)",
  401: "Missing, invalid, expired or revoked API key",
  403: "The key lacks the required scope",
  404: "No such object: an unknown id, another merchant's or mode's, or an id not in Pier's format (resource_missing)",
  409: "The object's state forbids this, or a request with the same Idempotency-Key is in flight",
  429: "Rate limited; see Retry-After",
  500: "Internal error",
  503: "A dependency (chain, indexer) is unavailable",
};

/** The error responses a route can return, for its schema and the OpenAPI document. */
export function errors(...codes: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const code of [...codes, 429, 500]) {
    out[code] = Type.Ref("Error", { description: ERROR_DESCRIPTIONS[code] });
  }
  return out;
}

/**
 * `t` or null: a field that is always present, null when it does not apply. A schema with one plain
 * `type` becomes `type: [<type>, "null"]` (JSON Schema and OpenAPI 3.1 say the same either way): the
 * response serializer then tells null apart with a type check, where `anyOf` had it compile a validator
 * for each branch on a route's first response (about 50 ms for /readyz, the probe a start waits on).
 * Enums, consts and references stay an `anyOf` with null.
 */
export function Nullable<T extends TSchema>(t: T, options: TSchemaOptions = {}): TUnsafe<Static<T> | null> {
  const { type } = t as { type?: unknown };
  const plain = typeof type === "string" && !("enum" in t) && !("const" in t);
  return Type.Unsafe<Static<T> | null>(
    plain ? { ...t, ...options, type: [type, "null"] } : Type.Union([t, Type.Null()], options),
  );
}

/** A whole number of the token's smallest unit (the error handler explains it in words: errorHandler.ts). */
export const TOKEN_AMOUNT_PATTERN = "^(0|[1-9][0-9]{0,77})$";

export const TokenAmount = Type.String({
  pattern: TOKEN_AMOUNT_PATTERN,
  description: "Token amount in the token's smallest unit, as a decimal integer string.",
  examples: ["25000000"],
});

export const Address = Type.String({ pattern: "^0x[0-9a-fA-F]{40}$", description: "EVM address." });
export const Hex32 = Type.String({ pattern: "^0x[0-9a-f]{64}$" });
/**
 * A chain id as input. Capped at 2^53 - 1: ids are stored as bigint and compared in JavaScript, and a
 * larger "integer" such as 4.8e155 would overflow Postgres (a 500) instead of being refused (a 400).
 */
export const ChainId = (description?: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...(description ? { description } : {}) });
export const UnixTime = Type.Integer({ description: "Unix time in seconds." });
export const Metadata = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 500 }), {
  maxProperties: 50,
  description: "Up to 50 string key/value pairs of your own (keys up to 40 characters, values up to 500).",
});

export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
  starting_after: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: "Cursor: an object id." }),
  ),
  ending_before: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: "Cursor: an object id." }),
  ),
};

export function ListOf<T extends TSchema>(item: T, description: string) {
  return Type.Object(
    {
      object: Type.Literal("list"),
      data: Type.Array(item),
      has_more: Type.Boolean(),
      url: Type.String(),
    },
    { description },
  );
}

export const IdParams = (pattern: string, description: string) =>
  Type.Object({ id: Type.String({ pattern, description, maxLength: 64 }) });

export const DeletedObject = (object: string) =>
  Type.Object({ id: Type.String(), object: Type.Literal(object), deleted: Type.Literal(true) });

export type ListQueryT = { limit?: number; starting_after?: string; ending_before?: string };
export type ErrorResponseT = Static<typeof ErrorResponse>;

export const IdempotencyHeaders = Type.Object({
  "idempotency-key": Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: "Same key and body within 24 h replays the first response; another body is refused.",
    }),
  ),
});
