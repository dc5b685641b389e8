// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `setHold`: the operator's risk hold freezes release until lifted or resolved.
contract HoldTest is EscrowFixture {
    bytes32 internal orderId = keccak256("ord_hold");
    IPaymentEscrow.Payment internal payment;

    function setUp() public override {
        super.setUp();
        payment = _pay(orderId);
    }

    function test_succeeds_placeAndLift() public {
        bytes32 paymentId = _paymentId(payment);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentHoldChanged(paymentId, orderId, operator, true);
        vm.prank(operator);
        escrow.setHold(payment, true);
        assertTrue(escrow.paymentState(paymentId).held);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentHoldChanged(paymentId, orderId, operator, false);
        vm.prank(operator);
        escrow.setHold(payment, false);
        assertFalse(escrow.paymentState(paymentId).held);
        assertEq(escrow.paymentState(paymentId).recordHash, _recordHash(payment));
    }

    function test_succeeds_afterEscrowPeriod() public {
        _warpToRelease(payment);
        vm.prank(operator);
        escrow.setHold(payment, true);
        assertTrue(escrow.paymentState(_paymentId(payment)).held);
    }

    function test_succeeds_liftingLeavesDispute() public {
        vm.prank(operator);
        escrow.setHold(payment, true);
        vm.prank(payer);
        escrow.dispute(payment);
        vm.prank(operator);
        escrow.setHold(payment, false);
        IPaymentEscrow.PaymentState memory state = escrow.paymentState(_paymentId(payment));
        assertTrue(state.disputed);
        assertFalse(state.held);
    }

    function test_succeeds_whenPaused() public {
        vm.prank(owner);
        escrow.setPaused(true);
        vm.prank(operator);
        escrow.setHold(payment, true);
        assertTrue(escrow.paymentState(_paymentId(payment)).held);
    }

    function test_reverts_when_callerIsMerchant() public {
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, merchant));
        escrow.setHold(payment, true);
    }

    function test_reverts_when_callerIsArbiterOrStranger() public {
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, arbiter));
        escrow.setHold(payment, true);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, stranger));
        escrow.setHold(payment, true);
    }

    function test_reverts_when_anotherOperatorForgesTheRecord() public {
        IPaymentEscrow.Payment memory forged = payment;
        forged.terms.operator = stranger;
        vm.prank(stranger);
        // The forged operator changes the payment id too: that id was never paid.
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(forged)));
        escrow.setHold(forged, true);
    }

    function test_reverts_when_liftingWithoutHold() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.HoldUnchanged.selector, _paymentId(payment), false));
        escrow.setHold(payment, false);
    }

    function test_reverts_when_holdingTwice() public {
        vm.prank(operator);
        escrow.setHold(payment, true);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.HoldUnchanged.selector, _paymentId(payment), true));
        escrow.setHold(payment, true);
    }

    function test_reverts_when_closed() public {
        vm.prank(operator);
        escrow.refund(payment, AMOUNT);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(payment)));
        escrow.setHold(payment, true);
    }
}
