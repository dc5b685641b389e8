// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {ISpendPermissions} from "../../src/interfaces/ISpendPermissions.sol";
import {SpendPermissionsFixture} from "../base/SpendPermissionsFixture.sol";

/// @notice `dispute`: the account charged (the escrow record's `refundTo`) disputes through this contract, the
///         escrow's `payer`; the arbiter's resolution refunds the account. Anyone else, payments not charged here, and
///         the escrow's own rules (window, once) are refused.
contract DisputeTest is SpendPermissionsFixture {
    ISpendPermissions.SpendPermission internal p;
    IPaymentEscrow.Payment internal payment;
    bytes32 internal paymentId;

    function setUp() public override {
        super.setUp();
        p = _permission();
        _approveAsAccount(p);
        payment = _charge(p, AMOUNT);
        paymentId = _paymentId(payment);
    }

    function test_succeeds_byTheChargedAccount() public {
        vm.expectEmit(address(permissions));
        emit ISpendPermissions.ChargeDisputed(paymentId, payer);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentDisputed(paymentId, payment.terms.orderId, address(permissions));
        vm.prank(payer);
        permissions.dispute(payment);
        assertTrue(escrow.paymentState(paymentId).disputed);
    }

    function test_succeeds_andTheArbiterRefundsTheAccount() public {
        vm.prank(payer);
        permissions.dispute(payment);
        vm.prank(arbiter);
        escrow.resolve(payment, AMOUNT);
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE, "refund to the account");
        assertEq(_balance(address(usdc), address(permissions)), 0, "nothing to this contract");
    }

    function test_succeeds_inTheLastSecondOfTheEscrowPeriod() public {
        vm.warp(payment.releaseAfter - 1);
        vm.prank(payer);
        permissions.dispute(payment);
        assertTrue(escrow.paymentState(paymentId).disputed);
    }

    function test_reverts_when_directlyAtTheEscrow() public {
        // The escrow's payer is this contract, which is why disputes go through it.
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, payer));
        escrow.dispute(payment);
    }

    function test_reverts_when_callerIsNotTheChargedAccount() public {
        address[3] memory callers = [merchant, operator, payer2];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.Unauthorized.selector, callers[i]));
            permissions.dispute(payment);
        }
        assertFalse(escrow.paymentState(paymentId).disputed);
    }

    function test_reverts_when_recordNamesAnotherRefundAddress() public {
        // A record rewritten so the caller is its refundTo: the escrow refuses it as unknown.
        IPaymentEscrow.Payment memory forged = payment;
        forged.refundTo = payer2;
        vm.prank(payer2);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, paymentId));
        permissions.dispute(forged);
    }

    function test_reverts_when_paymentWasNotChargedHere() public {
        IPaymentEscrow.Payment memory direct = _pay(_chargeTerms(AMOUNT));
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.NotAPermissionCharge.selector, payer));
        permissions.dispute(direct);
    }

    function test_reverts_when_escrowPeriodIsOver() public {
        vm.warp(payment.releaseAfter);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.DisputeWindowClosed.selector, payment.releaseAfter));
        permissions.dispute(payment);
    }

    function test_reverts_when_alreadyDisputed() public {
        vm.prank(payer);
        permissions.dispute(payment);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.AlreadyDisputed.selector, paymentId));
        permissions.dispute(payment);
    }
}
