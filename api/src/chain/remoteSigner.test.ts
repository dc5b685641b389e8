import { devAccount, devPrivateKey } from "@pier/contracts/accounts";
import { escrowDomain, onchainOrderId, type PaymentTerms, paymentTermsTypes } from "@pier/contracts/terms";
import { getAddress, parseTransaction, recoverTransactionAddress, verifyTypedData } from "viem";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { type LocalRemoteSigner, startRemoteSigner } from "../../../test/harness/remoteSigner.ts";
import { loadConfig } from "../config.ts";
import { ConfigError } from "../lib/env.ts";
import { createRemoteSigner, RemoteSignerError, verifyRemoteAccounts } from "./remoteSigner.ts";
import { loadSigners } from "./signers.ts";
import { createTermsSigner, operatorTermsSigner } from "./termsSigner.ts";

const operator = devAccount("operator").address;
const keeper = devAccount("keeper").address;
const escrow = getAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3");
const terms: PaymentTerms = {
  orderId: onchainOrderId("ord_remote_1"),
  merchant: devAccount("merchant").address,
  token: getAddress("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"),
  amount: 10_000_000n,
  fee: 100_000n,
  deadline: 1_900_000_000n,
  escrowPeriod: 604_800n,
  operator,
};
const tx = {
  type: "eip1559",
  chainId: 31337,
  nonce: 7,
  to: escrow,
  data: "0xdeadbeef",
  value: 0n,
  gas: 120_000n,
  maxFeePerGas: 3_000_000_000n,
  maxPriorityFeePerGas: 1_000_000_000n,
} as const;

let signer: LocalRemoteSigner;
beforeAll(async () => {
  signer = await startRemoteSigner([devPrivateKey("operator"), devPrivateKey("keeper")]);
});
afterAll(async () => {
  await signer?.close();
});
afterEach(() => {
  signer.setFault("eth_signTransaction", undefined);
  signer.setFault("eth_signTypedData_v4", undefined);
  signer.setFault("eth_accounts", undefined);
  signer.requests.length = 0;
});

const client = (timeoutMs = 5_000, auth?: string) => createRemoteSigner({ url: signer.url, timeoutMs, auth });

describe("createRemoteSigner", () => {
  test("default: a signed transaction recovers to the address and is exactly what was asked", async () => {
    const raw = await client().account(operator).signTransaction(tx);
    expect(await recoverTransactionAddress({ serializedTransaction: raw as never })).toBe(operator);
    const { value: _, ...rest } = tx;
    expect(parseTransaction(raw)).toMatchObject({ ...rest, to: escrow.toLowerCase() });
    const [call] = signer.requests.filter((r) => r.method === "eth_signTransaction");
    expect(call!.params).toEqual([
      {
        from: operator,
        to: escrow,
        data: "0xdeadbeef",
        value: "0x0",
        gas: "0x1d4c0",
        nonce: "0x7",
        chainId: "0x7a69",
        type: "0x2",
        maxFeePerGas: "0xb2d05e00",
        maxPriorityFeePerGas: "0x3b9aca00",
      },
    ]);
  });

  test("behavior: typed data signatures verify, with EIP712Domain in the JSON sent", async () => {
    const account = client().account(operator);
    const definition = {
      domain: escrowDomain(31337, escrow),
      types: paymentTermsTypes,
      primaryType: "PaymentTerms",
      message: terms,
    } as const;
    const signature = await account.signTypedData(definition);
    expect(await verifyTypedData({ address: operator, signature, ...definition })).toBe(true);
    const [call] = signer.requests.filter((r) => r.method === "eth_signTypedData_v4");
    expect(call!.params[0]).toBe(operator);
    const sent = JSON.parse(call!.params[1] as string);
    expect(sent.primaryType).toBe("PaymentTerms");
    expect(sent.types.EIP712Domain.map((f: { name: string }) => f.name)).toEqual([
      "name",
      "version",
      "chainId",
      "verifyingContract",
    ]);
    expect(sent.message.amount).toBe("10000000");
  });

  test("behavior: the remote terms signer gives the same bytes as the raw-key fast path", async () => {
    const remote = operatorTermsSigner(client().account(operator), undefined, 31337, escrow);
    const fast = createTermsSigner(devPrivateKey("operator"), 31337, escrow);
    expect(await remote(terms)).toBe(fast(terms));
  });

  test("behavior: messages are signed with eth_sign; the Authorization header is sent", async () => {
    const signature = await client(5_000, "Bearer t0ken").account(keeper).signMessage({ message: "hello" });
    expect(signature).toBe(await devAccount("keeper").signMessage({ message: "hello" }));
    expect(signer.requests.at(-1)).toMatchObject({ method: "eth_sign", authorization: "Bearer t0ken" });
  });

  test("error: a JSON-RPC error names the signer's URL, the method and the error", async () => {
    signer.setFault("eth_signTransaction", { kind: "refuse", code: -32000, message: "key locked" });
    const attempt = client().account(operator).signTransaction(tx);
    await expect(attempt).rejects.toThrow(RemoteSignerError);
    await expect(attempt).rejects.toThrow(
      `remote signer ${signer.url}: eth_signTransaction refused: JSON-RPC error -32000: key locked`,
    );
  });

  test("error: an HTTP failure and a timeout are named too", async () => {
    signer.setFault("eth_signTypedData_v4", { kind: "fail" });
    const definition = {
      domain: escrowDomain(31337, escrow),
      types: paymentTermsTypes,
      primaryType: "PaymentTerms",
      message: terms,
    } as const;
    await expect(client().account(operator).signTypedData(definition)).rejects.toThrow(
      `remote signer ${signer.url}: eth_signTypedData_v4 answered HTTP 500 without a JSON-RPC body`,
    );
    signer.setFault("eth_signTypedData_v4", { kind: "hang" });
    await expect(client(300).account(operator).signTypedData(definition)).rejects.toThrow(
      `remote signer ${signer.url}: eth_signTypedData_v4 timed out after 300 ms`,
    );
  });

  test("error: a transaction signed for another chain or by another key is refused", async () => {
    const edit = (change: Record<string, string>) => (params: unknown[]) => [
      { ...(params[0] as object), ...change },
    ];
    // Web3Signer takes the chain id from its own settings: one set up for another chain is caught here.
    signer.setFault("eth_signTransaction", { kind: "tamper", edit: edit({ chainId: "0x1" }) });
    await expect(client().account(operator).signTransaction(tx)).rejects.toThrow(
      `remote signer ${signer.url}: eth_signTransaction returned a different transaction: chainId 1 (asked 31337)`,
    );
    signer.setFault("eth_signTransaction", { kind: "tamper", edit: edit({ from: keeper }) });
    await expect(client().account(operator).signTransaction(tx)).rejects.toThrow(
      `returned a transaction signed by ${keeper}, not ${operator}`,
    );
  });

  test("error: an address the signer does not hold fails at the first signature", async () => {
    const treasury = devAccount("treasury").address;
    await expect(client().account(treasury).signTransaction(tx)).rejects.toThrow(
      `JSON-RPC error -32000: unknown account ${treasury}`,
    );
  });
});

