// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {ISpendPermissions} from "../../src/interfaces/ISpendPermissions.sol";
import {Vm} from "../base/Vm.sol";
import {SpendPermissionsFixture} from "../base/SpendPermissionsFixture.sol";

/// @notice Gas of a recurring charge, measured as in PaymentEscrow/Gas.t.sol (execution gas: a transaction's gas used
///         minus 21,000 and its calldata cost, in isolation mode so storage is cold as on chain). Warm state: the
///         permission is approved and was charged in an earlier period (its slot is non-zero), the payer, merchant and
///         escrow hold balances. These tests compile the contracts through the legacy pipeline; the deployed (IR)
///         contracts are measured by `./scripts/bench gas` (`subscriptionCharge`).
contract SpendPermissionsGasTest is SpendPermissionsFixture {
    bytes4 internal constant COVERAGE_MARKER_PREFIX = 0xc0bec0be;

    /// @dev About 99k measured (legacy pipeline): the escrowed payment, one permission slot and one more token hop.
    uint256 internal constant RECURRING_CHARGE_BUDGET = 110_000;

    ISpendPermissions.SpendPermission internal p;

    function setUp() public override {
        super.setUp();
        vm.skip(_instrumentedForCoverage());
        p = _permission();
        _approveAsAccount(p);
        _charge(p, AMOUNT);
        usdc.mint(merchant, 1);
    }

    function _instrumentedForCoverage() internal view returns (bool) {
        bytes memory code = address(permissions).code;
        for (uint256 i; i + 8 <= code.length; ++i) {
            if (
                code[i] == 0x73 &&
                bytes4(bytes.concat(code[i + 1], code[i + 2], code[i + 3], code[i + 4])) == COVERAGE_MARKER_PREFIX
            ) {
                return true;
            }
        }
        return false;
    }

    function _executionGas(bytes memory callData) internal view returns (uint256) {
        Vm.Gas memory gas = vm.lastCallGas();
        uint256 calldataCost;
        for (uint256 i; i < callData.length; ++i) {
            calldataCost += callData[i] == 0 ? 4 : 16;
        }
        return uint256(gas.gasTotalUsed) - 21_000 - calldataCost;
    }

    /// hardhat-config: isolate = true
    function test_succeeds_recurringChargeWithinBudget() public {
        _warpToPeriod(p, 1);
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(AMOUNT);
        bytes memory operatorSignature = _signTerms(terms);
        vm.prank(operator);
        permissions.charge(p, "", terms, operatorSignature);
        uint256 used = _executionGas(abi.encodeCall(ISpendPermissions.charge, (p, "", terms, operatorSignature)));
        assertEq(permissions.permissionState(_permissionDigest(p)).periodIndex, 1, "charged in period 1");
        assertLe(used, RECURRING_CHARGE_BUDGET, string.concat("recurring charge: ", vm.toString(used)));
    }
}
