/**
 * Vite config of the hosted checkout and dashboard.
 *
 * The page talks to the API at VITE_PIER_API_URL (baked in at build time). Left empty, it calls its own
 * origin: `vite` and `vite preview` then proxy /v1 to PIER_API_URL (default http://127.0.0.1:4000), and a
 * production deployment serves dist/ and the API behind one origin. A different origin needs the API to
 * send CORS headers for GET /v1/checkout/:id.
 *
 * WalletConnect is offered only when VITE_WALLETCONNECT_PROJECT_ID is set. Its provider package
 * (@walletconnect/ethereum-provider, ~255 packages with a build script) is not a dependency by default:
 * without it the connector's lazy import resolves to a stub that explains what to install.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, loadEnv, type Plugin } from "vite";
import { securityHeaders } from "./securityHeaders.ts";

const WALLETCONNECT_PROVIDER = "@walletconnect/ethereum-provider";
const STUB_ID = "\0pier-walletconnect-missing";

function hasPackage(name: string): boolean {
  const require = createRequire(import.meta.url);
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Resolves WalletConnect's provider to a stub with a clear error when the package is not installed. */
function walletConnectOptional(): Plugin {
  const installed = hasPackage(WALLETCONNECT_PROVIDER);
  return {
    name: "pier-walletconnect-optional",
    enforce: "pre",
    resolveId(id) {
      if (id === WALLETCONNECT_PROVIDER && !installed) return STUB_ID;
      return null;
    },
    load(id) {
      if (id !== STUB_ID) return null;
      return `export const EthereumProvider = { init() { throw new Error("WalletConnect is not part of this build: add ${WALLETCONNECT_PROVIDER} to web/package.json and rebuild."); } };`;
    },
  };
}

/**
 * On /pay/ pages, starts downloading the checkout chunk (and its imports) together with the entry instead
 * of after the entry has run: a tiny inline script in index.html adds modulepreload links for the route.
 */
function preloadCheckoutRoute(): Plugin {
  let base = "/";
  return {
    name: "pier-preload-checkout-route",
    apply: "build",
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {});
        const checkout = chunks.find(
          (c) => c.type === "chunk" && c.facadeModuleId?.endsWith("/features/checkout/CheckoutPage.tsx"),
        );
        if (checkout?.type !== "chunk") return;
        const files = [checkout.fileName, ...checkout.imports].map((f) => `${base}${f}`);
        const script = `if(location.pathname.startsWith(${JSON.stringify(`${base}pay/`)}))for(const f of ${JSON.stringify(files)}){const l=document.createElement("link");l.rel="modulepreload";l.crossOrigin="";l.href=f;document.head.appendChild(l)}`;
        return [{ tag: "script", children: script, injectTo: "head" }];
      },
    },
  };
}

const split = (value: string | undefined) => (value ?? "").split(/\s+/).filter(Boolean);

/**
 * Stripe wallets (fiat/StripeWalletButton.tsx) load Stripe.js from VITE_STRIPE_JS_URL (default Stripe's
 * own): its origin may serve scripts and frames and be called, only when a publishable key is set. With
 * Stripe's own URL the API origin is api.stripe.com; a stand-in (the local emulator) serves both.
 */
function stripeSources(env: Record<string, string>): {
  script: string[];
  frame: string[];
  connect: string[];
} {
  if (!env.VITE_STRIPE_PUBLISHABLE_KEY) return { script: [], frame: [], connect: [] };
  const js = env.VITE_STRIPE_JS_URL || "https://js.stripe.com/v3";
  const stripe = js === "https://js.stripe.com/v3";
  return {
    script: [js],
    frame: stripe ? [js, "https://hooks.stripe.com"] : [js],
    connect: stripe ? ["https://api.stripe.com"] : [js],
  };
}

/** The URLs of VITE_PIER_RPC_URLS (JSON {"<chainId>": "<url>"}), for the CSP; the page validates them itself. */
function rpcUrlsOf(raw: string | undefined): string[] {
  if (!raw?.trim()) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== "object") return [];
    return Object.values(parsed).filter((v): v is string => typeof v === "string");
  } catch {
    return [];
  }
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, fileURLToPath(new URL(".", import.meta.url)), "");
  const apiTarget = env.PIER_API_URL || "http://127.0.0.1:4000";
  const proxy = { "/v1": { target: apiTarget, changeOrigin: true } };
  const stripe = stripeSources(env);
  return {
    plugins: [
      react(),
      walletConnectOptional(),
      preloadCheckoutRoute(),
      // CSP, frame-ancestors, nosniff, Referrer-Policy: see securityHeaders.ts (and its production note).
      securityHeaders({
        connect: [
          env.VITE_PIER_API_URL,
          env.VITE_PIER_RPC_URL,
          ...rpcUrlsOf(env.VITE_PIER_RPC_URLS),
          ...split(env.PIER_WEB_CONNECT_SRC),
          ...stripe.connect,
        ],
        script: stripe.script,
        frame: stripe.frame,
        frameAncestors: split(env.PIER_WEB_FRAME_ANCESTORS),
      }),
    ],
    server: { host: "127.0.0.1", port: 5173, strictPort: true, proxy },
    preview: { host: "127.0.0.1", port: 5173, strictPort: true, proxy },
    build: { target: "es2022", manifest: true, sourcemap: true },
  };
});