describe("verifyRemoteAccounts", () => {
  test("default: every configured address is held", async () => {
    await verifyRemoteAccounts(client(), [
      { role: "operator", address: operator },
      { role: "keeper", address: keeper },
    ]);
  });

  test("error: an address the signer does not hold is a ConfigError naming the role and address", async () => {
    const treasury = devAccount("treasury").address;
    const check = verifyRemoteAccounts(client(), [
      { role: "operator", address: operator },
      { role: "treasury", address: treasury },
    ]);
    await expect(check).rejects.toThrow(ConfigError);
    await expect(check).rejects.toThrow(`does not hold treasury ${treasury}`);
  });

  test("error: an unreachable signer is a ConfigError naming PIER_SIGNER_URL", async () => {
    signer.setFault("eth_accounts", { kind: "refuse", message: "forbidden" });
    const check = verifyRemoteAccounts(client(), [{ role: "operator", address: operator }]);
    await expect(check).rejects.toThrow(
      `cannot list the accounts of the remote signer PIER_SIGNER_URL=${signer.url}`,
    );
  });
});

describe("loadSigners with a remote signer", () => {
  const env = { DATABASE_URL: "postgres://x@127.0.0.1/pier", PIER_INDEXER_SCHEMA: "pier_1_abc" };

  test("default: a remote operator has no raw key, the keeper defaults to it, the roles are listed", () => {
    const config = loadConfig({ ...env, PIER_SIGNER_URL: signer.url, PIER_OPERATOR_ADDRESS: operator });
    const signers = loadSigners(config, 1, client());
    expect(signers.operator.address).toBe(operator);
    expect(signers.operator.source).toBe("custom");
    expect(signers.operatorKey).toBeUndefined();
    expect(signers.keeper).toBe(signers.operator);
    expect(signers.remote).toEqual([{ role: "operator", address: operator }]);
  });

  test("behavior: raw keys and the local dev keys are unchanged", () => {
    const local = loadSigners(loadConfig(env), 31337);
    expect(local.operatorKey).toBe(devPrivateKey("operator"));
    expect(local.operator.source).toBe("privateKey");
    expect(local.remote).toEqual([]);
    const mixed = loadSigners(
      loadConfig({ ...env, PIER_SIGNER_URL: signer.url, PIER_KEEPER_ADDRESS: keeper }),
      31337,
      client(),
    );
    expect(mixed.operatorKey).toBe(devPrivateKey("operator"));
    expect(mixed.keeper.source).toBe("custom");
  });

  test("error: off the local chain, an operator needs a key or an address", () => {
    expect(() => loadSigners(loadConfig(env), 1)).toThrow(
      /PIER_OPERATOR_KEY \(or PIER_OPERATOR_ADDRESS with PIER_SIGNER_URL\) is required on chain 1/,
    );
  });
});
