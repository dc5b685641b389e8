/**
 * A small remote signer for tests: a JSON-RPC server on 127.0.0.1 (node:http) holding the private keys
 * it is given, answering like Web3Signer in eth1 mode: eth_accounts, eth_signTransaction (one EIP-1559
 * transaction object, hex quantities -> the signed raw transaction), eth_signTypedData_v4 ([address,
 * JSON]) and eth_sign ([address, data]). It records every request, and can be told to refuse (a
 * JSON-RPC error), to fail (HTTP 500), to hang (never answer) or to tamper with what it signs, per method.
 *
 *   const signer = await startRemoteSigner([devPrivateKey("operator")]);
 *   ... PIER_SIGNER_URL: signer.url, PIER_OPERATOR_ADDRESS: devAccount("operator").address ...
 *   await signer.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Address, type Hex, hexToBigInt, hexToNumber, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";

export interface SignerRequest {
  method: string;
  params: unknown[];
  /** The Authorization header, if any. */
  authorization?: string;
}

export type SignerFault =
  | { kind: "refuse"; code?: number; message?: string }
  | { kind: "fail" }
  | { kind: "hang" }
  /** A misbehaving signer: the params are changed before it signs (e.g. another chain id or key). */
  | { kind: "tamper"; edit: (params: unknown[]) => unknown[] };

export interface LocalRemoteSigner {
  url: string;
  addresses: Address[];
  /** Every request received, in order. */
  requests: SignerRequest[];
  /** From now on, `method` gets `fault` (undefined: answer normally again). */
  setFault(method: string, fault: SignerFault | undefined): void;
  close(): Promise<void>;
}

export async function startRemoteSigner(keys: Hex[]): Promise<LocalRemoteSigner> {
  const accounts = new Map<string, LocalAccount>();
  for (const key of keys) {
    const account = privateKeyToAccount(key);
    accounts.set(account.address.toLowerCase(), account);
  }
  const requests: SignerRequest[] = [];
  const faults = new Map<string, SignerFault>();
  const hanging = new Set<ServerResponse>();

  const handle = async (method: string, params: unknown[]): Promise<unknown> => {
    const holder = (address: unknown) => {
      const account = accounts.get(String(address).toLowerCase());
      if (!account) throw Object.assign(new Error(`unknown account ${String(address)}`), { code: -32000 });
      return account;
    };
    switch (method) {
      case "eth_accounts":
        return [...accounts.values()].map((a) => a.address.toLowerCase());
      case "eth_signTransaction": {
        const tx = params[0] as Record<string, Hex | undefined>;
        if (tx.type !== "0x2") throw Object.assign(new Error("only type 0x2"), { code: -32602 });
        return holder(tx.from).signTransaction({
          type: "eip1559",
          chainId: hexToNumber(tx.chainId!),
          nonce: hexToNumber(tx.nonce!),
          to: tx.to,
          data: tx.data,
          value: hexToBigInt(tx.value ?? "0x0"),
          gas: hexToBigInt(tx.gas!),
          maxFeePerGas: hexToBigInt(tx.maxFeePerGas!),
          maxPriorityFeePerGas: hexToBigInt(tx.maxPriorityFeePerGas!),
        });
      }
      case "eth_signTypedData_v4": {
        const [address, json] = params as [string, string];
        const { domain, types, primaryType, message } = JSON.parse(json);
        const { EIP712Domain: _, ...rest } = types;
        return holder(address).signTypedData({ domain, types: rest, primaryType, message });
      }
      case "eth_sign": {
        const [address, data] = params as [string, Hex];
        return holder(address).signMessage({ message: { raw: data } });
      }
      default:
        throw Object.assign(new Error(`method ${method} not supported`), { code: -32601 });
    }
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: { id?: unknown; method?: string; params?: unknown[] };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const method = String(body.method);
    const params = body.params ?? [];
    requests.push({ method, params, authorization: req.headers.authorization });
    const reply = (payload: object) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: body.id ?? null, ...payload }));
    };
    const fault = faults.get(method);
    if (fault?.kind === "hang") {
      hanging.add(res);
      return;
    }
    if (fault?.kind === "fail") {
      res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
      return;
    }
    if (fault?.kind === "refuse") {
      reply({ error: { code: fault.code ?? -32000, message: fault.message ?? "refused by the test" } });
      return;
    }
    try {
      reply({ result: await handle(method, fault?.kind === "tamper" ? fault.edit(params) : params) });
    } catch (error) {
      const e = error as Error & { code?: number };
      reply({ error: { code: e.code ?? -32603, message: e.message } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    addresses: [...accounts.values()].map((a) => a.address),
    requests,
    setFault(method, fault) {
      if (fault) faults.set(method, fault);
      else faults.delete(method);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
