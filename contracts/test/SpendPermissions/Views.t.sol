// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ISpendPermissions} from "../../src/interfaces/ISpendPermissions.sol";
import {SpendPermissionsFixture} from "../base/SpendPermissionsFixture.sol";

/// @notice The views: the id/digest against an independent computation, validity over a permission's life, the
///         current period's bounds (the last one cut by `end`) and what remains in it.
contract ViewsTest is SpendPermissionsFixture {
    ISpendPermissions.SpendPermission internal p;

    function setUp() public override {
        super.setUp();
        p = _permission();
    }

    function test_succeeds_permissionHashIsTheEip712Digest() public view {
        assertEq(permissions.permissionHash(p), _permissionDigest(p));
        assertEq(permissions.SPEND_PERMISSION_TYPEHASH(), SPEND_PERMISSION_TYPEHASH);
    }

    function test_succeeds_everyFieldChangesTheHash() public view {
        bytes32 base = permissions.permissionHash(p);
        for (uint256 field; field < 9; ++field) {
            ISpendPermissions.SpendPermission memory q = _permission();
            if (field == 0) q.account = payer2;
            if (field == 1) q.operator = stranger;
            if (field == 2) q.merchant = merchant2;
            if (field == 3) q.token = address(rusdc);
            if (field == 4) q.allowance += 1;
            if (field == 5) q.period += 1;
            if (field == 6) q.start += 1;
            if (field == 7) q.end += 1;
            if (field == 8) q.salt = 1;
            assertNotEq(permissions.permissionHash(q), base);
            assertEq(permissions.permissionHash(q), _permissionDigest(q));
        }
    }

    function test_succeeds_addressesOfTheEscrowAndDeployer() public view {
        assertEq(address(permissions.escrow()), address(escrow));
        assertEq(permissions.counterfactualDeployer(), escrow.counterfactualDeployer());
    }

    function test_succeeds_isValidOverALifetime() public {
        p.start = uint48(_now() + 1 days);
        p.end = p.start + PERIOD;
        assertFalse(permissions.isValid(p), "not approved");
        vm.prank(payer);
        permissions.approve(p);
        assertFalse(permissions.isValid(p), "not started");
        vm.warp(p.start);
        assertTrue(permissions.isValid(p));
        vm.warp(p.end - 1);
        assertTrue(permissions.isValid(p));
        vm.warp(p.end);
        assertFalse(permissions.isValid(p), "ended");
        vm.warp(p.start);
        vm.prank(payer);
        permissions.revoke(p);
        assertFalse(permissions.isValid(p), "revoked");
    }

    function test_succeeds_currentPeriodBoundsAndSpend() public {
        _approveAsAccount(p);
        _charge(p, AMOUNT);
        (uint48 start, uint48 end, uint160 spent) = permissions.currentPeriod(p);
        assertEq(start, p.start);
        assertEq(end, p.start + PERIOD);
        assertEq(spent, AMOUNT);
        vm.warp(p.start + 3 * uint256(PERIOD) + 17);
        (start, end, spent) = permissions.currentPeriod(p);
        assertEq(start, p.start + 3 * PERIOD);
        assertEq(end, p.start + 4 * PERIOD);
        assertEq(spent, 0, "a new period");
    }

    function test_succeeds_lastPeriodEndsAtTheEnd() public {
        // DURATION is 365 days: the 13th period (index 12) is 5 days long.
        vm.warp(p.end - 1);
        (uint48 start, uint48 end, ) = permissions.currentPeriod(p);
        assertEq(start, p.start + 12 * PERIOD);
        assertEq(end, p.end);
    }

    function test_succeeds_remainingInPeriod() public {
        assertEq(permissions.remainingInPeriod(p), ALLOWANCE, "before approval: what a first charge could take");
        _approveAsAccount(p);
        _charge(p, AMOUNT);
        assertEq(permissions.remainingInPeriod(p), ALLOWANCE - AMOUNT);
        _warpToPeriod(p, 1);
        assertEq(permissions.remainingInPeriod(p), ALLOWANCE);
        vm.warp(p.end);
        assertEq(permissions.remainingInPeriod(p), 0, "ended");
    }

    function test_succeeds_remainingIsZeroForAZeroPeriod() public {
        p.period = 0;
        assertEq(permissions.remainingInPeriod(p), 0);
        assertFalse(permissions.isValid(p));
    }

    function test_reverts_when_currentPeriodOutsideTheWindow() public {
        p.start = uint48(_now() + 1);
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.PermissionNotStarted.selector, p.start, _now()));
        permissions.currentPeriod(p);
        vm.warp(p.end);
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.PermissionExpired.selector, p.end, _now()));
        permissions.currentPeriod(p);
    }

    function test_reverts_when_currentPeriodOfAZeroPeriod() public {
        p.period = 0;
        vm.expectRevert(ISpendPermissions.ZeroPeriod.selector);
        permissions.currentPeriod(p);
    }
}
