// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {SpendPermissions} from "../../src/SpendPermissions.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {ISpendPermissions} from "../../src/interfaces/ISpendPermissions.sol";
import {TestBase} from "../base/TestBase.sol";
import {SpendPermissionsHandler} from "./SpendPermissionsHandler.sol";

/// @notice The handler, declared here so its artifact is built when only this file is compiled (see
///         PaymentEscrow.invariant.t.sol).
contract SpendPermissionsInvariantHandler is SpendPermissionsHandler {}

/// @title SpendPermissionsInvariantTest
/// @notice Stateful fuzzing of SpendPermissions with the escrow behind it: random charges (in and over the cap, with
///         and without the permission's signature, before, inside and after the window), strangers charging,
///         approvals, revocations, refunds, disputes, releases, escrow pauses and a payer blacklist, with the
///         subscription invariants checked after every call.
/// @dev Runs and depth come from `test.solidity.invariant` in hardhat.config.ts. The handler catches every call and
///      judges it against its model, so a handler revert is a harness bug: `failOnRevert` is on.
contract SpendPermissionsInvariantTest is TestBase {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    SpendPermissionsInvariantHandler internal handler;
    SpendPermissions internal permissions;
    IPaymentEscrow internal escrow;

    function setUp() public {
        handler = new SpendPermissionsInvariantHandler();
        permissions = SpendPermissions(handler.permissionsUnderTest());
        escrow = IPaymentEscrow(handler.escrowUnderTest());
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = SpendPermissionsHandler.charge.selector;
        selectors[1] = SpendPermissionsHandler.chargeAsStranger.selector;
        selectors[2] = SpendPermissionsHandler.approve.selector;
        selectors[3] = SpendPermissionsHandler.revoke.selector;
        selectors[4] = SpendPermissionsHandler.refund.selector;
        selectors[5] = SpendPermissionsHandler.dispute.selector;
        selectors[6] = SpendPermissionsHandler.release.selector;
        selectors[7] = SpendPermissionsHandler.warp.selector;
        selectors[8] = SpendPermissionsHandler.setPaused.selector;
        selectors[9] = SpendPermissionsHandler.setBlacklisted.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    /// @notice 1. In every period of every permission, the sum charged is at most the allowance, and the contract's
    ///         stored spend for its latest period equals the model's.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_neverMoreThanTheAllowancePerPeriod() public view {
        uint256[2][] memory touched = handler.touched();
        for (uint256 k; k < touched.length; ++k) {
            ISpendPermissions.SpendPermission memory p = handler.permissionAt(touched[k][0]);
            uint256 charged = handler.chargedIn(touched[k][0], touched[k][1]);
            if (charged > p.allowance) vm.assertLe(charged, p.allowance, "charged above the allowance in a period");
        }
        for (uint256 i; i < handler.permissionCount(); ++i) {
            ISpendPermissions.SpendPermission memory p = handler.permissionAt(i);
            ISpendPermissions.PermissionState memory state = permissions.permissionState(permissions.permissionHash(p));
            _eq(state.spent, handler.chargedIn(i, state.periodIndex), "stored spend != model's for its period");
        }
    }

    /// @notice 2. Nothing is ever charged after a revocation, at or after the end, or before the start; no one but
    ///         the operator ever charges; every charge the rules allow succeeds and every other one fails.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_nothingChargedOutsideValidity() public view {
        _eq(handler.chargesOutsideValidity(), 0, "a charge succeeded while revoked or outside [start, end)");
        _eq(handler.unauthorizedSuccesses(), 0, "someone other than the operator charged");
        _eq(handler.unexpectedSuccesses(), 0, "an operation the rules forbid succeeded");
        _eq(handler.unexpectedReverts(), 0, "an operation the rules allow reverted");
    }

    /// @notice 3. A payer's tokens move only through its charges and their refunds: balance plus escrow credit equals
    ///         what it started with, minus what was charged, plus what was refunded to it.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_payerBalanceMovesOnlyThroughCharges() public view {
        address[2] memory tokens = handler.tokens();
        address[2] memory payers = handler.payers();
        for (uint256 t; t < tokens.length; ++t) {
            for (uint256 a; a < payers.length; ++a) {
                uint256 expected =
                    handler.initialBalance() -
                        handler.chargedFrom(payers[a], tokens[t]) +
                        handler.refundedTo(payers[a], tokens[t]);
                uint256 held = IERC20(tokens[t]).balanceOf(payers[a]) + escrow.credits(tokens[t], payers[a]);
                _eq(held, expected, "a payer's balance moved other than through its charges and refunds");
            }
        }
    }

    /// @notice 4. The escrow holds exactly what it owes for charges: the unrefunded part of every open charge plus
    ///         the payers' credits; this contract keeps no tokens and leaves the escrow no allowance.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_escrowCoversObligations() public view {
        SpendPermissionsHandler.Charge[] memory charges = handler.charges();
        address[2] memory tokens = handler.tokens();
        address[2] memory payers = handler.payers();
        for (uint256 t; t < tokens.length; ++t) {
            uint256 owed;
            for (uint256 i; i < charges.length; ++i) {
                if (charges[i].open && charges[i].payment.terms.token == tokens[t]) {
                    owed += charges[i].payment.terms.amount - charges[i].refunded;
                }
            }
            for (uint256 a; a < payers.length; ++a) owed += escrow.credits(tokens[t], payers[a]);
            _eq(IERC20(tokens[t]).balanceOf(address(escrow)), owed, "escrow balance != open charges + credits");
            _eq(IERC20(tokens[t]).balanceOf(address(permissions)), 0, "SpendPermissions kept tokens");
            _eq(IERC20(tokens[t]).allowance(address(permissions), address(escrow)), 0, "allowance left to escrow");
        }
    }

    function _eq(uint256 left, uint256 right, string memory err) internal pure {
        if (left != right) vm.assertEq(left, right, err);
    }
}
