// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantToken
/// @notice Test token that, once armed, calls back into a target (the escrow) with stored calldata during the
///         next transfer or transferFrom and records whether that call succeeded and what it returned. Then it
///         either completes the transfer normally or, when armed with `bubble`, reverts with the callback's error
///         (so the escrow sees a failed transfer). Tests arm it with release/refund/pay/withdraw calldata and
///         check the escrow's reentrancy guard rejected the call. Anyone can mint: tests only.
contract ReentrantToken is ERC20 {
    error ReentryFailed(bytes returnData);

    address public target;
    bytes public reentryCalldata;
    bool public armed;
    bool public bubble;

    uint256 public reentryAttempts;
    bool public lastReentrySucceeded;
    bytes public lastReentryReturnData;

    constructor() ERC20("Reentrant Token", "REENT") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice On the next transfer, call `target_` with `data` (once); if `bubble_`, fail that transfer when the
    ///         call fails.
    function arm(address target_, bytes calldata data, bool bubble_) external {
        target = target_;
        reentryCalldata = data;
        armed = true;
        bubble = bubble_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (armed && from != address(0)) {
            armed = false;
            ++reentryAttempts;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory returnData) = target.call(reentryCalldata);
            lastReentrySucceeded = ok;
            lastReentryReturnData = returnData;
            if (!ok && bubble) revert ReentryFailed(returnData);
        }
        super._update(from, to, value);
    }
}
