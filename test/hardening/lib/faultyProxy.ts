/**
 * A loopback TCP proxy in front of a server (the chain's JSON-RPC) whose behaviour can be switched at
 * run time: "pass" forwards, "reset" drops every connection at once (connection errors), "hang" accepts
 * and never answers (timeouts). Switching away from "hang" or "pass" closes the connections held.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export type ProxyMode = "pass" | "reset" | "hang";

export interface FaultyProxy {
  url: string;
  mode: ProxyMode;
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  const proxy = { mode: "pass" as ProxyMode } as FaultyProxy;
  const server: Server = createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => {});
    if (proxy.mode === "reset") return client.resetAndDestroy();
    if (proxy.mode === "hang") return;
    const upstream = connect(Number(port), hostname);
    open.add(upstream);
    upstream.on("close", () => open.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("proxy did not listen");
  proxy.url = `http://127.0.0.1:${address.port}`;
  proxy.setMode = (mode) => {
    proxy.mode = mode;
    for (const s of open) s.destroy();
  };
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
