/** One-line structured logs for Pier's scripts: JSON when not on a terminal, readable when on one. */
export type Fields = Record<string, unknown>;

const pretty = process.stdout.isTTY && process.env.PIER_LOG_FORMAT !== "json";

export function log(component: string, msg: string, fields: Fields = {}): void {
  if (pretty) {
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    console.log(`[${component}] ${msg}${extra ? ` ${extra}` : ""}`);
  } else {
    console.log(JSON.stringify({ time: new Date().toISOString(), component, msg, ...fields }));
  }
}
