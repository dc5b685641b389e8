/**
 * tokenAbi.ts and typedData.ts spell their ABIs and EIP-712 types out as JSON (so the checkout need not
 * ship viem's signature parser): each must equal what viem parses from the standard's own signature.
 */
import { parseAbi, parseAbiParameters } from "viem";
import { describe, expect, test } from "vitest";
import { daiPermitAbi, eip2612Abi, eip5267Abi, erc3009Abi, tokenVersionAbi } from "../lib/tokenAbi.ts";
import { daiPermitTypes, permitTypes, receiveWithAuthorizationTypes } from "../lib/typedData.ts";

describe("token ABIs written out", () => {
  test("default: each ABI equals viem's parse of the standard's signatures", () => {
    expect(eip2612Abi).toEqual(
      parseAbi([
        "function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)",
        "function nonces(address owner) view returns (uint256)",
        "function DOMAIN_SEPARATOR() view returns (bytes32)",
      ]),
    );
    expect(daiPermitAbi).toEqual(
      parseAbi([
        "function permit(address holder, address spender, uint256 nonce, uint256 expiry, bool allowed, uint8 v, bytes32 r, bytes32 s)",
        "function nonces(address holder) view returns (uint256)",
      ]),
    );
    expect(erc3009Abi).toEqual(
      parseAbi([
        "function authorizationState(address authorizer, bytes32 nonce) view returns (bool)",
        "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
        "function receiveWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
        "function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
      ]),
    );
    expect(eip5267Abi).toEqual(
      parseAbi([
        "function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)",
      ]),
    );
    expect(tokenVersionAbi).toEqual(parseAbi(["function version() view returns (string)"]));
  });

  test("default: each EIP-712 type equals viem's parse of the standard's type string", () => {
    expect(permitTypes.Permit).toEqual(
      parseAbiParameters("address owner, address spender, uint256 value, uint256 nonce, uint256 deadline"),
    );
    expect(receiveWithAuthorizationTypes.ReceiveWithAuthorization).toEqual(
      parseAbiParameters(
        "address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce",
      ),
    );
    expect(daiPermitTypes.Permit).toEqual(
      parseAbiParameters("address holder, address spender, uint256 nonce, uint256 expiry, bool allowed"),
    );
  });
});
