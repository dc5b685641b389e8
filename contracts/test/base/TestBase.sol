// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Vm} from "./Vm.sol";

/// @title TestBase
/// @notice Minimal replacement for forge-std's `Test`: the cheatcode handle, assertions (backed by the assertion
///         cheatcodes, so a failure prints both values), `bound` for fuzz inputs and `_now()` for the time.
abstract contract TestBase {
    /// @dev Hardhat's marker for test contracts (as in forge-std).
    bool public IS_TEST = true;

    // solhint-disable-next-line const-name-snakecase
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    // ------------------------------------------------------------------------------------------------
    // Assertions
    // ------------------------------------------------------------------------------------------------

    function assertTrue(bool condition) internal pure {
        vm.assertTrue(condition, "expected true");
    }

    function assertTrue(bool condition, string memory err) internal pure {
        vm.assertTrue(condition, err);
    }

    function assertFalse(bool condition) internal pure {
        vm.assertFalse(condition, "expected false");
    }

    function assertFalse(bool condition, string memory err) internal pure {
        vm.assertFalse(condition, err);
    }

    function assertEq(bool left, bool right) internal pure {
        vm.assertEq(left, right, "bool mismatch");
    }

    function assertEq(bool left, bool right, string memory err) internal pure {
        vm.assertEq(left, right, err);
    }

    function assertEq(uint256 left, uint256 right) internal pure {
        vm.assertEq(left, right, "uint mismatch");
    }

    function assertEq(uint256 left, uint256 right, string memory err) internal pure {
        vm.assertEq(left, right, err);
    }

    function assertEq(address left, address right) internal pure {
        vm.assertEq(left, right, "address mismatch");
    }

    function assertEq(address left, address right, string memory err) internal pure {
        vm.assertEq(left, right, err);
    }

    function assertEq(bytes32 left, bytes32 right) internal pure {
        vm.assertEq(left, right, "bytes32 mismatch");
    }

    function assertEq(bytes32 left, bytes32 right, string memory err) internal pure {
        vm.assertEq(left, right, err);
    }

    function assertEq(bytes memory left, bytes memory right) internal pure {
        vm.assertEq(left, right, "bytes mismatch");
    }

    function assertEq(bytes memory left, bytes memory right, string memory err) internal pure {
        vm.assertEq(left, right, err);
    }

    function assertNotEq(bytes32 left, bytes32 right) internal pure {
        vm.assertNotEq(left, right, "bytes32 should differ");
    }

    function assertLe(uint256 left, uint256 right) internal pure {
        vm.assertLe(left, right, "expected left <= right");
    }

    function assertLe(uint256 left, uint256 right, string memory err) internal pure {
        vm.assertLe(left, right, err);
    }

    function assertGe(uint256 left, uint256 right) internal pure {
        vm.assertGe(left, right, "expected left >= right");
    }

    function assertLt(uint256 left, uint256 right) internal pure {
        vm.assertLt(left, right, "expected left < right");
    }

    function assertGt(uint256 left, uint256 right) internal pure {
        vm.assertGt(left, right, "expected left > right");
    }

    // ------------------------------------------------------------------------------------------------
    // Time
    // ------------------------------------------------------------------------------------------------

    /// @dev The current block timestamp. Tests read the time through this, never `block.timestamp`: compiled via IR,
    ///      the optimizer may reuse a `block.timestamp` read before a `vm.warp` (it assumes the timestamp cannot
    ///      change within a call), so a test would see the time before the warp. A cheatcode call is always re-read.
    function _now() internal view returns (uint256) {
        return vm.getBlockTimestamp();
    }

    // ------------------------------------------------------------------------------------------------
    // Fuzz helpers
    // ------------------------------------------------------------------------------------------------

    /// @dev Maps any `x` into [min, max] (inclusive) without rejecting runs, like forge-std's `bound`.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        vm.assertLe(min, max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + (x % (size + 1));
    }
}
