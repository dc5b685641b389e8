/**
 * Where webhooks may go. Live mode: https only, and never a loopback, private, link-local or otherwise
 * reserved address (checked on the literal host and on every address the name resolves to, at creation
 * and again before each delivery). Test mode: http allowed, and loopback too, for a receiver on the
 * developer's machine; private and link-local ranges stay refused.
 */
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { InvalidRequestError } from "../errors.ts";

export async function assertDeliverableUrl(raw: string, livemode: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidRequestError("url_invalid", "url is not a valid URL", "url");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && !livemode)) {
    throw new InvalidRequestError(
      "url_invalid",
      livemode ? "Live-mode endpoints must use https" : "url must be http(s)",
      "url",
    );
  }
  if (url.username || url.password)
    throw new InvalidRequestError("url_invalid", "url must not contain credentials", "url");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = ipaddr.isValid(host) ? [host] : await resolve(host, livemode);
  for (const address of addresses) {
    const range = rangeOf(address);
    const allowed = range === "unicast" || (!livemode && range === "loopback");
    if (!allowed) {
      throw new InvalidRequestError(
        "url_not_allowed",
        `Webhook endpoints in ${livemode ? "live" : "test"} mode may not point at a ${range} address (${address})`,
        "url",
      );
    }
  }
  return url;
}

async function resolve(host: string, livemode: boolean): Promise<string[]> {
  if (host === "localhost" || host.endsWith(".localhost")) return ["127.0.0.1"];
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    // Unresolvable now: refuse in live mode (we could not check it); test mode accepts and retries later.
    if (livemode) throw new InvalidRequestError("url_invalid", `Cannot resolve ${host}`, "url");
    return [];
  }
}

function rangeOf(address: string): string {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range();
}
