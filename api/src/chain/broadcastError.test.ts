import { HttpRequestError, InvalidParamsRpcError, RpcRequestError, TimeoutError } from "viem";
import { describe, expect, test } from "vitest";
import { classifyBroadcastError } from "./broadcastError.ts";

const node = (message: string, code = -32000) =>
  new InvalidParamsRpcError(new RpcRequestError({ body: {}, error: { code, message }, url: "http://node" }));

describe("classifyBroadcastError", () => {
  test("default: the node's answers by client wording", () => {
    const cases: [string, string][] = [
      ["Known transaction: 0xabc", "accepted"],
      ["already known", "accepted"],
      ["Transaction nonce too low. Expected nonce to be at least 1 but got 0.", "nonce_used"],
      ["nonce too low: next nonce 5, tx nonce 4", "nonce_used"],
      [
        "Replacement transaction underpriced. A gasPrice/maxFeePerGas of at least 2200000000 is necessary to replace the existing transaction with nonce 0.",
        "underpriced",
      ],
      ["max fee per gas less than block base fee: address 0x.., maxFeePerGas: 1, baseFee: 7", "underpriced"],
      ["insufficient funds for gas * price + value: balance 0, tx cost 21000", "waiting"],
      [
        "Sender doesn't have enough funds to send tx. The max upfront cost is: 42 and the sender's balance is: 0.",
        "waiting",
      ],
      [
        "Nonce too high. Expected nonce to be 1 but got 3. Note that transactions can't be queued when automining.",
        "waiting",
      ],
      ["txpool is full", "waiting"],
      ["intrinsic gas too low", "refused"],
      ["exceeds block gas limit", "refused"],
    ];
    for (const [message, kind] of cases)
      expect(classifyBroadcastError(node(message)).kind, message).toBe(kind);
  });

  test("behavior: no JSON-RPC answer (network, timeout, HTTP status) is transient", () => {
    const http = new HttpRequestError({ url: "http://node", status: 502, details: "Bad Gateway" });
    expect(classifyBroadcastError(http).kind).toBe("transient");
    expect(classifyBroadcastError(new TimeoutError({ body: {}, url: "http://node" })).kind).toBe("transient");
    expect(classifyBroadcastError(new Error("socket hang up")).kind).toBe("transient");
  });

  test("behavior: the refusal keeps the node's words", () => {
    expect(classifyBroadcastError(node("intrinsic gas too low"))).toEqual({
      kind: "refused",
      message: "intrinsic gas too low",
    });
  });
});
