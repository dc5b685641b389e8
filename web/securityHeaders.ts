/**
 * Security headers of the web app (hosted checkout and dashboard), applied by `vite preview` through the
 * plugin below. A production deployment serving dist/ must send the same headers; with nginx, e.g.:
 *
 *   add_header Content-Security-Policy "<the value printed by `pnpm exec tsx web/securityHeaders.ts dist`>" always;
 *   add_header X-Content-Type-Options nosniff always;
 *   add_header Referrer-Policy strict-origin-when-cross-origin always;
 *   add_header X-Frame-Options DENY always;
 *
 * The policy allows scripts only from the page's origin plus the SHA-256 of each inline script of the
 * built index.html (the route preload script); no eval. `frame-ancestors` is 'none' so no other site can
 * frame the checkout (clickjacking a pay button); PIER_WEB_FRAME_ANCESTORS lists origins that may.
 * connect-src: the page's origin, the API (VITE_PIER_API_URL), the chain RPC (VITE_PIER_RPC_URL, VITE_PIER_RPC_URLS) and
 * PIER_WEB_CONNECT_SRC (space-separated, e.g. a public RPC named by the chain). The dev server (`vite`)
 * gets every header but the CSP: React's fast refresh needs an inline preamble and eval.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Plugin } from "vite";

export interface CspSources {
  connect?: (string | undefined)[];
  /** Extra script and frame origins (Stripe.js and its frames, only when the Stripe wallets are on). */
  script?: (string | undefined)[];
  frame?: (string | undefined)[];
  frameAncestors?: string[];
}

/** Headers every response of the web app carries, CSP aside. */
export const BASE_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Cross-Origin-Opener-Policy": "same-origin-allow-popups",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(self)",
};

/** SHA-256 sources ('sha256-...') of every inline <script> in an HTML document. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(match[1] ?? "")) continue;
    const body = match[2] ?? "";
    if (body.length === 0) continue;
    hashes.push(`'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
  }
  return hashes;
}

/** The Content-Security-Policy of a built index.html. */
export function contentSecurityPolicy(html: string, sources: CspSources = {}): string {
  const origins = (list: (string | undefined)[] | undefined) =>
    (list ?? [])
      .filter((u): u is string => Boolean(u))
      .map((u) => (/^https?:\/\//.test(u) ? new URL(u).origin : u));
  const frameAncestors = origins(sources.frameAncestors);
  return [
    "default-src 'self'",
    `script-src 'self' ${[...inlineScriptHashes(html), ...new Set(origins(sources.script))].join(" ")}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...new Set(origins(sources.connect))].join(" ")}`,
    ...(origins(sources.frame).length ? [`frame-src ${[...new Set(origins(sources.frame))].join(" ")}`] : []),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(" ") : "'none'"}`,
  ].join("; ");
}

/** Adds the headers to `vite preview` (CSP from the built index.html) and, CSP aside, to `vite`. */
export function securityHeaders(sources: CspSources): Plugin {
  let outDir = "dist";
  return {
    name: "pier-security-headers",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        for (const [k, v] of Object.entries(BASE_HEADERS)) res.setHeader(k, v);
        next();
      });
    },
    configurePreviewServer(server) {
      const html = readFileSync(join(outDir, "index.html"), "utf8");
      const csp = contentSecurityPolicy(html, sources);
      server.middlewares.use((_req, res, next) => {
        for (const [k, v] of Object.entries(BASE_HEADERS)) res.setHeader(k, v);
        res.setHeader("Content-Security-Policy", csp);
        if (!sources.frameAncestors?.length) res.setHeader("X-Frame-Options", "DENY");
        next();
      });
    },
  };
}

// `tsx web/securityHeaders.ts <dist>` prints the policy for a production server's config.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "\0")) {
  const dir = process.argv[2] ?? "dist";
  const split = (v: string | undefined) => (v ?? "").split(/\s+/).filter(Boolean);
  console.log(
    contentSecurityPolicy(readFileSync(join(dir, "index.html"), "utf8"), {
      connect: [
        ...split(process.env.VITE_PIER_API_URL),
        ...split(process.env.VITE_PIER_RPC_URL),
        // VITE_PIER_RPC_URLS: {"<chainId>": "<url>"}
        ...Object.values(
          JSON.parse(process.env.VITE_PIER_RPC_URLS?.trim() || "{}") as Record<string, string>,
        ),
      ],
      frameAncestors: split(process.env.PIER_WEB_FRAME_ANCESTORS),
    }),
  );
}
