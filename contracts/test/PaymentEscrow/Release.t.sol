// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `release`: anyone after `releaseAfter`, the merchant or operator earlier; merchant net of fee.
contract ReleaseTest is EscrowFixture {
    bytes32 internal orderId = keccak256("ord_release");

    function test_succeeds_byAnyoneAfterEscrowPeriod() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        _warpToRelease(payment);
        bytes32 paymentId = _paymentId(payment);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentReleased(
            paymentId,
            orderId,
            merchant,
            address(usdc),
            AMOUNT - FEE,
            FEE,
            feeRecipient,
            stranger,
            false
        );
        vm.prank(stranger);
        escrow.release(payment);

        assertEq(_balance(address(usdc), merchant), AMOUNT - FEE, "merchant");
        assertEq(_balance(address(usdc), feeRecipient), FEE, "fee recipient");
        assertEq(_balance(address(usdc), address(escrow)), 0, "escrow");
        IPaymentEscrow.PaymentState memory state = escrow.paymentState(paymentId);
        assertEq(state.recordHash, escrow.CLOSED(), "closed");
        assertEq(state.refunded, 0);
        assertEq(escrow.remaining(payment), 0, "nothing remains");
    }

    function test_succeeds_earlyByMerchant() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentReleased(
            _paymentId(payment),
            orderId,
            merchant,
            address(usdc),
            AMOUNT - FEE,
            FEE,
            feeRecipient,
            merchant,
            true
        );
        vm.prank(merchant);
        escrow.release(payment);
        assertEq(_balance(address(usdc), merchant), AMOUNT - FEE);
    }

    function test_succeeds_earlyByOperator() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.warp(payment.releaseAfter - 1);
        vm.prank(operator);
        escrow.release(payment);
        assertEq(_balance(address(usdc), merchant), AMOUNT - FEE);
        assertEq(_balance(address(usdc), feeRecipient), FEE);
    }

    function test_succeeds_withZeroFeeWithoutFeeTransfer() public {
        IPaymentEscrow.Payment memory payment = _pay(_terms(orderId, address(usdc), AMOUNT, 0));
        _warpToRelease(payment);
        vm.recordLogs();
        escrow.release(payment);
        // One Transfer (to the merchant) and one PaymentReleased: no zero-value fee transfer.
        assertEq(vm.getRecordedLogs().length, 2, "log count");
        assertEq(_balance(address(usdc), merchant), AMOUNT);
        assertEq(_balance(address(usdc), feeRecipient), 0);
    }

    function test_succeeds_whenFeeIsTheWholeAmount() public {
        vm.prank(owner);
        escrow.setMaxFeeBps(10_000);
        IPaymentEscrow.Payment memory payment = _pay(_terms(orderId, address(usdc), AMOUNT, AMOUNT));
        _warpToRelease(payment);
        vm.recordLogs();
        escrow.release(payment);
        assertEq(vm.getRecordedLogs().length, 2, "no zero-value merchant transfer");
        assertEq(_balance(address(usdc), merchant), 0);
        assertEq(_balance(address(usdc), feeRecipient), AMOUNT);
    }

    function test_succeeds_withProportionalFeeAfterPartialRefund() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.prank(merchant);
        escrow.refund(payment, 25e6);
        _warpToRelease(payment);
        escrow.release(payment);
        // 75% remains, so 75% of the fee: 1.5 tUSDC.
        assertEq(_balance(address(usdc), feeRecipient), 1.5e6, "fee");
        assertEq(_balance(address(usdc), merchant), 75e6 - 1.5e6, "merchant");
        assertEq(_balance(address(usdc), address(escrow)), 0, "escrow");
    }

    function test_succeeds_roundingTheProportionalFeeDown() public {
        vm.prank(owner);
        escrow.setMaxFeeBps(10_000);
        IPaymentEscrow.Payment memory payment = _pay(_terms(orderId, address(usdc), 3, 2));
        vm.prank(merchant);
        escrow.refund(payment, 1);
        vm.prank(merchant);
        escrow.release(payment);
        // fee = 2 * 2 / 3 = 1 (rounded down); merchant gets 1.
        assertEq(_balance(address(usdc), feeRecipient), 1);
        assertEq(_balance(address(usdc), merchant), 1);
    }

    function test_succeeds_afterHoldLifted() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.prank(operator);
        escrow.setHold(payment, true);
        vm.prank(operator);
        escrow.setHold(payment, false);
        _warpToRelease(payment);
        escrow.release(payment);
        assertEq(_balance(address(usdc), merchant), AMOUNT - FEE);
    }

    function test_succeeds_payingTheCurrentFeeRecipient() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.prank(owner);
        escrow.setFeeRecipient(stranger);
        _warpToRelease(payment);
        escrow.release(payment);
        assertEq(_balance(address(usdc), stranger), FEE);
        assertEq(_balance(address(usdc), feeRecipient), 0);
    }

    function test_reverts_when_earlyByStranger() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.warp(payment.releaseAfter - 1);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.EscrowPeriodActive.selector, payment.releaseAfter));
        escrow.release(payment);
    }

    function test_reverts_when_earlyByPayer() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.EscrowPeriodActive.selector, payment.releaseAfter));
        escrow.release(payment);
    }

    function test_reverts_when_disputed() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.prank(payer);
        escrow.dispute(payment);
        _warpToRelease(payment);
        vm.expectRevert(
            abi.encodeWithSelector(IPaymentEscrow.PaymentFrozen.selector, _paymentId(payment), true, false)
        );
        escrow.release(payment);
    }

    function test_reverts_when_disputedEvenForMerchant() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.prank(payer);
        escrow.dispute(payment);
        vm.prank(merchant);
        vm.expectRevert(
            abi.encodeWithSelector(IPaymentEscrow.PaymentFrozen.selector, _paymentId(payment), true, false)
        );
        escrow.release(payment);
    }

    function test_reverts_when_held() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.prank(operator);
        escrow.setHold(payment, true);
        _warpToRelease(payment);
        vm.expectRevert(
            abi.encodeWithSelector(IPaymentEscrow.PaymentFrozen.selector, _paymentId(payment), false, true)
        );
        escrow.release(payment);
    }

    function test_reverts_when_recordTampered() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        _warpToRelease(payment);
        payment.terms.merchant = stranger;
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(payment)));
        escrow.release(payment);
    }

    function test_reverts_when_releaseAfterTampered() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        payment.releaseAfter = uint64(_now());
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(payment)));
        escrow.release(payment);
    }

    function test_reverts_when_neverPaid() public {
        IPaymentEscrow.Payment memory payment = _record(_terms(orderId), payer, payer, _now());
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(payment)));
        escrow.release(payment);
    }

    function test_reverts_when_alreadyReleased() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        _warpToRelease(payment);
        escrow.release(payment);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(payment)));
        escrow.release(payment);
    }

    function test_reverts_when_fullyRefunded() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.prank(operator);
        escrow.refund(payment, AMOUNT);
        _warpToRelease(payment);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(payment)));
        escrow.release(payment);
    }

    /// @dev The fee paid at release never exceeds the signed fee, and merchant + fee + refunds == amount.
    function testFuzz_proportionalFeeNeverExceedsSignedFee(uint256 amount, uint256 fee, uint256 refunded) public {
        vm.prank(owner);
        escrow.setMaxFeeBps(10_000);
        amount = bound(amount, 1, type(uint128).max);
        fee = bound(fee, 0, amount);
        refunded = bound(refunded, 0, amount - 1);
        IPaymentEscrow.Payment memory payment = _pay(_terms(orderId, address(usdc), amount, fee));
        if (refunded > 0) {
            vm.prank(merchant);
            escrow.refund(payment, refunded);
        }
        uint256 payerBefore = _balance(address(usdc), payer);
        _warpToRelease(payment);
        escrow.release(payment);

        uint256 feePaid = _balance(address(usdc), feeRecipient);
        uint256 merchantPaid = _balance(address(usdc), merchant);
        assertLe(feePaid, fee, "fee above signed fee");
        if (refunded == 0) assertEq(feePaid, fee, "full fee when nothing refunded");
        assertEq(feePaid, (fee * (amount - refunded)) / amount, "pro-rata fee");
        assertEq(merchantPaid + feePaid + refunded, amount, "conservation");
        assertEq(_balance(address(usdc), payer), payerBefore, "payer untouched by release");
        assertEq(_balance(address(usdc), address(escrow)), 0, "escrow drained");
    }
}
