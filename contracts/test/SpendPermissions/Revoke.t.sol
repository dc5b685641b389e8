// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ISpendPermissions} from "../../src/interfaces/ISpendPermissions.sol";
import {SpendPermissionsFixture} from "../base/SpendPermissionsFixture.sol";

/// @notice `revoke`: the account alone, one plain call, approved or not, with Pier's escrow paused; permanent for that
///         permission (a new salt makes a new one).
contract RevokeTest is SpendPermissionsFixture {
    function test_succeeds_revokingAnApprovedPermission() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        _approveAsAccount(p);
        bytes32 hash = _permissionDigest(p);
        vm.expectEmit(address(permissions));
        emit ISpendPermissions.SpendPermissionRevoked(hash, payer);
        vm.prank(payer);
        permissions.revoke(p);
        assertTrue(permissions.permissionState(hash).revoked);
        assertFalse(permissions.isValid(p));
        assertEq(permissions.remainingInPeriod(p), 0);
    }

    function test_succeeds_revokingASignatureNobodySubmittedYet() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        bytes memory signature = _signPermission(PAYER_KEY, p);
        _allowSpending(payer, address(usdc));
        vm.prank(payer);
        permissions.revoke(p);
        // Neither the signature alone nor a first charge carrying it can bring the permission back.
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.PermissionRevoked.selector, _permissionDigest(p)));
        permissions.approveWithSignature(p, signature);
        _expectChargeReverts(
            p,
            signature,
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(ISpendPermissions.PermissionRevoked.selector, _permissionDigest(p))
        );
    }

    function test_succeeds_midPeriodAndStopsFurtherCharges() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        _approveAsAccount(p);
        _charge(p, AMOUNT);
        vm.prank(payer);
        permissions.revoke(p);
        _expectChargeReverts(
            p,
            "",
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(ISpendPermissions.PermissionRevoked.selector, _permissionDigest(p))
        );
        _warpToPeriod(p, 1);
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(ISpendPermissions.PermissionRevoked.selector, _permissionDigest(p))
        );
    }

    function test_succeeds_whileTheEscrowIsPaused() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        _approveAsAccount(p);
        vm.prank(owner);
        escrow.setPaused(true);
        vm.prank(payer);
        permissions.revoke(p);
        assertTrue(permissions.permissionState(_permissionDigest(p)).revoked);
    }

    function test_succeeds_aNewSaltIsANewPermission() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        _approveAsAccount(p);
        vm.prank(payer);
        permissions.revoke(p);
        p.salt = 1;
        vm.prank(payer);
        permissions.approve(p);
        _charge(p, AMOUNT);
        assertEq(permissions.permissionState(_permissionDigest(p)).spent, AMOUNT);
    }

    function test_reverts_when_callerIsNotTheAccount() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        _approveAsAccount(p);
        address[3] memory callers = [operator, merchant, stranger];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.Unauthorized.selector, callers[i]));
            permissions.revoke(p);
        }
        assertFalse(permissions.permissionState(_permissionDigest(p)).revoked);
    }

    function test_reverts_when_alreadyRevoked() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        vm.prank(payer);
        permissions.revoke(p);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.PermissionRevoked.selector, _permissionDigest(p)));
        permissions.revoke(p);
    }
}
