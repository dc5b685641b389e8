/**
 * Empty blocks on the local chain cost the indexer no RPC call beyond learning of them: Hardhat computes
 * every block's logs bloom, so an all-zero bloom means the block has no logs (ChainTarget's
 * trustZeroLogsBloom, patches/ponder@0.17.7.patch). A block with a payment still has its logs fetched
 * and indexed. The indexer reaches the node through a proxy here that records each JSON-RPC method.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockNumber, evmMine } from "../../test/harness/payments.ts";
import { type Stack, startStack } from "../../test/harness/stack.ts";
import { paymentById, waitForIndexedBlock } from "./tables.ts";

interface MethodRecorder {
  url: string;
  /** The JSON-RPC method of every call forwarded so far, in order. */
  methods: string[];
  server: Server;
}

let stack: Stack;
let starting: Promise<Stack> | undefined;
let proxy: MethodRecorder | undefined;

/** Forwards every request to `target` and records the JSON-RPC method of each call (batches too). */
async function startMethodRecorder(target: string): Promise<MethodRecorder> {
  const methods: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      for (const call of [JSON.parse(body.toString("utf8"))].flat()) methods.push(String(call.method));
      try {
        const upstream = await fetch(target, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        res.writeHead(upstream.status, { "content-type": "application/json" });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, methods, server };
}

beforeAll(async () => {
  starting = startStack({ indexer: false });
  stack = await starting;
  proxy = await startMethodRecorder(stack.chain.rpcUrl);
  await stack.startIndexer({ rpcUrl: proxy.url });
  await waitForIndexedBlock(stack);
});

afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
  if (proxy) {
    proxy.server.closeAllConnections();
    await new Promise((resolve) => proxy?.server.close(resolve));
  }
});

describe("indexer: empty blocks on the local chain", () => {
  it("indexes empty blocks without fetching their logs or bodies, and still fetches a payment's logs", async () => {
    const recorder = proxy!;
    const rpcUrl = stack.chain.rpcUrl;
    const before = recorder.methods.length;
    await evmMine(rpcUrl, 5);
    await waitForIndexedBlock(stack, await blockNumber(rpcUrl));
    const duringEmpty = recorder.methods.slice(before);
    // The indexer did learn of the blocks through the proxy (so the check below is not vacuous)...
    expect(duringEmpty).toContain("eth_getBlockByNumber");
    // ...and asked for nothing more about them.
    expect(duringEmpty.filter((m) => m === "eth_getLogs" || m === "eth_getBlockByHash")).toEqual([]);

    const afterEmpty = recorder.methods.length;
    const paid = await stack.pay.payByAllowance(await stack.pay.newTerms());
    await waitForIndexedBlock(stack, paid.receipt.blockNumber);
    expect(recorder.methods.slice(afterEmpty)).toContain("eth_getLogs");
    expect((await paymentById(stack, paid.paymentId))?.status).toBe("escrowed");
  });
});
