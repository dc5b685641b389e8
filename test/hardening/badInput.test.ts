/**
 * Bad input on every route of the OpenAPI document: thousands of hostile requests generated with
 * fast-check (see lib/hostileRequests.ts). Zero 5xx; every 4xx in the DESIGN.md error shape with a
 * Request-Id; writes refused; a path id not in Pier's format and another merchant's id are both 404
 * resource_missing (no 400 for a bad path id); nothing of B's leaks into A's answers; and
 * the API's tables are exactly as before.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { changedTables, snapshotSchema } from "./lib/dbSnapshot.ts";
import { type HostileRequest, requestsFor } from "./lib/hostileRequests.ts";
import { PROFILE } from "./lib/profile.ts";
import { quiesce, startTwoMerchants, type TwoMerchants } from "./lib/twoMerchants.ts";

/** Node's default maximum header size (request line included), less room for the headers themselves. */
const REQUEST_LINE_LIMIT = 16 * 1024 - 1024;
let t: TwoMerchants;
let starting: Promise<TwoMerchants>;

beforeAll(async () => {
  starting = startTwoMerchants();
  t = await starting;
});
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
});

interface Outcome {
  req: HostileRequest;
  status: number;
  body: string;
  requestId: string | null;
}

async function send(apiUrl: string, req: HostileRequest): Promise<Outcome> {
  const res = await fetch(`${apiUrl}${req.url}`, {
    method: req.method,
    headers: req.headers,
    body: req.body,
  });
  return { req, status: res.status, body: await res.text(), requestId: res.headers.get("request-id") };
}

/** Fastify's router (find-my-way) default: a decoded path parameter longer than this matches no route. */
const ROUTER_MAX_PARAM_LENGTH = 100;

/** The longest segment of a URL's path, percent-decoded as the router decodes it. */
function longestPathSegment(url: string): number {
  const path = url.split("?")[0]!;
  return Math.max(
    ...path.split("/").map((segment) => {
      try {
        return decodeURIComponent(segment).length;
      } catch {
        return segment.length;
      }
    }),
  );
}

/** What is wrong with one answer, or undefined. */
function problem(o: Outcome, foreign: string[]): string | undefined {
  if (o.status >= 500) return "5xx";
  if (!o.requestId) return "no Request-Id header";
  if (o.status >= 400) {
    let body: { error?: Record<string, unknown> };
    try {
      body = JSON.parse(o.body);
    } catch {
      return "4xx body is not JSON";
    }
    const e = body.error;
    if (!e || typeof e.type !== "string" || typeof e.code !== "string" || typeof e.message !== "string")
      return "4xx not in the error shape";
    if (e.param !== undefined && typeof e.param !== "string") return "error.param is not a string";
    if (Object.keys(body).length !== 1) return "extra keys next to error";
  } else if (o.req.mustRefuse) {
    return `accepted (${o.status}) a request that must be refused`;
  }
  // A request line past Node's 16 KiB header limit is refused before any route sees its path: 431.
  const tooLong =
    o.req.url.length > REQUEST_LINE_LIMIT &&
    o.status === 431 &&
    o.body.includes('"code":"headers_too_large"');
  // A path segment longer than the router's maxParamLength is refused before any hook runs, so before a
  // session route's authentication too: 404 resource_missing on every route (plugins/protocolErrors.ts).
  const overLongId =
    o.req.kind === "path_id" &&
    longestPathSegment(o.req.url) > ROUTER_MAX_PARAM_LENGTH &&
    o.status === 404 &&
    o.body.includes('"code":"resource_missing"');
  if (o.req.expectStatus && o.status !== o.req.expectStatus && !tooLong && !overLongId)
    return `expected ${o.req.expectStatus}`;
  if (o.req.expectCode && !o.body.includes(`"code":"${o.req.expectCode}"`) && !tooLong && !overLongId)
    return `expected ${o.req.expectCode}`;
  if (o.status < 300 && o.req.headers.authorization && foreign.some((id) => o.body.includes(id)))
    return "another merchant's id in the answer";
  return undefined;
}

describe("bad input from the OpenAPI document", () => {
  test(`behavior: ${PROFILE.badRequests} hostile requests: no 5xx, error shape, nothing changed`, async () => {
    const { s, operations, foreignIds } = t;
    const ops = operations.filter((op) => !["/docs", "/openapi.json"].some((p) => op.path.startsWith(p)));
    expect(ops.length).toBeGreaterThanOrEqual(20);
    const ctx = {
      keys: { merchant: t.a.secretKey, restricted: t.a.restrictedKey, admin: s.adminKey },
      foreignIds,
    };
    expect(foreignIds.size).toBeGreaterThanOrEqual(4);
    const seed = Number(process.env.PIER_FUZZ_SEED ?? Date.now() % 2 ** 31);
    const requests = fc.sample(fc.oneof(...ops.map((op) => requestsFor(op, ctx))), {
      numRuns: PROFILE.badRequests,
      seed,
    });
    await quiesce(s);
    const before = await snapshotSchema(s.stack.db, "pier_api");

    const foreign = [...foreignIds.values()].flat();
    const failures: string[] = [];
    const perKind = new Map<string, number>();
    const perOp = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const req = requests[next++]!;
        const o = await send(s.api.url, req);
        perKind.set(req.kind, (perKind.get(req.kind) ?? 0) + 1);
        perOp.add(req.op);
        const p = problem(o, foreign);
        if (p && failures.length < 50)
          failures.push(
            `${p}: ${req.kind} ${req.method} ${req.url.slice(0, 200)} ${JSON.stringify(req.headers).slice(0, 200)} body=${(req.body ?? "").slice(0, 200)} -> ${o.status} ${o.body.slice(0, 300)}`,
          );
      }
    };
    await Promise.all(Array.from({ length: PROFILE.concurrency }, worker));

    await quiesce(s);
    const after = await snapshotSchema(s.stack.db, "pier_api");
    console.log(
      `bad input: seed ${seed}, ${requests.length} requests over ${perOp.size} operations`,
      Object.fromEntries(perKind),
    );
    expect(failures, `seed ${seed}`).toEqual([]);
    expect(perOp.size).toBe(ops.length);
    expect(changedTables(before, after)).toEqual([]);
  });
});
