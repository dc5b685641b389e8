/**
 * Empty blocks on the local chain cost the indexer no RPC call beyond learning of them: Hardhat computes
 * every block's logs bloom, so an all-zero bloom means the block has no logs (ChainTarget's
 * trustZeroLogsBloom, patches/ponder@0.17.7.patch). A block with a payment still has its logs fetched
 * and indexed. The indexer reaches the node through a proxy here (test/harness/faultProxy.ts) that
 * records each request, so the test reads which JSON-RPC methods it called.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultProxy, startFaultProxy } from "../../test/harness/faultProxy.ts";
import { blockNumber, evmMine } from "../../test/harness/payments.ts";
import { type Stack, startStack } from "../../test/harness/stack.ts";
import { paymentById, waitForIndexedBlock } from "./tables.ts";

let stack: Stack;
let starting: Promise<Stack> | undefined;
let proxy: FaultProxy | undefined;

/** The JSON-RPC method of every call the proxy forwarded, from its `from`th request on (batches too). */
const methodsSince = (from: number): string[] =>
  proxy!.seen.slice(from).flatMap((r) => [JSON.parse(r.body)].flat().map((call) => String(call.method)));

beforeAll(async () => {
  starting = startStack({ indexer: false });
  stack = await starting;
  proxy = await startFaultProxy(stack.chain.rpcUrl);
  await stack.startIndexer({ rpcUrl: proxy.url });
  await waitForIndexedBlock(stack);
});

afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
  await proxy?.close();
});

describe("indexer: empty blocks on the local chain", () => {
  it("indexes empty blocks without fetching their logs or bodies, and still fetches a payment's logs", async () => {
    const rpcUrl = stack.chain.rpcUrl;
    const before = proxy!.seen.length;
    await evmMine(rpcUrl, 5);
    await waitForIndexedBlock(stack, await blockNumber(rpcUrl));
    const duringEmpty = methodsSince(before);
    // The indexer did learn of the blocks through the proxy (so the check below is not vacuous)...
    expect(duringEmpty).toContain("eth_getBlockByNumber");
    // ...and asked for nothing more about them.
    expect(duringEmpty.filter((m) => m === "eth_getLogs" || m === "eth_getBlockByHash")).toEqual([]);

    const afterEmpty = proxy!.seen.length;
    const paid = await stack.pay.payByAllowance(await stack.pay.newTerms());
    await waitForIndexedBlock(stack, paid.receipt.blockNumber);
    expect(methodsSince(afterEmpty)).toContain("eth_getLogs");
    expect((await paymentById(stack, paid.paymentId))?.status).toBe("escrowed");
  });
});
