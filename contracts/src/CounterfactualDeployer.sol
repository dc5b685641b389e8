// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title CounterfactualDeployer
/// @notice Deploys a smart-contract wallet that signed before it existed (ERC-6492): calls the factory the wrapped
///         signature names, then checks the wallet has code. The escrow creates one in its constructor and deploys
///         wallets through it, never by calling a factory itself: a wrapped signature names any contract and calldata,
///         and this contract, unlike the escrow, holds no tokens and no allowances, so such a call can take nothing.
contract CounterfactualDeployer {
    /// @notice The factory call left `account` without code: the signature's factory does not deploy it.
    error CounterfactualDeployFailed(address account);

    /// @notice Deploys `account` by calling `factory` with `factoryCalldata`, unless it has code already (a no-op
    ///         then). A reverting factory call bubbles its revert.
    function deploy(address account, address factory, bytes calldata factoryCalldata) external {
        if (account.code.length > 0) return;
        Address.functionCall(factory, factoryCalldata);
        if (account.code.length == 0) revert CounterfactualDeployFailed(account);
    }
}
