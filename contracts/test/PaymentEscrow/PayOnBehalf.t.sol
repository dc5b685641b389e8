// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `payOnBehalf`: the fiat bridge's treasury pays; refunds go to the bridge.
contract PayOnBehalfTest is EscrowFixture {
    bytes32 internal orderId = keccak256("ord_fiat");

    function test_succeeds_withTreasuryAsPayerAndBridgeAsRefundTo() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        vm.prank(treasury);
        usdc.approve(address(escrow), AMOUNT);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentEscrowed(
            escrow.paymentIdOf(operator, orderId),
            orderId,
            merchant,
            operator,
            treasury,
            bridge,
            address(usdc),
            AMOUNT,
            FEE,
            uint64(_now() + ESCROW_PERIOD),
            IPaymentEscrow.PayMethod.OnBehalf
        );
        vm.prank(treasury);
        escrow.payOnBehalf(terms, signature, bridge);

        assertEq(_balance(address(usdc), treasury), INITIAL_BALANCE - AMOUNT);
        IPaymentEscrow.Payment memory payment = _record(terms, treasury, bridge, _now() + ESCROW_PERIOD);
        assertEq(escrow.paymentState(_paymentId(payment)).recordHash, _recordHash(payment));
    }

    function test_succeeds_andRefundsGoToTheBridge() public {
        IPaymentEscrow.Payment memory payment = _payOnBehalf(_terms(orderId), treasury, bridge);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        assertEq(_balance(address(usdc), bridge), AMOUNT, "bridge refunded");
        assertEq(_balance(address(usdc), treasury), INITIAL_BALANCE - AMOUNT, "treasury not refunded directly");
    }

    function test_succeeds_inTheLastSecondBeforeDeadline() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        vm.warp(terms.deadline - 1);
        IPaymentEscrow.Payment memory payment = _payOnBehalf(terms, treasury, bridge);
        assertEq(escrow.remaining(payment), AMOUNT);
    }

    function test_reverts_when_deadlineReached() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        vm.prank(treasury);
        usdc.approve(address(escrow), AMOUNT);
        vm.warp(terms.deadline);
        vm.prank(treasury);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.DeadlinePassed.selector, terms.deadline, terms.deadline));
        escrow.payOnBehalf(terms, signature, bridge);
    }

    function test_reverts_when_refundToIsZero() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        vm.prank(treasury);
        usdc.approve(address(escrow), AMOUNT);
        vm.prank(treasury);
        vm.expectRevert(IPaymentEscrow.ZeroAddress.selector);
        escrow.payOnBehalf(terms, signature, address(0));
    }

    function test_reverts_when_paused() public {
        vm.prank(owner);
        escrow.setPaused(true);
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        vm.prank(treasury);
        usdc.approve(address(escrow), AMOUNT);
        vm.prank(treasury);
        vm.expectRevert(IPaymentEscrow.PaymentsPaused.selector);
        escrow.payOnBehalf(terms, signature, bridge);
    }

    function test_reverts_when_alreadyPaidByTheCustomer() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        IPaymentEscrow.PaymentTerms memory terms = payment.terms;
        bytes memory signature = _signTerms(terms);
        vm.prank(treasury);
        usdc.approve(address(escrow), AMOUNT);
        vm.prank(treasury);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.AlreadyPaid.selector, _paymentId(payment)));
        escrow.payOnBehalf(terms, signature, bridge);
    }
}
