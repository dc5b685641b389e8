// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";

/// @title TestStablecoin
/// @notice "Test USD Coin" (tUSDC): a USDC-like token for local chains and testnets. 6 decimals, EIP-2612
///         `permit`, ERC-3009 `transferWithAuthorization` / `receiveWithAuthorization` / `cancelAuthorization`
///         with random (unordered) nonces like USDC, and an owner-only `mint`.
/// @dev EIP-712 domain: name "Test USD Coin", version "1", shared by permit and ERC-3009.
contract TestStablecoin is ERC20, ERC20Permit, ERC3009, Ownable {
    constructor(
        address initialOwner
    ) ERC20("Test USD Coin", "tUSDC") ERC20Permit("Test USD Coin") Ownable(initialOwner) {}

    /// @notice USDC's 6 decimals.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mint test tokens (owner only).
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
