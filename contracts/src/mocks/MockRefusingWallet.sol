// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @title MockRefusingWallet
/// @notice An ERC-1271 contract account that accepts no signature: `isValidSignature` answers with a wrong magic value,
///         or (with `reverting`) reverts. Shows that a token or the escrow never takes an ECDSA signature, or anything
///         else, in the name of a contract that does not vouch for it. Tests only.
contract MockRefusingWallet is IERC1271 {
    error SignatureRefused(bytes32 hash);

    bool public immutable reverting;

    constructor(bool reverting_) {
        reverting = reverting_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata) external view returns (bytes4) {
        if (reverting) revert SignatureRefused(hash);
        return 0xffffffff;
    }
}
