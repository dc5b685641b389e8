// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {SpendPermissions} from "../../src/SpendPermissions.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {ISpendPermissions} from "../../src/interfaces/ISpendPermissions.sol";
import {Vm} from "../base/Vm.sol";
import {SpendPermissionsFixture} from "../base/SpendPermissionsFixture.sol";

/// @notice `approve` (the account's own call) and `approveWithSignature` (anyone, with the account's EIP-712
///         signature): who may approve, what a valid permission is, idempotence, and signatures for anything else
///         (another key, chain, contract or permission) refused.
contract ApproveTest is SpendPermissionsFixture {
    function _expectApprovedEvent(ISpendPermissions.SpendPermission memory p) internal {
        vm.expectEmit(address(permissions));
        emit ISpendPermissions.SpendPermissionApproved(
            _permissionDigest(p),
            p.account,
            p.operator,
            p.merchant,
            p.token,
            p.allowance,
            p.period,
            p.start,
            p.end,
            p.salt
        );
    }

    function test_succeeds_approveByTheAccount() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        _expectApprovedEvent(p);
        vm.prank(payer);
        permissions.approve(p);
        ISpendPermissions.PermissionState memory state = permissions.permissionState(_permissionDigest(p));
        assertTrue(state.approved);
        assertFalse(state.revoked);
        assertEq(state.spent, 0);
    }

    function test_succeeds_approveWithSignatureSubmittedByAnyone() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        bytes memory signature = _signPermission(PAYER_KEY, p);
        _expectApprovedEvent(p);
        vm.prank(stranger);
        permissions.approveWithSignature(p, signature);
        assertTrue(permissions.permissionState(_permissionDigest(p)).approved);
    }

    function test_succeeds_approvingTwiceIsANoOpWithoutEvent() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        bytes memory signature = _signPermission(PAYER_KEY, p);
        permissions.approveWithSignature(p, signature);
        vm.recordLogs();
        permissions.approveWithSignature(p, signature);
        vm.prank(payer);
        permissions.approve(p);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 0, "no second approval event");
        assertTrue(permissions.permissionState(_permissionDigest(p)).approved);
    }

    function test_succeeds_approvingDoesNotTouchTokens() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        uint256 balance = _balance(address(usdc), payer);
        vm.prank(payer);
        permissions.approve(p);
        assertEq(_balance(address(usdc), payer), balance);
        assertEq(usdc.allowance(payer, address(permissions)), 0);
    }

    function test_reverts_when_approveCalledByAnotherAccount() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.Unauthorized.selector, operator));
        permissions.approve(p);
    }

    function test_reverts_when_signedByAnotherKey() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        bytes memory signature = _signPermission(OTHER_KEY, p);
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.InvalidPermissionSignature.selector, payer));
        permissions.approveWithSignature(p, signature);
        assertFalse(permissions.permissionState(_permissionDigest(p)).approved);
    }

    function test_reverts_when_signedForAnotherChain() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        bytes memory signature = _sign(PAYER_KEY, _permissionDigest(p, address(permissions), block.chainid + 1));
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.InvalidPermissionSignature.selector, payer));
        permissions.approveWithSignature(p, signature);
    }

    function test_reverts_when_signedForAnotherContract() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        bytes memory signature = _sign(PAYER_KEY, _permissionDigest(p, address(escrow), block.chainid));
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.InvalidPermissionSignature.selector, payer));
        permissions.approveWithSignature(p, signature);
    }

    function test_reverts_when_signatureIsForOtherFields() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        bytes memory signature = _signPermission(PAYER_KEY, p);
        p.allowance = ALLOWANCE * 2;
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.InvalidPermissionSignature.selector, payer));
        permissions.approveWithSignature(p, signature);
    }

    function test_reverts_when_signatureIsMalformed() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.InvalidPermissionSignature.selector, payer));
        permissions.approveWithSignature(p, hex"1234");
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.InvalidPermissionSignature.selector, payer));
        permissions.approveWithSignature(p, "");
    }

    function test_reverts_when_revoked() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        bytes memory signature = _signPermission(PAYER_KEY, p);
        vm.prank(payer);
        permissions.revoke(p);
        bytes memory err = abi.encodeWithSelector(ISpendPermissions.PermissionRevoked.selector, _permissionDigest(p));
        vm.expectRevert(err);
        permissions.approveWithSignature(p, signature);
        vm.prank(payer);
        vm.expectRevert(err);
        permissions.approve(p);
    }

    function test_reverts_when_aFieldIsZero() public {
        for (uint256 field; field < 4; ++field) {
            ISpendPermissions.SpendPermission memory p = _permission();
            if (field == 0) p.account = address(0);
            if (field == 1) p.operator = address(0);
            if (field == 2) p.merchant = address(0);
            if (field == 3) p.token = address(0);
            vm.prank(p.account);
            vm.expectRevert(ISpendPermissions.ZeroAddress.selector);
            permissions.approve(p);
        }
    }

    function test_reverts_when_allowanceIsZero() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        p.allowance = 0;
        bytes memory signature = _signPermission(PAYER_KEY, p);
        vm.expectRevert(ISpendPermissions.ZeroAllowance.selector);
        permissions.approveWithSignature(p, signature);
    }

    function test_reverts_when_periodIsZero() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        p.period = 0;
        vm.prank(payer);
        vm.expectRevert(ISpendPermissions.ZeroPeriod.selector);
        permissions.approve(p);
    }

    function test_reverts_when_endIsNotAfterStart() public {
        ISpendPermissions.SpendPermission memory p = _permission();
        p.end = p.start;
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.InvalidWindow.selector, p.start, p.end));
        permissions.approve(p);
        p.end = p.start - 1;
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.InvalidWindow.selector, p.start, p.end));
        permissions.approve(p);
    }

    function test_reverts_when_constructedWithoutEscrow() public {
        vm.expectRevert(ISpendPermissions.ZeroAddress.selector);
        new SpendPermissions(IPaymentEscrow(address(0)));
    }
}
