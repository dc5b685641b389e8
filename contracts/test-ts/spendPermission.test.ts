/**
 * contracts/lib/spendPermission.ts without a chain: its typed data hashes exactly as
 * SpendPermissions.sol does, the type string read from the contract's source rather than copied.
 * (The Solidity tests check the contract's `permissionHash` against the same formula.)
 */
import { readFileSync } from "node:fs";
import {
  concat,
  encodeAbiParameters,
  keccak256,
  parseAbiParameters,
  recoverTypedDataAddress,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  type SpendPermission,
  spendPermissionHash,
  spendPermissionTypedData,
} from "../lib/spendPermission.ts";

const signer = privateKeyToAccount(keccak256(toHex("pier spendPermission.test signer")));
const contract = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;
const permission: SpendPermission = {
  account: signer.address,
  operator: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  merchant: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  token: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  allowance: 25_000_000n,
  period: 30 * 24 * 3600,
  start: 1_767_225_600,
  end: 1_767_225_600 + 365 * 24 * 3600,
  salt: 42n,
};

/** The `SPEND_PERMISSION_TYPEHASH` string in SpendPermissions.sol, its adjacent literals joined. */
function solidityTypeString(): string {
  const source = readFileSync(new URL("../src/SpendPermissions.sol", import.meta.url), "utf8");
  const declaration = source.match(/SPEND_PERMISSION_TYPEHASH = keccak256\(([\s\S]*?)\);/);
  if (!declaration?.[1]) throw new Error("SPEND_PERMISSION_TYPEHASH not found in SpendPermissions.sol");
  return [...declaration[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]).join("");
}

/** The contract's formula: keccak256("\x19\x01" ‖ domainSeparator ‖ keccak256(abi.encode(typehash, p))). */
function digestAsTheContract(chainId: number, verifyingContract: `0x${string}`, p: SpendPermission) {
  const domainSeparator = keccak256(
    encodeAbiParameters(parseAbiParameters("bytes32, bytes32, bytes32, uint256, address"), [
      keccak256(toHex("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")),
      keccak256(toHex("Pier SpendPermissions")),
      keccak256(toHex("1")),
      BigInt(chainId),
      verifyingContract,
    ]),
  );
  const structHash = keccak256(
    encodeAbiParameters(
      parseAbiParameters(
        "bytes32, address, address, address, address, uint160, uint48, uint48, uint48, uint256",
      ),
      [
        keccak256(toHex(solidityTypeString())),
        p.account,
        p.operator,
        p.merchant,
        p.token,
        p.allowance,
        p.period,
        p.start,
        p.end,
        p.salt,
      ],
    ),
  );
  return keccak256(concat(["0x1901", domainSeparator, structHash]));
}

describe("spendPermissionHash", () => {
  it("default: equals the contract's digest formula with its type string", () => {
    expect(solidityTypeString()).toMatch(/^SpendPermission\(address account,/);
    expect(spendPermissionHash(31337, contract, permission)).toBe(
      digestAsTheContract(31337, contract, permission),
    );
  });

  it("behavior: binds the chain and the contract", () => {
    const here = spendPermissionHash(31337, contract, permission);
    expect(spendPermissionHash(8453, contract, permission)).not.toBe(here);
    expect(spendPermissionHash(31337, permission.token, permission)).not.toBe(here);
  });

  it("behavior: a wallet's signature of the typed data recovers to the account", async () => {
    const typedData = spendPermissionTypedData(31337, contract, permission);
    const signature = await signer.signTypedData(typedData);
    expect(await recoverTypedDataAddress({ ...typedData, signature })).toBe(signer.address);
  });
});
