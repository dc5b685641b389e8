// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `dispute`: the payer freezes release before `releaseAfter`.
contract DisputeTest is EscrowFixture {
    bytes32 internal orderId = keccak256("ord_dispute");
    IPaymentEscrow.Payment internal payment;

    function setUp() public override {
        super.setUp();
        payment = _pay(orderId);
    }

    function test_succeeds_byPayer() public {
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentDisputed(_paymentId(payment), orderId, payer);
        vm.prank(payer);
        escrow.dispute(payment);
        IPaymentEscrow.PaymentState memory state = escrow.paymentState(_paymentId(payment));
        assertTrue(state.disputed);
        assertFalse(state.held);
        assertEq(state.recordHash, _recordHash(payment), "still open");
    }

    function test_succeeds_inLastSecondOfWindow() public {
        vm.warp(payment.releaseAfter - 1);
        vm.prank(payer);
        escrow.dispute(payment);
        assertTrue(escrow.paymentState(_paymentId(payment)).disputed);
    }

    function test_succeeds_whileHeld() public {
        vm.prank(operator);
        escrow.setHold(payment, true);
        vm.prank(payer);
        escrow.dispute(payment);
        IPaymentEscrow.PaymentState memory state = escrow.paymentState(_paymentId(payment));
        assertTrue(state.disputed);
        assertTrue(state.held);
    }

    function test_succeeds_whenPaused() public {
        vm.prank(owner);
        escrow.setPaused(true);
        vm.prank(payer);
        escrow.dispute(payment);
        assertTrue(escrow.paymentState(_paymentId(payment)).disputed);
    }

    function test_succeeds_byTreasuryForOnBehalfPayment() public {
        IPaymentEscrow.Payment memory fiat = _payOnBehalf(_terms(keccak256("ord_fiat")), treasury, bridge);
        vm.prank(bridge);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, bridge));
        escrow.dispute(fiat);
        vm.prank(treasury);
        escrow.dispute(fiat);
        assertTrue(escrow.paymentState(_paymentId(fiat)).disputed);
    }

    function test_reverts_when_callerIsNotPayer() public {
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, merchant));
        escrow.dispute(payment);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, stranger));
        escrow.dispute(payment);
    }

    function test_reverts_when_windowClosed() public {
        vm.warp(payment.releaseAfter);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.DisputeWindowClosed.selector, payment.releaseAfter));
        escrow.dispute(payment);
    }

    function test_reverts_when_alreadyDisputed() public {
        vm.prank(payer);
        escrow.dispute(payment);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.AlreadyDisputed.selector, _paymentId(payment)));
        escrow.dispute(payment);
    }

    function test_reverts_when_recordForgedWithAnotherPayer() public {
        IPaymentEscrow.Payment memory forged = payment;
        forged.payer = stranger;
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(forged)));
        escrow.dispute(forged);
    }

    function test_reverts_when_closed() public {
        vm.prank(merchant);
        escrow.release(payment);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(payment)));
        escrow.dispute(payment);
    }
}
