/**
 * A local ERC-7677 paymaster web service for tests: the two JSON-RPC methods a wallet calls before it sends a
 * sponsored user operation, `pm_getPaymasterStubData` and `pm_getPaymasterData`, each with params
 * `[userOp, entryPoint, chainId, context]` and the EntryPoint v0.7 answer shapes (`paymaster`, `paymasterData`,
 * gas limits for the stub, `sponsor`). Like a hosted paymaster's policy, it sponsors only operations whose every
 * call targets an allowed contract (the escrow and the token), decoding the account's batch call data; anything
 * else is a JSON-RPC error. Every request is recorded so tests can see what the wallet asked. Listens on
 * 127.0.0.1 only.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Address, decodeFunctionData, type Hex, isAddressEqual } from "viem";
import { mockSmartWalletAbi } from "../../contracts/generated/abis.ts";

export interface PaymasterRequest {
  method: string;
  params: unknown[];
  /** What the service answered: "sponsored" or the refusal's message. */
  outcome: string;
}

export interface PaymasterService {
  url: string;
  /** The address the service names as its paymaster (an arbitrary, fixed one: nothing runs there). */
  paymaster: Address;
  requests: PaymasterRequest[];
  close(): Promise<void>;
}

const ENTRY_POINT_V07 = "0x0000000071727De22E5E9d8BAf0edAc6f37da032";
const PAYMASTER = "0x00000000000000000000000000000000000a7e57" as Address;

/** The targets of a MockSmartWallet batch (executeBatch calldata), or undefined for anything else. */
function batchTargets(callData: Hex): Address[] | undefined {
  try {
    const decoded = decodeFunctionData({ abi: mockSmartWalletAbi, data: callData });
    if (decoded.functionName !== "executeBatch") return undefined;
    return decoded.args[0].map((c) => c.target);
  } catch {
    return undefined;
  }
}

export async function startPaymasterService({
  chainId,
  allowedTargets,
}: {
  chainId: number;
  allowedTargets: Address[];
}): Promise<PaymasterService> {
  const requests: PaymasterRequest[] = [];

  function answer(
    method: string,
    params: unknown[],
  ): { result?: unknown; error?: { code: number; message: string } } {
    if (method !== "pm_getPaymasterStubData" && method !== "pm_getPaymasterData")
      return { error: { code: -32601, message: `Method ${method} not found` } };
    const [userOp, entryPoint, chain] = params as [{ callData?: Hex; sender?: Address }, string, Hex];
    if (typeof entryPoint !== "string" || !isAddressEqual(entryPoint as Address, ENTRY_POINT_V07))
      return { error: { code: -32602, message: "Unsupported entry point" } };
    if (Number(chain) !== chainId) return { error: { code: -32602, message: `Unsupported chain ${chain}` } };
    const targets = userOp?.callData ? batchTargets(userOp.callData) : undefined;
    if (!targets || targets.some((t) => !allowedTargets.some((a) => isAddressEqual(a, t))))
      return { error: { code: -32602, message: "The policy does not sponsor these calls" } };
    if (method === "pm_getPaymasterData") return { result: { paymaster: PAYMASTER, paymasterData: "0x01" } };
    return {
      result: {
        sponsor: { name: "Pier test paymaster" },
        paymaster: PAYMASTER,
        paymasterData: "0x00",
        paymasterVerificationGasLimit: "0x10000",
        paymasterPostOpGasLimit: "0x8000",
        isFinal: false,
      },
    };
  }

  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      let id: unknown = null;
      let reply: { result?: unknown; error?: { code: number; message: string } };
      try {
        const parsed = JSON.parse(body) as { id?: unknown; method?: unknown; params?: unknown };
        id = parsed.id ?? null;
        const method = String(parsed.method);
        const params = Array.isArray(parsed.params) ? parsed.params : [];
        reply = answer(method, params);
        requests.push({ method, params, outcome: reply.error ? reply.error.message : "sponsored" });
      } catch {
        reply = { error: { code: -32700, message: "Parse error" } };
      }
      res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id, ...reply }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/rpc`,
    paymaster: PAYMASTER,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
