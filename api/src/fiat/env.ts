/**
 * Reads one provider's environment variables against its TypeBox schema (the same way ../config.ts
 * validates the API's): unset or empty variables take the schema default, a bad or missing one throws
 * ConfigError naming it. Secrets have no defaults: they come from the environment only.
 */
import { Ajv } from "ajv";
import type { Static, TObject } from "typebox";
import { ConfigError } from "../config.ts";

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, strict: false });

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
  const validate = ajv.compile(schema);
  if (!validate(env)) {
    const problems = (validate.errors ?? []).map((e) => {
      const name = e.instancePath.replace(/^\//, "") || String(e.params.missingProperty ?? "");
      return `${name}: ${e.message}`;
    });
    throw new ConfigError(`invalid ${label} configuration:\n  ${problems.join("\n  ")}`);
  }
  return env as Static<S>;
}
