/**
 * Hostile requests for every operation of the OpenAPI document, generated with fast-check: wrong JSON
 * types, missing and unknown fields, huge and negative numbers, bad hex and addresses, unicode and
 * control characters, oversized and malformed bodies, wrong content types, bad cursors and
 * Idempotency-Keys, bad credentials, and other merchants' ids. Every generated write carries at least
 * one definite violation, so it must be refused and must change nothing.
 */
import fc from "fast-check";
import {
  alwaysRequired,
  bodyProperties,
  closedObject,
  emptyBodyInvalid,
  jsonTypes,
  type Operation,
  type Schema,
} from "./openapiModel.ts";

export interface HostileRequest {
  op: string;
  kind: string;
  method: string;
  /** Path and query, already encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Must be answered with a 4xx (never 2xx): the request is invalid, forbidden or foreign. */
  mustRefuse: boolean;
  /** When set, the status it must get (e.g. 404 for another merchant's id). */
  expectStatus?: number;
  /** When set, the error code it must get (resource_missing for an id that names nothing). */
  expectCode?: string;
}

export interface FuzzContext {
  keys: { merchant: string; restricted: string; admin: string };
  /** Another merchant's object ids, by the list path that returns them (e.g. /v1/orders). */
  foreignIds: Map<string, string[]>;
}

const BODY_LIMIT = 256 * 1024;

/** Strings that break parsers, patterns and encodings. */
export const hostileString = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "0x",
    "0xZZ",
    `0x${"g".repeat(40)}`,
    `0x${"a".repeat(39)}`,
    `0x${"A".repeat(41)}`,
    `0x${"0".repeat(64)}00`,
    "-1",
    "-0",
    "01",
    "1e400",
    "NaN",
    "Infinity",
    "1.5",
    "9".repeat(80),
    "115792089237316195423570985008687907853269984665640564039457584007913129639936",
    "null",
    "undefined",
    "[object Object]",
    "ord_",
    "ord_' OR '1'='1",
    "'; DROP TABLE orders; --",
    "../../etc/passwd",
    "%00",
    "\u0000",
    "\u0000abc",
    "\u202e\u0041",
    "\ud800",
    "\ufeff",
    "💸".repeat(50),
    "<script>alert(1)</script>",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, meant literally
    "${jndi:ldap://127.0.0.1/x}",
    "__proto__",
    "constructor",
    "x".repeat(10_000),
  ),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.stringMatching(/^0x[0-9a-fA-F]{0,70}$/),
);

/** Numbers that overflow, go negative or lose precision. */
export const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, -0, 1.5, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER, 4294967296),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Any JSON value, weighted toward the awkward. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}, { $gt: "" }, [null], { __proto__: { admin: true } }),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 3 }),
);

/** A JSON value of a type the schema does not admit (undefined when it admits anything). */
function wrongTypeValue(allowed: Set<string>): fc.Arbitrary<unknown> | undefined {
  if (allowed.has("any")) return undefined;
  const candidates: fc.Arbitrary<unknown>[] = [];
  if (!allowed.has("string")) candidates.push(hostileString);
  if (!allowed.has("number") && !allowed.has("integer")) candidates.push(hostileNumber);
  if (!allowed.has("boolean")) candidates.push(fc.boolean());
  if (!allowed.has("null")) candidates.push(fc.constant(null));
  if (!allowed.has("array")) candidates.push(fc.array(hostileJson, { maxLength: 3 }));
  if (!allowed.has("object"))
    candidates.push(fc.dictionary(fc.string({ maxLength: 6 }), hostileJson, { maxKeys: 2 }));
  return candidates.length ? fc.oneof(...candidates) : undefined;
}

/** A plausible value for a property (so other violations are the ones that fail). */
function plausible(s: Schema): fc.Arbitrary<unknown> {
  const t = jsonTypes(s);
  if (Array.isArray(s?.enum) && s.enum.length) return fc.constantFrom(...s.enum);
  if (t.includes("string")) return fc.oneof(hostileString, fc.constant("25000000"));
  if (t.includes("integer") || t.includes("number")) return hostileNumber;
  if (t.includes("boolean")) return fc.boolean();
  if (t.includes("array")) return fc.array(hostileString, { maxLength: 3 });
  return hostileJson;
}

