import { describe, expect, test } from "vitest";
import { choosePath, type PathInput } from "./choosePath.ts";
import { capabilitiesFrom, NO_CAPABILITIES } from "./walletCapabilities.ts";

const eoa: PathInput = {
  support: { authorization: true, permit: true, daiPermit: false },
  methods: ["authorization", "permit", "allowance"],
  preferred: null,
  contractAccount: false,
  hasGas: true,
  gasless: true,
  paymasterUrl: null,
  capabilities: NO_CAPABILITIES,
  coin: "ETH",
};
const smart: PathInput = { ...eoa, contractAccount: true, hasGas: false };
const batching = { atomic: true, paymaster: false };

describe("choosePath", () => {
  test("default: an EOA with gas in a wallet without EIP-5792 signs and sends one transaction itself", () => {
    expect(choosePath(eoa)).toMatchObject({
      method: "authorization",
      reason: expect.stringContaining("one signature, one transaction"),
    });
    expect(choosePath({ ...eoa, support: { ...eoa.support, authorization: false } }).method).toBe("permit");
  });

  test("behavior: a smart-contract account, or an EOA without gas, signs once and Pier relays when it can", () => {
    expect(choosePath(smart)).toMatchObject({
      method: "relayed",
      reason: expect.stringContaining("smart-contract account"),
    });
    // The customer's notice is a catalogue key with the coin; the timeline's reason is the same in English.
    expect(choosePath({ ...eoa, hasGas: false })).toMatchObject({
      method: "relayed",
      notice: { key: "pathReason.relayedNoGas", values: { coin: "ETH" } },
      reason:
        "Your wallet holds no ETH for the network fee: you sign once, and Pier sends the payment and pays the fee.",
    });
    // Pier does not relay here (no relayer, or a token without authorizations): not relayed.
    expect(choosePath({ ...smart, gasless: false }).method).toBe("allowance");
    expect(choosePath({ ...smart, support: { ...smart.support, authorization: false } }).method).toBe(
      "allowance",
    );
  });

  test("behavior: a wallet that batches atomically sends approve + pay in one confirmation, with the paymaster when both have one", () => {
    const batch = choosePath({ ...eoa, capabilities: batching });
    expect(batch.method).toBe("batch");
    expect(batch.paymasterUrl).toBeUndefined();
    expect(choosePath({ ...smart, gasless: false, capabilities: batching }).method).toBe("batch");
    const sponsored = choosePath({
      ...smart,
      gasless: false,
      paymasterUrl: "https://pm.example/rpc",
      capabilities: { atomic: true, paymaster: true },
    });
    expect(sponsored).toMatchObject({ method: "batch", paymasterUrl: "https://pm.example/rpc" });
    expect(sponsored.reason).toContain("pay no gas");
    // A paymaster the wallet cannot use is not asked for.
    expect(
      choosePath({ ...eoa, paymasterUrl: "https://pm.example/rpc", capabilities: batching }).paymasterUrl,
    ).toBeUndefined();
    // Relaying still comes first for a smart account.
    expect(choosePath({ ...smart, capabilities: batching }).method).toBe("relayed");
  });

  test("behavior: what was refused in this attempt is left out, falling to the next best", () => {
    expect(choosePath({ ...smart, capabilities: batching, excluded: ["relayed"] }).method).toBe("batch");
    expect(choosePath({ ...smart, capabilities: batching, excluded: ["relayed", "batch"] }).method).toBe(
      "allowance",
    );
    expect(choosePath({ ...eoa, hasGas: false, excluded: ["relayed"] }).method).toBe("authorization");
  });

  test("behavior: ?pay_method= naming a one-step method is honoured over relaying and batching", () => {
    expect(choosePath({ ...eoa, hasGas: false, capabilities: batching, preferred: "permit" }).method).toBe(
      "permit",
    );
    expect(choosePath({ ...eoa, capabilities: batching, preferred: "allowance" }).method).toBe("allowance");
  });
});

describe("capabilitiesFrom", () => {
  test("behavior: EIP-5792's atomic status (supported or ready), the older atomicBatch, and paymasterService", () => {
    expect(capabilitiesFrom({ atomic: { status: "supported" } })).toEqual({ atomic: true, paymaster: false });
    expect(capabilitiesFrom({ atomic: { status: "ready" }, paymasterService: { supported: true } })).toEqual({
      atomic: true,
      paymaster: true,
    });
    expect(capabilitiesFrom({ atomic: { status: "unsupported" } })).toEqual(NO_CAPABILITIES);
    expect(capabilitiesFrom({ atomicBatch: { supported: true } }).atomic).toBe(true);
    expect(capabilitiesFrom(undefined)).toEqual(NO_CAPABILITIES);
    expect(capabilitiesFrom("nonsense")).toEqual(NO_CAPABILITIES);
  });
});
