/**
 * The API's operations as the hardening suites need them, read from the OpenAPI document the API serves
 * (/openapi.json): method, path template, parameters, body schema and the auth each route declares
 * (security: [] public, adminKey admin, secretKey with the scope as its role name). New routes are
 * covered as soon as they are registered.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema / OpenAPI objects are walked loosely
export type Schema = any;

export interface Operation {
  method: "GET" | "POST" | "DELETE" | "PUT" | "PATCH";
  /** OpenAPI path template, e.g. /v1/orders/{id}. */
  path: string;
  pathParams: string[];
  query: { name: string; schema: Schema; required: boolean }[];
  headers: string[];
  /** JSON body schema ($refs resolved), when the route takes one. */
  body?: Schema;
  /** public: no credentials; admin: PIER_ADMIN_KEY; session: a dashboard cookie; key: an API key. */
  auth: { kind: "public" } | { kind: "admin" } | { kind: "session" } | { kind: "key"; scope?: string };
  id: string;
}

const METHODS = ["get", "post", "delete", "put", "patch"] as const;

export async function loadOperations(apiUrl: string): Promise<{ doc: Schema; operations: Operation[] }> {
  const res = await fetch(`${apiUrl}/openapi.json`);
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  const doc = (await res.json()) as Schema;
  const resolve = (s: Schema, seen = new Set<string>()): Schema => deref(doc, s, seen);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths ?? {})) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      const params: Schema[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolve(p));
      const security: Schema[] = op.security ?? doc.security ?? [];
      let auth: Operation["auth"] = { kind: "public" };
      if (security.length > 0) {
        const req = security[0] as Record<string, string[]>;
        if ("adminKey" in req) auth = { kind: "admin" };
        else if ("sessionCookie" in req) auth = { kind: "session" };
        else auth = { kind: "key", scope: req.secretKey?.[0] };
      }
      const json = op.requestBody?.content?.["application/json"]?.schema;
      operations.push({
        method: m.toUpperCase() as Operation["method"],
        path,
        pathParams: params.filter((p) => p.in === "path").map((p) => p.name as string),
        query: params
          .filter((p) => p.in === "query")
          .map((p) => ({ name: p.name as string, schema: resolve(p.schema ?? {}), required: !!p.required })),
        headers: params.filter((p) => p.in === "header").map((p) => String(p.name).toLowerCase()),
        body: json ? resolve(json) : undefined,
        auth,
        id: `${m.toUpperCase()} ${path}`,
      });
    }
  }
  return { doc, operations };
}

/** Replaces every local $ref by its target (cycles are cut to {}). */
function deref(doc: Schema, s: Schema, seen: Set<string>): Schema {
  if (Array.isArray(s)) return s.map((x) => deref(doc, x, seen));
  if (!s || typeof s !== "object") return s;
  if (typeof s.$ref === "string") {
    const ref = s.$ref as string;
    if (seen.has(ref)) return {};
    const target = ref.startsWith("#/")
      ? ref
          .slice(2)
          .split("/")
          .reduce((o: Schema, k: string) => o?.[k], doc)
      : doc.components?.schemas?.[ref];
    return deref(doc, target ?? {}, new Set([...seen, ref]));
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) out[k] = deref(doc, v, seen);
  return out;
}

/** Every property a body may have, across anyOf/oneOf/allOf branches, with the JSON types it allows. */
export function bodyProperties(schema: Schema): Map<string, { types: Set<string>; schema: Schema }> {
  const out = new Map<string, { types: Set<string>; schema: Schema }>();
  const walk = (s: Schema) => {
    if (!s || typeof s !== "object") return;
    for (const [name, prop] of Object.entries<Schema>(s.properties ?? {})) {
      const entry = out.get(name) ?? { types: new Set<string>(), schema: prop };
      for (const t of jsonTypes(prop)) entry.types.add(t);
      out.set(name, entry);
    }
    for (const k of ["anyOf", "oneOf", "allOf"]) for (const b of s[k] ?? []) walk(b);
  };
  walk(schema);
  return out;
}

/** Required properties of every branch a body may take (a body missing all of them is invalid). */
export function alwaysRequired(schema: Schema): string[] {
  const own: string[] = schema?.required ?? [];
  const branches: Schema[] = schema?.anyOf ?? schema?.oneOf ?? [];
  if (branches.length === 0) return own;
  const per = branches.map((b) => new Set<string>([...own, ...(b.required ?? [])]));
  return [...per[0]!].filter((name) => per.every((set) => set.has(name)));
}

/** Does any branch require at least one property (so `{}` is invalid)? */
export function emptyBodyInvalid(schema: Schema): boolean {
  if ((schema?.required ?? []).length > 0) return true;
  const branches: Schema[] = schema?.anyOf ?? schema?.oneOf ?? [];
  return branches.length > 0 && branches.every((b) => (b.required ?? []).length > 0);
}

/** Whether unknown properties are refused at the top level of a body. */
export function closedObject(schema: Schema): boolean {
  if (schema?.additionalProperties === false) return true;
  const branches: Schema[] = schema?.anyOf ?? schema?.oneOf ?? [];
  return branches.length > 0 && branches.every((b) => b.additionalProperties === false);
}

/** JSON types a schema admits ("any" when it does not say). */
export function jsonTypes(s: Schema): string[] {
  if (!s || typeof s !== "object") return ["any"];
  if (s.const !== undefined) return [typeOf(s.const)];
  if (Array.isArray(s.enum)) return [...new Set(s.enum.map(typeOf))] as string[];
  if (typeof s.type === "string") return s.type === "integer" ? ["integer", "number"] : [s.type];
  if (Array.isArray(s.type))
    return s.type.flatMap((t: string) => (t === "integer" ? ["integer", "number"] : [t]));
  const branches: Schema[] = s.anyOf ?? s.oneOf ?? [];
  if (branches.length > 0) return [...new Set(branches.flatMap(jsonTypes))];
  return ["any"];
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}
