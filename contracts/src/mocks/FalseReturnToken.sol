// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FalseReturnToken
/// @notice Test token that returns `false` instead of reverting: on every transfer and transferFrom while
///         `failAll` is set, and on every transfer to a flagged recipient. Nothing moves when it returns false.
///         Anyone can mint and flag: tests only.
contract FalseReturnToken is ERC20 {
    bool public failAll;
    mapping(address account => bool) public flagged;

    constructor() ERC20("False Return", "FALSE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFailAll(bool failAll_) external {
        failAll = failAll_;
    }

    function setFlagged(address account, bool flagged_) external {
        flagged[account] = flagged_;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (failAll || flagged[to]) return false;
        return super.transfer(to, value);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (failAll || flagged[to]) return false;
        return super.transferFrom(from, to, value);
    }
}
