// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {PaymentEscrow} from "../../src/PaymentEscrow.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {MockOperatorWallet} from "../../src/mocks/MockOperatorWallet.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `pay` (allowance) and the validation every pay path shares.
contract PayTest is EscrowFixture {
    bytes32 internal orderId = keccak256("ord_pay");

    function _approve(address from, uint256 amount) internal {
        vm.prank(from);
        usdc.approve(address(escrow), amount);
    }

    function _expectRevertPay(
        IPaymentEscrow.PaymentTerms memory terms,
        bytes memory signature,
        bytes memory err
    ) internal {
        _approve(payer, terms.amount);
        vm.prank(payer);
        vm.expectRevert(err);
        escrow.pay(terms, signature);
    }

    function _expectRevertPay(IPaymentEscrow.PaymentTerms memory terms, bytes memory err) internal {
        _expectRevertPay(terms, _signTerms(terms), err);
    }

    // ------------------------------------------------------------------------------------------------
    // Success
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_escrowsExactAmountAndStoresRecordHash() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        _approve(payer, AMOUNT);
        bytes32 expectedId = escrow.paymentIdOf(operator, orderId);
        uint64 releaseAfter = uint64(_now() + ESCROW_PERIOD);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentEscrowed(
            expectedId,
            orderId,
            merchant,
            operator,
            payer,
            payer,
            address(usdc),
            AMOUNT,
            FEE,
            releaseAfter,
            IPaymentEscrow.PayMethod.Allowance
        );
        vm.prank(payer);
        bytes32 paymentId = escrow.pay(terms, signature);

        assertEq(paymentId, expectedId, "paymentId");
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE - AMOUNT, "payer balance");
        assertEq(_balance(address(usdc), address(escrow)), AMOUNT, "escrow balance");
        IPaymentEscrow.PaymentState memory state = escrow.paymentState(paymentId);
        IPaymentEscrow.Payment memory payment = _record(terms, payer, payer, releaseAfter);
        assertEq(state.recordHash, _recordHash(payment), "record hash");
        assertEq(state.refunded, 0, "refunded");
        assertFalse(state.disputed, "disputed");
        assertFalse(state.held, "held");
        assertEq(escrow.remaining(payment), AMOUNT, "remaining");
    }

    function test_succeeds_inTheLastSecondBeforeDeadline() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        vm.warp(terms.deadline - 1);
        IPaymentEscrow.Payment memory payment = _pay(terms);
        assertEq(escrow.remaining(payment), AMOUNT);
    }

    function test_succeeds_withZeroFee() public {
        IPaymentEscrow.Payment memory payment = _pay(_terms(orderId, address(usdc), AMOUNT, 0));
        assertEq(escrow.remaining(payment), AMOUNT);
    }

    function test_succeeds_withFeeExactlyAtCap() public {
        uint256 cap = (AMOUNT * MAX_FEE_BPS) / 10_000;
        IPaymentEscrow.Payment memory payment = _pay(_terms(orderId, address(usdc), AMOUNT, cap));
        assertEq(escrow.remaining(payment), AMOUNT);
    }

    function test_succeeds_withFeeEqualToAmountWhenCapIsFull() public {
        vm.prank(owner);
        escrow.setMaxFeeBps(10_000);
        IPaymentEscrow.Payment memory payment = _pay(_terms(orderId, address(usdc), AMOUNT, AMOUNT));
        assertEq(escrow.remaining(payment), AMOUNT);
    }

    function test_succeeds_withAmountAtUint128Max() public {
        uint256 amount = type(uint128).max;
        IPaymentEscrow.Payment memory payment = _pay(_terms(orderId, address(usdc), amount, 0));
        assertEq(escrow.remaining(payment), amount);
    }

    function test_succeeds_withZeroEscrowPeriodAsAChargeSettledAtOnce() public {
        // Escrow period 0 is a charge: paid out to the merchant and the fee recipient in the paying transaction, and
        // closed at once (Charge.t.sol covers every pay path).
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        terms.escrowPeriod = 0;
        IPaymentEscrow.Payment memory payment = _pay(terms);
        assertEq(payment.releaseAfter, _now());
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE - AMOUNT, "payer paid");
        assertEq(_balance(address(usdc), merchant), AMOUNT - FEE, "merchant paid its net");
        assertEq(_balance(address(usdc), feeRecipient), FEE, "fee paid");
        assertEq(_balance(address(usdc), address(escrow)), 0, "nothing held");
        assertEq(escrow.paymentState(_paymentId(payment)).recordHash, escrow.CLOSED(), "closed");
        assertEq(escrow.remaining(payment), 0, "nothing remains");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(payment)));
        escrow.release(payment);
    }

    function test_succeeds_withLargestEscrowPeriod() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        terms.escrowPeriod = type(uint64).max - _now();
        IPaymentEscrow.Payment memory payment = _pay(terms);
        assertEq(payment.releaseAfter, type(uint64).max);
        assertEq(escrow.remaining(payment), AMOUNT);
    }

    function test_succeeds_sameOrderIdUnderAnotherOperator() public {
        _pay(orderId);
        // Another operator signs the same order id: a different payment id, so it neither collides nor blocks.
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        terms.operator = vm.addr(OTHER_KEY);
        bytes memory signature = _signTerms(OTHER_KEY, terms, address(escrow), block.chainid);
        _approve(payer, AMOUNT);
        vm.prank(payer);
        bytes32 otherId = escrow.pay(terms, signature);
        assertNotEq(otherId, escrow.paymentIdOf(operator, orderId));
        assertEq(_balance(address(usdc), address(escrow)), 2 * AMOUNT);
    }

    function test_succeeds_withERC1271OperatorWallet() public {
        MockOperatorWallet wallet = new MockOperatorWallet(vm.addr(OTHER_KEY));
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        terms.operator = address(wallet);
        bytes memory signature = _signTerms(OTHER_KEY, terms, address(escrow), block.chainid);
        _approve(payer, AMOUNT);
        vm.prank(payer);
        bytes32 paymentId = escrow.pay(terms, signature);
        assertEq(paymentId, escrow.paymentIdOf(address(wallet), orderId));

        // The wallet acts as operator through its own calls.
        IPaymentEscrow.Payment memory payment = _record(terms, payer, payer, _now() + ESCROW_PERIOD);
        vm.prank(vm.addr(OTHER_KEY));
        wallet.execute(address(escrow), abi.encodeCall(IPaymentEscrow.setHold, (payment, true)));
        assertTrue(escrow.paymentState(paymentId).held);

        // Only the wallet's owner can make it act.
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(MockOperatorWallet.NotOwner.selector, stranger));
        wallet.execute(address(escrow), abi.encodeCall(IPaymentEscrow.setHold, (payment, false)));
    }

    function testFuzz_succeeds_withAnyValidTerms(
        bytes32 fuzzOrderId,
        uint256 amount,
        uint256 fee,
        uint256 escrowPeriod,
        uint256 payWindow
    ) public {
        amount = bound(amount, 1, type(uint128).max);
        fee = bound(fee, 0, (amount * MAX_FEE_BPS) / 10_000);
        escrowPeriod = bound(escrowPeriod, 0, 10 * 365 days);
        payWindow = bound(payWindow, 1, 365 days); // a deadline of now is already too late
        IPaymentEscrow.PaymentTerms memory terms = _terms(fuzzOrderId, address(usdc), amount, fee);
        terms.escrowPeriod = escrowPeriod;
        terms.deadline = _now() + payWindow;
        _ensureBalance(address(usdc), payer, amount);
        uint256 escrowBefore = _balance(address(usdc), address(escrow));
        uint256 payerBefore = _balance(address(usdc), payer);

        IPaymentEscrow.Payment memory payment = _pay(terms);

        assertEq(payerBefore - _balance(address(usdc), payer), amount, "payer paid the amount");
        if (escrowPeriod == 0) {
            // A charge: settled in the same transaction, nothing held, the record closed.
            assertEq(_balance(address(usdc), address(escrow)), escrowBefore, "a charge leaves nothing in escrow");
            assertEq(_balance(address(usdc), merchant), amount - fee, "merchant paid its net");
            assertEq(_balance(address(usdc), feeRecipient), fee, "fee paid");
            assertEq(escrow.paymentState(_paymentId(payment)).recordHash, escrow.CLOSED(), "record closed");
            assertEq(escrow.remaining(payment), 0, "remaining");
        } else {
            assertEq(_balance(address(usdc), address(escrow)) - escrowBefore, amount, "escrowed amount");
            assertEq(_balance(address(usdc), merchant), 0, "merchant not paid yet");
            assertEq(_balance(address(usdc), feeRecipient), 0, "fee not paid yet");
            assertEq(escrow.paymentState(_paymentId(payment)).recordHash, _recordHash(payment), "record hash");
            assertEq(escrow.remaining(payment), amount, "remaining");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Reverts: pause, deadline, terms
    // ------------------------------------------------------------------------------------------------

    function test_reverts_when_paused() public {
        vm.prank(owner);
        escrow.setPaused(true);
        _expectRevertPay(_terms(orderId), abi.encodeWithSelector(IPaymentEscrow.PaymentsPaused.selector));
    }

    function test_reverts_when_deadlineReached() public {
        // Strictly before the deadline, as ERC-3009's validBefore: the deadline's own second is too late.
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        vm.warp(terms.deadline);
        _expectRevertPay(
            terms,
            abi.encodeWithSelector(IPaymentEscrow.DeadlinePassed.selector, terms.deadline, terms.deadline)
        );
    }

    function test_reverts_when_deadlinePassed() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        vm.warp(terms.deadline + 1);
        _expectRevertPay(
            terms,
            abi.encodeWithSelector(IPaymentEscrow.DeadlinePassed.selector, terms.deadline, terms.deadline + 1)
        );
    }

    function test_reverts_when_merchantIsZero() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        terms.merchant = address(0);
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.ZeroMerchant.selector));
    }

    function test_reverts_when_tokenIsZero() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        terms.token = address(0);
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.ZeroToken.selector));
    }

    function test_reverts_when_operatorIsZero() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        terms.operator = address(0);
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.ZeroOperator.selector));
    }

    function test_reverts_when_amountIsZero() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId, address(usdc), 0, 0);
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.ZeroAmount.selector));
    }

    function test_reverts_when_feeAboveAmount() public {
        vm.prank(owner);
        escrow.setMaxFeeBps(10_000);
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId, address(usdc), AMOUNT, AMOUNT + 1);
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.FeeAboveAmount.selector, AMOUNT + 1, AMOUNT));
    }

    function test_reverts_when_releaseAfterOverflowsUint64() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        uint256 max = type(uint64).max - _now();
        terms.escrowPeriod = max + 1;
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.EscrowPeriodTooLong.selector, max + 1, max));
    }

    function test_reverts_when_escrowPeriodIsHuge() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        terms.escrowPeriod = type(uint256).max;
        _expectRevertPay(
            terms,
            abi.encodeWithSelector(
                IPaymentEscrow.EscrowPeriodTooLong.selector,
                type(uint256).max,
                type(uint64).max - _now()
            )
        );
    }

    function test_reverts_when_amountAboveUint128() public {
        uint256 amount = uint256(type(uint128).max) + 1;
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId, address(usdc), amount, 0);
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.AmountTooLarge.selector, amount));
    }

    function test_reverts_when_feeAboveCap() public {
        uint256 cap = (AMOUNT * MAX_FEE_BPS) / 10_000;
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId, address(usdc), AMOUNT, cap + 1);
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.FeeAboveCap.selector, cap + 1, cap));
    }

    function test_reverts_when_anyFeeAndCapIsZero() public {
        vm.prank(owner);
        escrow.setMaxFeeBps(0);
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId, address(usdc), AMOUNT, 1);
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.FeeAboveCap.selector, 1, 0));
    }

    // ------------------------------------------------------------------------------------------------
    // Reverts: once per order
    // ------------------------------------------------------------------------------------------------

    function test_reverts_when_alreadyPaid() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        IPaymentEscrow.Payment memory payment = _pay(terms);
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.AlreadyPaid.selector, _paymentId(payment)));
    }

    function test_reverts_when_paidAgainWithOtherTermsForSameOrder() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId, address(usdc), AMOUNT * 2, FEE);
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.AlreadyPaid.selector, _paymentId(payment)));
    }

    function test_reverts_when_paidAgainAfterRelease() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        _warpToRelease(payment);
        escrow.release(payment);
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.AlreadyPaid.selector, _paymentId(payment)));
    }

    function test_reverts_when_paidAgainAfterFullRefund() public {
        IPaymentEscrow.Payment memory payment = _pay(orderId);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        IPaymentEscrow.PaymentTerms memory terms = payment.terms;
        _expectRevertPay(terms, abi.encodeWithSelector(IPaymentEscrow.AlreadyPaid.selector, _paymentId(payment)));
    }

    // ------------------------------------------------------------------------------------------------
    // Reverts: signature
    // ------------------------------------------------------------------------------------------------

    function test_reverts_when_signedByAnotherKey() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(OTHER_KEY, terms, address(escrow), block.chainid);
        _expectRevertPay(
            terms,
            signature,
            abi.encodeWithSelector(IPaymentEscrow.InvalidOperatorSignature.selector, operator)
        );
    }

    function test_reverts_when_termsTamperedAfterSigning() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        terms.merchant = stranger;
        _expectRevertPay(
            terms,
            signature,
            abi.encodeWithSelector(IPaymentEscrow.InvalidOperatorSignature.selector, operator)
        );
    }

    function test_reverts_when_signatureMalformed() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        _expectRevertPay(
            terms,
            hex"1234",
            abi.encodeWithSelector(IPaymentEscrow.InvalidOperatorSignature.selector, operator)
        );
    }

    function test_reverts_when_signatureReplayedOnAnotherChain() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        vm.chainId(block.chainid + 1);
        _expectRevertPay(
            terms,
            signature,
            abi.encodeWithSelector(IPaymentEscrow.InvalidOperatorSignature.selector, operator)
        );
    }

    function test_reverts_when_signatureReplayedOnAnotherEscrow() public {
        PaymentEscrow other = new PaymentEscrow(owner, arbiter, feeRecipient, MAX_FEE_BPS);
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        // Valid here...
        _pay(terms);
        // ...but not on another deployment.
        vm.startPrank(payer);
        usdc.approve(address(other), AMOUNT);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.InvalidOperatorSignature.selector, operator));
        other.pay(terms, signature);
        vm.stopPrank();
    }

    function test_reverts_when_signatureUsedForAnotherOrderId() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        terms.orderId = keccak256("ord_other");
        _expectRevertPay(
            terms,
            signature,
            abi.encodeWithSelector(IPaymentEscrow.InvalidOperatorSignature.selector, operator)
        );
    }

    function test_reverts_when_ERC1271WalletRejectsSignature() public {
        MockOperatorWallet wallet = new MockOperatorWallet(vm.addr(OTHER_KEY));
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        terms.operator = address(wallet);
        bytes memory signature = _signTerms(OPERATOR_KEY, terms, address(escrow), block.chainid);
        _expectRevertPay(
            terms,
            signature,
            abi.encodeWithSelector(IPaymentEscrow.InvalidOperatorSignature.selector, address(wallet))
        );
    }

    // ------------------------------------------------------------------------------------------------
    // Reverts: collection
    // ------------------------------------------------------------------------------------------------

    function test_reverts_when_allowanceTooLow() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        _approve(payer, AMOUNT - 1);
        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector,
                address(escrow),
                AMOUNT - 1,
                AMOUNT
            )
        );
        escrow.pay(terms, signature);
    }

    function test_reverts_when_balanceTooLow() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        vm.prank(stranger);
        usdc.approve(address(escrow), AMOUNT);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, stranger, 0, AMOUNT));
        escrow.pay(terms, signature);
    }
}
