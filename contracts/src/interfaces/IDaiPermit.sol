// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @title IDaiPermit
/// @notice The permit of MakerDAO's DAI (and tokens built on its `dai.sol`), which predates EIP-2612 and differs from
///         it: the holder signs `Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)`
///         in the token's EIP-712 domain, the nonce is an argument (it must equal `nonces(holder)`), `expiry` 0 never
///         expires, and there is no amount: `allowed` sets the allowance to `type(uint256).max`, `!allowed` to zero.
interface IDaiPermit {
    function permit(
        address holder,
        address spender,
        uint256 nonce,
        uint256 expiry,
        bool allowed,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    function nonces(address holder) external view returns (uint256);
}