function foreignIdFor(ctx: FuzzContext, op: Operation): string | undefined {
  const base = op.path.split("/{")[0]!;
  return ctx.foreignIds.get(base)?.[0];
}

function fillPath(op: Operation, id: string): string {
  return op.path.replace(/\{[^}]+\}/g, encodeURIComponent(id.toWellFormed()));
}

function authHeaders(ctx: FuzzContext, op: Operation): Record<string, string> {
  if (op.auth.kind === "admin") return { authorization: `Bearer ${ctx.keys.admin}` };
  if (op.auth.kind === "key") return { authorization: `Bearer ${ctx.keys.merchant}` };
  return {};
}

const hasBody = (op: Operation) => op.method !== "GET" && op.method !== "DELETE";

/** One arbitrary of hostile requests for one operation. */
export function requestsFor(op: Operation, ctx: FuzzContext): fc.Arbitrary<HostileRequest> {
  const write = op.method !== "GET";
  const props = op.body ? bodyProperties(op.body) : new Map();
  const validIdish = fc.constantFrom("ord_0000000000000000000000", "re_x", "we_x", "key_x", "evt_x");
  const pathId = op.pathParams.length
    ? fc.oneof(
        hostileString.filter((s) => s.length > 0),
        validIdish,
      )
    : fc.constant("");
  const base = (kind: string, id: string, extra: Partial<HostileRequest> = {}): HostileRequest => ({
    op: op.id,
    kind,
    method: op.method,
    url: fillPath(op, id || "x"),
    headers: { ...authHeaders(ctx, op), ...(hasBody(op) ? { "content-type": "application/json" } : {}) },
    body: hasBody(op) ? "{}" : undefined,
    mustRefuse: write,
    ...extra,
  });
  const arbs: fc.Arbitrary<HostileRequest>[] = [];

  // A path id not in Pier's format (none of pathId's is) names nothing: 404 resource_missing on every
  // route, public or not, before its body is looked at. Another merchant's id is just as missing. The
  // fuzzer holds no dashboard session, and a session route authenticates first: 401 there (the team
  // route tests check its 404s signed in).
  if (op.pathParams.length) {
    const missing =
      op.auth.kind === "session"
        ? { expectStatus: 401, expectCode: "session_missing" }
        : { expectStatus: 404, expectCode: "resource_missing" };
    arbs.push(pathId.map((id) => base("path_id", id, { mustRefuse: true, ...missing })));
    const foreign = foreignIdFor(ctx, op);
    if (foreign && op.auth.kind === "key") {
      arbs.push(
        fc.constant(
          base("foreign_id", foreign, {
            mustRefuse: true,
            expectStatus: 404,
            expectCode: "resource_missing",
          }),
        ),
      );
    }
  }

  if (hasBody(op) && op.body) {
    const wrong = [...props.entries()]
      .map(([name, p]) => [name, wrongTypeValue(p.types)] as const)
      .filter((e): e is readonly [string, fc.Arbitrary<unknown>] => e[1] !== undefined);
    const others = [...props.entries()].map(([name, p]) => [name, plausible(p.schema)] as const);
    const extraBody = fc.record(Object.fromEntries(others), { requiredKeys: [] });
    if (wrong.length) {
      arbs.push(
        fc
          .tuple(pathId, fc.constantFrom(...wrong), extraBody)
          .chain(([id, [name, arb], rest]) =>
            arb.map((v) => base("body_wrong_type", id, { body: JSON.stringify({ ...rest, [name]: v }) })),
          ),
      );
    }
    const required = alwaysRequired(op.body);
    if (required.length || emptyBodyInvalid(op.body)) {
      arbs.push(
        fc.tuple(pathId, extraBody).map(([id, rest]) => {
          const b = { ...(rest as Record<string, unknown>) };
          for (const name of required) delete b[name];
          if (!required.length) for (const k of Object.keys(b)) delete b[k];
          return base("body_missing", id, { body: JSON.stringify(b) });
        }),
      );
    }
    if (closedObject(op.body)) {
      arbs.push(
        fc
          .tuple(
            pathId,
            fc.string({ minLength: 1, maxLength: 30 }).filter((k) => !props.has(k)),
            hostileJson,
          )
          .map(([id, k, v]) => base("body_unknown_field", id, { body: JSON.stringify({ [k]: v }) })),
      );
    }
  }

  if (hasBody(op)) {
    arbs.push(
      fc
        .tuple(
          pathId,
          fc.oneof(
            fc.constantFrom(
              "{",
              '{"a":',
              "[",
              "nul",
              "{'a':1}",
              '{"a":1,}',
              "\u0000",
              '{"a":"\\ud800"',
              "{}{}",
            ),
            fc.string({ maxLength: 40 }).filter((s) => {
              try {
                JSON.parse(s);
                return false;
              } catch {
                return s.trim().length > 0;
              }
            }),
          ),
        )
        .map(([id, raw]) => base("bad_json", id, { body: raw })),
      fc
        .tuple(
          pathId,
          fc.constantFrom(
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/xml",
            "multipart/form-data; boundary=x",
            "application/octet-stream",
          ),
        )
        .map(([id, type]) => {
          const r = base("content_type", id, { body: "amount=1&x=<y/>" });
          r.headers["content-type"] = type;
          return r;
        }),
      fc.tuple(pathId, fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT + 4096 })).map(([id, n]) =>
        // 413 once authenticated; a route whose own auth runs first (a dashboard session) may say 401.
        base("oversized", id, { body: JSON.stringify({ description: "x".repeat(n) }) }),
      ),
    );
    if (op.headers.includes("idempotency-key")) {
      arbs.push(
        fc.tuple(pathId, fc.constantFrom("", " ", "k".repeat(256), "k".repeat(5000))).map(([id, key]) => {
          // A body that may be valid: the header alone must get it refused.
          const r = base("idempotency_key", id);
          r.headers["idempotency-key"] = key;
          return r;
        }),
      );
    }
  }

  if (op.method === "GET") {
    const names = op.query.map((q) => q.name);
    const cursorNames = names.filter((n) => /after|before|cursor/.test(n));
    const foreignCursor = [...ctx.foreignIds.values()].flat();
    arbs.push(
      fc
        .tuple(
          pathId,
          fc.array(
            fc.tuple(
              fc.oneof(
                fc.constantFrom(...(names.length ? names : ["limit"])),
                fc.constantFrom(
                  "limit",
                  "starting_after",
                  "ending_before",
                  "created[gte]",
                  "metadata[x]",
                  "expand[]",
                ),
                fc.string({ minLength: 1, maxLength: 12 }),
              ),
              fc.oneof(
                hostileString,
                hostileNumber.map(String),
                ...(foreignCursor.length ? [fc.constantFrom(...foreignCursor)] : []),
              ),
            ),
            { minLength: 1, maxLength: 4 },
          ),
        )
        .map(([id, pairs]) => {
          const q = new URLSearchParams();
          for (const [k, v] of pairs) q.append(k.toWellFormed(), v.toWellFormed());
          const r = base("query", id);
          r.url += `?${q.toString()}`;
          r.mustRefuse = write;
          return r;
        }),
    );
    if (cursorNames.length && foreignCursor.length) {
      arbs.push(
        fc.tuple(fc.constantFrom(...cursorNames), fc.constantFrom(...foreignCursor)).map(([k, v]) => {
          const r = base("foreign_cursor", "", { url: `${fillPath(op, "x")}?${k}=${encodeURIComponent(v)}` });
          r.mustRefuse = write;
          return r;
        }),
      );
    }
  }

  if (op.auth.kind !== "public") {
    arbs.push(
      fc
        .tuple(
          pathId,
          fc.constantFrom(
            `Bearer sk_test_${"0".repeat(48)}`,
            "Bearer sk_live_x",
            "Bearer ",
            "Basic dXNlcjpwYXNz",
            "Bearer a b",
            `bearer ${"x".repeat(4000)}`,
            `Bearer ${ctx.keys.restricted}`,
          ),
        )
        .map(([id, header]) => {
          const r = base("bad_auth", id);
          r.headers.authorization = header;
          r.mustRefuse = true;
          // The restricted key may hold the scope a read needs; only refusals are certain for the rest.
          if (header.includes(ctx.keys.restricted) && !write) r.mustRefuse = false;
          return r;
        }),
    );
  }
  return fc.oneof(...arbs);
}
