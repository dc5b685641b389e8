/** One-line structured logs for Pier's scripts: JSON when not on a terminal, readable when on one. */
export type Fields = Record<string, unknown>;

const pretty = process.stdout.isTTY && process.env.PIER_LOG_FORMAT !== "json";

/** Token amounts and block numbers are bigints: log them as decimal strings. */
const bigintAsString = (_key: string, value: unknown) =>
  typeof value === "bigint" ? value.toString() : value;

export function log(component: string, msg: string, fields: Fields = {}): void {
  if (pretty) {
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v, bigintAsString)}`)
      .join(" ");
    console.log(`[${component}] ${msg}${extra ? ` ${extra}` : ""}`);
  } else {
    console.log(
      JSON.stringify({ time: new Date().toISOString(), component, msg, ...fields }, bigintAsString),
    );
  }
}
