/**
 * A local server in the ECB eurofxref format (GET /stats/eurofxref/eurofxref-daily.xml), so the ECB
 * rate source is tested over real HTTP. Tests set the day and rates, or a raw body / status to test
 * failures.
 */
import { type RunningServer, route, serve } from "./http.ts";

export interface EcbEmulator extends RunningServer {
  /** Full URL of the daily file. */
  dailyUrl: string;
  set(day: string, rates: Record<string, string>): void;
  /** Serve this exact body (malformed XML tests) or status instead. */
  override: { status?: number; body?: string };
  requests: number;
}

export function ecbXml(days: Array<{ day: string; rates: Record<string, string> }>): string {
  const cubes = days
    .map(
      ({ day, rates }) =>
        `\t\t<Cube time='${day}'>\n${Object.entries(rates)
          .map(([c, r]) => `\t\t\t<Cube currency='${c}' rate='${r}'/>`)
          .join("\n")}\n\t\t</Cube>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender>
\t\t<gesmes:name>European Central Bank</gesmes:name>
\t</gesmes:Sender>
\t<Cube>
${cubes}
\t</Cube>
</gesmes:Envelope>`;
}

export async function startEcbEmulator(): Promise<EcbEmulator> {
  let current = {
    day: "2026-11-25",
    rates: { USD: "1.1571", JPY: "181.02", GBP: "0.8772" } as Record<string, string>,
  };
  const state = { override: {} as EcbEmulator["override"], requests: 0 };
  const server = await serve({
    routes: [
      route("GET", "/stats/eurofxref/eurofxref-daily.xml", () => {
        state.requests++;
        if (state.override.status) return { status: state.override.status, text: "unavailable" };
        return { status: 200, contentType: "text/xml", text: state.override.body ?? ecbXml([current]) };
      }),
    ],
    notFound: () => ({ status: 404, text: "not found" }),
  });
  return {
    ...server,
    dailyUrl: `${server.url}/stats/eurofxref/eurofxref-daily.xml`,
    set(day, rates) {
      current = { day, rates };
    },
    get override() {
      return state.override;
    },
    set override(v) {
      state.override = v;
    },
    get requests() {
      return state.requests;
    },
  };
}
