/**
 * contracts/lib/typedData.ts without a chain: the typed data hashes to what the standards define, and
 * `v, r, s` splitting takes plain ECDSA signatures only. (On chain, against the tokens: payTerms.test.ts.)
 */
import {
  type Hex,
  hashTypedData,
  keccak256,
  recoverTypedDataAddress,
  serializeErc6492Signature,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  NotEcdsaSignatureError,
  permitTypedData,
  permitTypes,
  receiveWithAuthorizationTypedData,
  receiveWithAuthorizationTypes,
  splitSignature,
} from "../lib/typedData.ts";

// A throwaway key for signatures that never touch a chain.
const signer = privateKeyToAccount(keccak256(toHex("pier typedData.test signer")));
const domain = {
  name: "Test USD Coin",
  version: "1",
  chainId: 31337,
  verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
} as const;
const permitMessage = {
  owner: signer.address,
  spender: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  value: 10_000_000n,
  nonce: 0n,
  deadline: 1_767_225_600n,
} as const;

/** The type string of the primary type, as EIP-712 encodeType writes it. */
function encodeType(types: Record<string, readonly { name: string; type: string }[]>, primary: string) {
  return `${primary}(${types[primary]!.map((f) => `${f.type} ${f.name}`).join(",")})`;
}

describe("typed data", () => {
  it("default: the type hashes are the standards' (EIP-2612, ERC-3009)", () => {
    expect(keccak256(toHex(encodeType(permitTypes, "Permit")))).toBe(
      keccak256(toHex("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")),
    );
    expect(keccak256(toHex(encodeType(receiveWithAuthorizationTypes, "ReceiveWithAuthorization")))).toBe(
      keccak256(
        toHex(
          "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)",
        ),
      ),
    );
  });

  it("behavior: a signature over the typed data recovers its signer", async () => {
    const permit = permitTypedData(domain, permitMessage);
    const signature = await signer.signTypedData(permit);
    expect(await recoverTypedDataAddress({ ...permit, signature })).toBe(signer.address);
    const authorization = receiveWithAuthorizationTypedData(domain, {
      from: signer.address,
      to: permitMessage.spender,
      value: 1n,
      validAfter: 0n,
      validBefore: permitMessage.deadline,
      nonce: keccak256(toHex("nonce")),
    });
    expect(hashTypedData(authorization)).not.toBe(hashTypedData(permit));
    const signed = await signer.signTypedData(authorization);
    expect(await recoverTypedDataAddress({ ...authorization, signature: signed })).toBe(signer.address);
  });
});

describe("splitSignature", () => {
  it("default: a 65-byte signature splits into r, s and v 27/28", async () => {
    const signature = await signer.signTypedData(permitTypedData(domain, permitMessage));
    const { v, r, s } = splitSignature(signature);
    expect([27, 28]).toContain(v);
    expect(`${r}${s.slice(2)}${v.toString(16)}`).toBe(signature);
  });

  it("behavior: v given as 0/1 (yParity) becomes 27/28", () => {
    const rs = `0x${"11".repeat(32)}${"22".repeat(32)}`;
    expect(splitSignature(`${rs}00` as Hex).v).toBe(27);
    expect(splitSignature(`${rs}01` as Hex).v).toBe(28);
  });

  it("behavior: an EIP-2098 64-byte compact signature gives the same v, r, s as its 65-byte form", async () => {
    const signature = await signer.signTypedData(permitTypedData(domain, permitMessage));
    const full = splitSignature(signature);
    const yParityAndS = (BigInt(full.s) | (BigInt(full.v - 27) << 255n)).toString(16).padStart(64, "0");
    expect(splitSignature(`${full.r}${yParityAndS}`)).toEqual(full);
  });

  it("error: a smart-contract account's signature (ERC-6492, ERC-1271 bytes) throws NotEcdsaSignatureError", async () => {
    const inner = await signer.signTypedData(permitTypedData(domain, permitMessage));
    const erc6492 = serializeErc6492Signature({
      address: "0x0000000000000000000000000000000000001234",
      data: "0xdeadbeef",
      signature: inner,
    });
    for (const signature of [erc6492, `${inner}${"00".repeat(20)}` as Hex, "0x" as Hex, "0x1234" as Hex]) {
      const error = (() => {
        try {
          splitSignature(signature);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(NotEcdsaSignatureError);
      expect((error as NotEcdsaSignatureError).bytes).toBe((signature.length - 2) / 2);
    }
  });

  it("error: 65 bytes whose v is not 27/28 (nor 0/1) are not ECDSA", () => {
    expect(() => splitSignature(`0x${"11".repeat(64)}05`)).toThrow(NotEcdsaSignatureError);
  });
});
