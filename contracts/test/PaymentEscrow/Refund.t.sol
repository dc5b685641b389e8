// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `refund`: merchant or operator returns part or all of the remaining escrow to `refundTo`.
contract RefundTest is EscrowFixture {
    bytes32 internal orderId = keccak256("ord_refund");
    IPaymentEscrow.Payment internal payment;

    function setUp() public override {
        super.setUp();
        payment = _pay(orderId);
    }

    function test_succeeds_fullByMerchant() public {
        bytes32 paymentId = _paymentId(payment);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentRefunded(paymentId, orderId, payer, address(usdc), AMOUNT, AMOUNT, true, merchant);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);

        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE, "payer made whole");
        assertEq(_balance(address(usdc), address(escrow)), 0);
        IPaymentEscrow.PaymentState memory state = escrow.paymentState(paymentId);
        assertEq(state.recordHash, escrow.CLOSED(), "closed");
        assertEq(state.refunded, 0, "state cleared on close");
        assertEq(escrow.remaining(payment), 0);
    }

    function test_succeeds_fullByOperator() public {
        vm.prank(operator);
        escrow.refund(payment, AMOUNT);
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE);
        assertEq(escrow.paymentState(_paymentId(payment)).recordHash, escrow.CLOSED());
    }

    function test_succeeds_partialThenRest() public {
        bytes32 paymentId = _paymentId(payment);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentRefunded(paymentId, orderId, payer, address(usdc), 30e6, 30e6, false, merchant);
        vm.prank(merchant);
        escrow.refund(payment, 30e6);

        IPaymentEscrow.PaymentState memory state = escrow.paymentState(paymentId);
        assertEq(state.recordHash, _recordHash(payment), "still open");
        assertEq(state.refunded, 30e6, "refunded");
        assertEq(escrow.remaining(payment), 70e6, "remaining");

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentRefunded(paymentId, orderId, payer, address(usdc), 70e6, AMOUNT, true, operator);
        vm.prank(operator);
        escrow.refund(payment, 70e6);
        assertEq(escrow.paymentState(paymentId).recordHash, escrow.CLOSED());
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE);
    }

    function test_succeeds_whileDisputed() public {
        vm.prank(payer);
        escrow.dispute(payment);
        vm.prank(merchant);
        escrow.refund(payment, 10e6);
        assertTrue(escrow.paymentState(_paymentId(payment)).disputed, "dispute stays open on partial refund");
        vm.prank(merchant);
        escrow.refund(payment, 90e6);
        IPaymentEscrow.PaymentState memory state = escrow.paymentState(_paymentId(payment));
        assertEq(state.recordHash, escrow.CLOSED());
        assertFalse(state.disputed, "cleared on close");
    }

    function test_succeeds_whileHeld() public {
        vm.prank(operator);
        escrow.setHold(payment, true);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE);
    }

    function test_succeeds_afterEscrowPeriodWhileStillOpen() public {
        vm.warp(payment.releaseAfter + 30 days);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE);
    }

    function test_succeeds_whenPaused() public {
        vm.prank(owner);
        escrow.setPaused(true);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE);
    }

    function test_reverts_when_callerIsPayer() public {
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, payer));
        escrow.refund(payment, AMOUNT);
    }

    function test_reverts_when_callerIsStranger() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, stranger));
        escrow.refund(payment, AMOUNT);
    }

    function test_reverts_when_callerIsArbiter() public {
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, arbiter));
        escrow.refund(payment, AMOUNT);
    }

    function test_reverts_when_amountIsZero() public {
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.InvalidAmount.selector, 0, AMOUNT));
        escrow.refund(payment, 0);
    }

    function test_reverts_when_amountAboveRemaining() public {
        vm.prank(merchant);
        escrow.refund(payment, 60e6);
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.InvalidAmount.selector, 40e6 + 1, 40e6));
        escrow.refund(payment, 40e6 + 1);
    }

    function test_reverts_when_recordTamperedToRedirect() public {
        // A merchant cannot send the refund elsewhere by editing the record.
        IPaymentEscrow.Payment memory forged = payment;
        forged.refundTo = merchant;
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(forged)));
        escrow.refund(forged, AMOUNT);
    }

    function test_reverts_when_anotherMerchantForgesTheRecord() public {
        IPaymentEscrow.Payment memory forged = payment;
        forged.terms.merchant = merchant2;
        vm.prank(merchant2);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(forged)));
        escrow.refund(forged, AMOUNT);
    }

    function test_reverts_when_closed() public {
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(payment)));
        escrow.refund(payment, 1);
    }

    function testFuzz_partialRefundsAddUp(uint256 first, uint256 second) public {
        first = bound(first, 1, AMOUNT);
        second = bound(second, 1, AMOUNT);
        vm.prank(merchant);
        escrow.refund(payment, first);
        uint256 left = AMOUNT - first;
        if (left == 0) {
            assertEq(escrow.paymentState(_paymentId(payment)).recordHash, escrow.CLOSED());
            return;
        }
        if (second > left) {
            vm.prank(merchant);
            vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.InvalidAmount.selector, second, left));
            escrow.refund(payment, second);
            return;
        }
        vm.prank(merchant);
        escrow.refund(payment, second);
        assertEq(escrow.remaining(payment), left - second, "remaining");
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE - AMOUNT + first + second, "payer");
        assertEq(_balance(address(usdc), address(escrow)), left - second, "escrow");
    }
}
