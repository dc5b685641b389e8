// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `resolve`: the arbiter splits a disputed or held payment between payer and merchant.
contract ResolveTest is EscrowFixture {
    bytes32 internal orderId = keccak256("ord_resolve");
    IPaymentEscrow.Payment internal payment;

    function setUp() public override {
        super.setUp();
        payment = _pay(orderId);
    }

    function _dispute() internal {
        vm.prank(payer);
        escrow.dispute(payment);
    }

    function test_succeeds_splittingWithProportionalFee() public {
        _dispute();
        bytes32 paymentId = _paymentId(payment);
        // 40 back to the payer; 60 to the merchant's side, fee 60% of 2 = 1.2.
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.DisputeResolved(
            paymentId,
            orderId,
            arbiter,
            address(usdc),
            40e6,
            60e6 - 1.2e6,
            1.2e6,
            feeRecipient
        );
        vm.prank(arbiter);
        escrow.resolve(payment, 40e6);

        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE - AMOUNT + 40e6, "payer");
        assertEq(_balance(address(usdc), merchant), 60e6 - 1.2e6, "merchant");
        assertEq(_balance(address(usdc), feeRecipient), 1.2e6, "fee");
        assertEq(_balance(address(usdc), address(escrow)), 0, "escrow");
        IPaymentEscrow.PaymentState memory state = escrow.paymentState(paymentId);
        assertEq(state.recordHash, escrow.CLOSED());
        assertFalse(state.disputed);
    }

    function test_succeeds_fullyForPayer() public {
        _dispute();
        vm.recordLogs();
        vm.prank(arbiter);
        escrow.resolve(payment, AMOUNT);
        // One Transfer (to the payer) and DisputeResolved: no zero-value merchant or fee transfers.
        assertEq(vm.getRecordedLogs().length, 2);
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE);
        assertEq(_balance(address(usdc), merchant), 0);
        assertEq(_balance(address(usdc), feeRecipient), 0);
    }

    function test_succeeds_fullyForMerchant() public {
        _dispute();
        vm.recordLogs();
        vm.prank(arbiter);
        escrow.resolve(payment, 0);
        assertEq(vm.getRecordedLogs().length, 3, "no zero-value refund transfer");
        assertEq(_balance(address(usdc), merchant), AMOUNT - FEE);
        assertEq(_balance(address(usdc), feeRecipient), FEE);
    }

    function test_succeeds_onHeldPayment() public {
        vm.prank(operator);
        escrow.setHold(payment, true);
        vm.prank(arbiter);
        escrow.resolve(payment, 0);
        assertEq(_balance(address(usdc), merchant), AMOUNT - FEE);
    }

    function test_succeeds_afterPartialRefund() public {
        vm.prank(merchant);
        escrow.refund(payment, 50e6);
        _dispute();
        vm.prank(arbiter);
        escrow.resolve(payment, 10e6);
        // 40 to the merchant's side: fee 40% of 2 = 0.8.
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE - AMOUNT + 60e6);
        assertEq(_balance(address(usdc), merchant), 40e6 - 0.8e6);
        assertEq(_balance(address(usdc), feeRecipient), 0.8e6);
    }

    function test_succeeds_afterEscrowPeriodAndWhilePaused() public {
        _dispute();
        vm.prank(owner);
        escrow.setPaused(true);
        _warpToRelease(payment);
        vm.prank(arbiter);
        escrow.resolve(payment, 1);
        assertEq(escrow.remaining(payment), 0);
    }

    function test_succeeds_toRefundToForOnBehalfPayment() public {
        IPaymentEscrow.Payment memory fiat = _payOnBehalf(_terms(keccak256("ord_fiat")), treasury, bridge);
        vm.prank(operator);
        escrow.setHold(fiat, true);
        vm.prank(arbiter);
        escrow.resolve(fiat, AMOUNT);
        assertEq(_balance(address(usdc), bridge), AMOUNT);
    }

    function test_reverts_when_callerIsNotArbiter() public {
        _dispute();
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, operator));
        escrow.resolve(payment, 0);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, owner));
        escrow.resolve(payment, 0);
    }

    function test_reverts_when_notFrozen() public {
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NotFrozen.selector, _paymentId(payment)));
        escrow.resolve(payment, 0);
    }

    function test_reverts_when_holdLifted() public {
        vm.prank(operator);
        escrow.setHold(payment, true);
        vm.prank(operator);
        escrow.setHold(payment, false);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NotFrozen.selector, _paymentId(payment)));
        escrow.resolve(payment, 0);
    }

    function test_reverts_when_refundAboveRemaining() public {
        vm.prank(merchant);
        escrow.refund(payment, 30e6);
        _dispute();
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.InvalidAmount.selector, 70e6 + 1, 70e6));
        escrow.resolve(payment, 70e6 + 1);
    }

    function test_reverts_when_unknownRecord() public {
        _dispute();
        IPaymentEscrow.Payment memory forged = payment;
        forged.terms.amount = AMOUNT * 2;
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(forged)));
        escrow.resolve(forged, 0);
    }

    function test_reverts_when_alreadyResolved() public {
        _dispute();
        vm.prank(arbiter);
        escrow.resolve(payment, 0);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(payment)));
        escrow.resolve(payment, 0);
    }

    function testFuzz_splitConservesFundsAndCapsFee(
        uint256 amount,
        uint256 fee,
        uint256 refunded,
        uint256 split
    ) public {
        vm.prank(owner);
        escrow.setMaxFeeBps(10_000);
        amount = bound(amount, 1, type(uint128).max);
        fee = bound(fee, 0, amount);
        refunded = bound(refunded, 0, amount - 1);
        IPaymentEscrow.Payment memory p = _pay(_terms(keccak256("fuzz"), address(usdc), amount, fee));
        if (refunded > 0) {
            vm.prank(merchant);
            escrow.refund(p, refunded);
        }
        uint256 left = amount - refunded;
        split = bound(split, 0, left);
        vm.prank(payer);
        escrow.dispute(p);
        uint256 payerBefore = _balance(address(usdc), payer);
        uint256 escrowBefore = _balance(address(usdc), address(escrow));

        vm.prank(arbiter);
        escrow.resolve(p, split);

        uint256 feePaid = _balance(address(usdc), feeRecipient);
        uint256 merchantPaid = _balance(address(usdc), merchant);
        assertEq(_balance(address(usdc), payer) - payerBefore, split, "payer share");
        assertLe(feePaid, fee, "fee above signed fee");
        assertEq(merchantPaid + feePaid + split, left, "conservation");
        assertEq(escrowBefore - _balance(address(usdc), address(escrow)), left, "escrow paid out exactly");
    }
}
