// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {ISpendPermissions} from "../../src/interfaces/ISpendPermissions.sol";
import {executionGas, instrumentedForCoverage} from "../base/GasMeasure.sol";
import {SpendPermissionsFixture} from "../base/SpendPermissionsFixture.sol";

/// @notice Gas of a recurring charge, measured as in PaymentEscrow/Gas.t.sol (execution gas: a transaction's gas used
///         minus 21,000 and its calldata cost, in isolation mode so storage is cold as on chain). Warm state: the
///         permission is approved and was charged in an earlier period (its slot is non-zero), the payer, merchant and
///         escrow hold balances. SpendPermissions, the escrow and the token are deployed from their build artifacts (the
///         shipped bytecode: IR pipeline, optimized); `./scripts/bench gas` (`subscriptionCharge`) measures the same
///         contracts on a node.
contract SpendPermissionsGasTest is SpendPermissionsFixture {
    /// @dev About 93k (`./scripts/bench gas`, subscriptionCharge): the escrowed payment, one permission slot and one
    ///      more token hop.
    uint256 internal constant RECURRING_CHARGE_BUDGET = 110_000;

    ISpendPermissions.SpendPermission internal p;

    function _deployArtifacts() internal pure override returns (bool) {
        return true;
    }

    function setUp() public override {
        super.setUp();
        vm.skip(instrumentedForCoverage(address(permissions)));
        p = _permission();
        _approveAsAccount(p);
        _charge(p, AMOUNT);
        usdc.mint(merchant, 1);
    }

    /// @dev Execution gas of the last top-level call (GasMeasure.sol's definition).
    function _executionGas(bytes memory callData) internal view returns (uint256) {
        return executionGas(vm.lastCallGas(), callData);
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
