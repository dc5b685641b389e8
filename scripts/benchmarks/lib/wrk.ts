/**
 * wrk (Debian's `wrk`, C and epoll) as the load generator for figures where the load generator's own CPU
 * would distort them: on this 2-core machine autocannon (Node) takes about a third of a core at capacity,
 * which the servers under test then do not get. One wrk thread serves the same connections for a fraction
 * of that. The request is described by a Lua script written to a temporary file; its `done` hook prints
 * one JSON line that this module reads back.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface WrkOptions {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Seconds. */
  duration: number;
}

export interface WrkResult {
  requests: number;
  /** Requests per second over the run. */
  rps: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  /** Connect, read, write and timeout errors. */
  errors: number;
  /** Responses whose status was not 2xx or 3xx. */
  non2xx: number;
}

// JSON string literals are valid Lua ones for the ASCII bodies and headers used here.
const lua = (o: WrkOptions) => `
wrk.method = ${JSON.stringify(o.method ?? "GET")}
${o.body === undefined ? "" : `wrk.body = ${JSON.stringify(o.body)}`}
${Object.entries(o.headers ?? {})
  .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
  .join("\n")}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"errors":%d,"non2xx":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
`;

export async function wrk(o: WrkOptions): Promise<WrkResult> {
  const dir = await mkdtemp(join(tmpdir(), "pier-wrk-"));
  try {
    const script = join(dir, "request.lua");
    await writeFile(script, lua(o));
    const child = spawn(
      "wrk",
      ["-t1", `-c${o.connections}`, `-d${o.duration}s`, "--timeout", "10s", "-s", script, o.url],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          error.code === "ENOENT"
            ? new Error("wrk is not installed: run scripts/lib/ensure-wrk.sh (./scripts/bench does)")
            : error,
        ),
      );
      // "close", not "exit": the output may still be in the pipe when the process exits.
      child.once("close", (code) =>
        code === 0 ? resolve() : reject(new Error(`wrk exited with ${code}: ${out}`)),
      );
    });
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (!line) throw new Error(`wrk printed no result: ${out}`);
    const r = JSON.parse(line) as Record<string, number>;
    return {
      requests: r.requests!,
      rps: Math.round(r.requests! / (r.duration_us! / 1e6)),
      p50: Math.round(r.p50_us! / 100) / 10,
      p99: Math.round(r.p99_us! / 100) / 10,
      errors: r.errors!,
      non2xx: r.non2xx!,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
