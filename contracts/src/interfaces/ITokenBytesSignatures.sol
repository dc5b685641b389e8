// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @title IERC20PermitBytes
/// @notice EIP-2612 `permit` with a `bytes` signature (USDC v2.2, EURC): a 65-byte ECDSA signature, or anything an
///         ERC-1271 contract account accepts.
interface IERC20PermitBytes {
    function permit(address owner, address spender, uint256 value, uint256 deadline, bytes calldata signature) external;
}

/// @title IERC3009Bytes
/// @notice ERC-3009 `receiveWithAuthorization` with a `bytes` signature (USDC v2.2, EURC), checked with ERC-1271 for
///         contract accounts.
interface IERC3009Bytes {
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;
}
