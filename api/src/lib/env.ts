/**
 * Reads environment variables against a TypeBox schema, the one way every API setting is read
 * (config.ts composes the schemas): unset or empty variables take the schema default, and every bad or
 * missing one is named in one ConfigError. Secrets have no defaults: they come from the environment only.
 */
import { Ajv } from "ajv";
import type { Static, TObject } from "typebox";

/** A bad configuration: the process refuses to start and says which variables are wrong. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

// validateSchema: false: the schemas are TypeBox's; checking each against the JSON Schema meta-schema
// first compiled that meta-schema on every start (about 40 ms).
const ajv = new Ajv({
  coerceTypes: true,
  useDefaults: true,
  allErrors: true,
  strict: false,
  validateSchema: false,
});
const compiled = new WeakMap<TObject, ReturnType<typeof ajv.compile>>();

export function readEnv<S extends TObject>(
  schema: S,
  source: Record<string, string | undefined>,
  label: string,
): Static<S> {
  const env: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = source[key];
    if (value !== undefined && value !== "") env[key] = value;
  }
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(env)) {
    const problems = (validate.errors ?? []).map((e) => {
      const name = e.instancePath.replace(/^\//, "") || String(e.params.missingProperty ?? "");
      return `${name}: ${e.message}`;
    });
    throw new ConfigError(`invalid ${label} configuration:\n  ${problems.join("\n  ")}`);
  }
  return env as Static<S>;
}

/**
 * Why `value` is not an absolute http(s) URL, or null when it is. The value itself is never repeated:
 * a URL may carry the provider's key.
 */
export function httpUrlProblem(value: string): string | null {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
  if (scheme && !/^https?$/i.test(scheme)) return `must be an http(s) URL, not ${scheme.toLowerCase()}://`;
  const shaped = /^https?:\/\/[^\s/?#]+/i.test(value) && !/\s/.test(value);
  if (!shaped || !URL.canParse(value)) return "must be an absolute http(s) URL (https://host/...)";
  return null;
}
