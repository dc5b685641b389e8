/**
 * PaymentEscrow's deterministic address: it is deployed through the standard deterministic deployment
 * proxy (a CREATE2 factory at the same address on nearly every EVM chain, github.com/Arachnid/
 * deterministic-deployment-proxy), so its address depends only on the factory, the salt and the init
 * code — the escrow's bytecode plus its constructor arguments (owner, arbiter, fee recipient, max fee).
 * The same arguments give the same escrow address on every chain; other arguments, another address.
 * A change to the contract's code (or to the compiler settings) also gives another address.
 * SpendPermissions is deployed the same way beside it; its only constructor argument is the escrow, so
 * one escrow address gives one SpendPermissions address on every chain.
 */
import { type Address, encodeDeployData, getContractAddress, type Hex, keccak256, stringToHex } from "viem";
import { paymentEscrowAbi, spendPermissionsAbi } from "../generated/abis.ts";
import { paymentEscrowBytecode, spendPermissionsBytecode } from "../generated/bytecode.ts";

/** The factory: calldata is a 32-byte salt followed by the init code; it returns the new address. */
export const DETERMINISTIC_DEPLOYER: Address = "0x4e59b44847b379578588920cA78FbF26c0B4956C";

/**
 * The factory's runtime code, for dev chains where it is missing (installed with hardhat_setCode). It is
 * the runtime part of the factory's presigned deployment transaction; test/system/deploy.test.ts deploys
 * through it and checks the CREATE2 address.
 */
export const DETERMINISTIC_DEPLOYER_RUNTIME: Hex =
  "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3";

/** Pier's salt for the escrow. A new salt (v2) gives new addresses everywhere. */
export const ESCROW_SALT: Hex = keccak256(stringToHex("pier.PaymentEscrow.v1"));

export interface EscrowConstructorArgs {
  owner: Address;
  arbiter: Address;
  feeRecipient: Address;
  maxFeeBps: number;
}

/** The escrow's init code: creation bytecode with the ABI-encoded constructor arguments appended. */
export function escrowInitCode(args: EscrowConstructorArgs): Hex {
  return encodeDeployData({
    abi: paymentEscrowAbi,
    bytecode: paymentEscrowBytecode,
    args: [args.owner, args.arbiter, args.feeRecipient, args.maxFeeBps],
  });
}

/** Where the escrow with these constructor arguments lives (or will live) on any chain. */
export function escrowAddress(args: EscrowConstructorArgs): Address {
  return getContractAddress({
    opcode: "CREATE2",
    from: DETERMINISTIC_DEPLOYER,
    salt: ESCROW_SALT,
    bytecode: escrowInitCode(args),
  });
}

/** Pier's salt for SpendPermissions. */
export const SPEND_PERMISSIONS_SALT: Hex = keccak256(stringToHex("pier.SpendPermissions.v1"));

/** SpendPermissions' init code for the escrow at `escrow`. */
export function spendPermissionsInitCode(escrow: Address): Hex {
  return encodeDeployData({ abi: spendPermissionsAbi, bytecode: spendPermissionsBytecode, args: [escrow] });
}

/** Where the SpendPermissions of the escrow at `escrow` lives (or will live) on any chain. */
export function spendPermissionsAddress(escrow: Address): Address {
  return getContractAddress({
    opcode: "CREATE2",
    from: DETERMINISTIC_DEPLOYER,
    salt: SPEND_PERMISSIONS_SALT,
    bytecode: spendPermissionsInitCode(escrow),
  });
}
