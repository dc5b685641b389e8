// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {BlacklistToken} from "../../src/mocks/BlacklistToken.sol";
import {FalseReturnToken} from "../../src/mocks/FalseReturnToken.sol";
import {FeeOnTransferToken} from "../../src/mocks/FeeOnTransferToken.sol";
import {ReentrantToken} from "../../src/mocks/ReentrantToken.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice Fee-on-transfer tokens are refused; reentrant tokens are stopped; a recipient that cannot receive
///         (blacklist, `false` return) is credited without blocking anyone else.
contract HostileTokensTest is EscrowFixture {
    bytes4 internal constant REENTRANT_CALL = ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector;

    // ------------------------------------------------------------------------------------------------
    // Fee on transfer
    // ------------------------------------------------------------------------------------------------

    function test_reverts_when_tokenTakesAFeeOnPay() public {
        FeeOnTransferToken token = new FeeOnTransferToken(100); // 1%
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("fot"), address(token), AMOUNT, FEE);
        bytes memory signature = _signTerms(terms);
        token.mint(payer, AMOUNT);
        vm.prank(payer);
        token.approve(address(escrow), AMOUNT);
        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(IPaymentEscrow.TokenTransferMismatch.selector, AMOUNT, AMOUNT - AMOUNT / 100)
        );
        escrow.pay(terms, signature);
    }

    function test_reverts_when_tokenTakesAFeeOnPayOnBehalf() public {
        FeeOnTransferToken token = new FeeOnTransferToken(1); // 0.01%: any shortfall is refused
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("fot"), address(token), AMOUNT, FEE);
        bytes memory signature = _signTerms(terms);
        token.mint(treasury, AMOUNT);
        vm.prank(treasury);
        token.approve(address(escrow), AMOUNT);
        vm.prank(treasury);
        vm.expectRevert(
            abi.encodeWithSelector(IPaymentEscrow.TokenTransferMismatch.selector, AMOUNT, AMOUNT - AMOUNT / 10_000)
        );
        escrow.payOnBehalf(terms, signature, bridge);
    }

    function test_reverts_when_tokenTakesAFeeOnPayWithPermit() public {
        // The token has no permit: the permit call fails and is ignored, the allowance path runs and is refused.
        FeeOnTransferToken token = new FeeOnTransferToken(100);
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("fot"), address(token), AMOUNT, FEE);
        bytes memory signature = _signTerms(terms);
        token.mint(payer, AMOUNT);
        vm.prank(payer);
        token.approve(address(escrow), AMOUNT);
        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(IPaymentEscrow.TokenTransferMismatch.selector, AMOUNT, AMOUNT - AMOUNT / 100)
        );
        escrow.payWithPermit(terms, signature, _now(), 27, bytes32(0), bytes32(0));
    }

    function test_succeeds_whenFeeRoundsToZero() public {
        // A fee-on-transfer token whose fee rounds to zero for this amount delivers exactly: accepted.
        FeeOnTransferToken token = new FeeOnTransferToken(1);
        IPaymentEscrow.Payment memory payment = _pay(_terms(keccak256("fot"), address(token), 9_999, 0));
        assertEq(escrow.remaining(payment), 9_999);
    }

    // ------------------------------------------------------------------------------------------------
    // Reentrancy
    // ------------------------------------------------------------------------------------------------

    function _assertReentryBlocked(ReentrantToken token) internal view {
        assertEq(token.reentryAttempts(), 1, "reentry attempted");
        assertFalse(token.lastReentrySucceeded(), "reentry succeeded");
        assertEq(token.lastReentryReturnData(), abi.encodeWithSelector(REENTRANT_CALL), "reverted by the guard");
    }

    function test_succeeds_blockingReleaseReenteredFromPay() public {
        ReentrantToken token = new ReentrantToken();
        IPaymentEscrow.Payment memory matured = _pay(_terms(keccak256("matured"), address(token), AMOUNT, FEE));
        _warpToRelease(matured);

        token.arm(address(escrow), abi.encodeCall(IPaymentEscrow.release, (matured)), false);
        IPaymentEscrow.Payment memory payment = _pay(_terms(keccak256("new"), address(token), AMOUNT, FEE));

        _assertReentryBlocked(token);
        assertEq(escrow.remaining(matured), AMOUNT, "matured payment untouched");
        assertEq(escrow.remaining(payment), AMOUNT, "pay completed");
    }

    function test_succeeds_blockingDoubleReleaseFromReleaseTransfer() public {
        ReentrantToken token = new ReentrantToken();
        IPaymentEscrow.Payment memory payment = _pay(_terms(keccak256("p"), address(token), AMOUNT, FEE));
        _warpToRelease(payment);

        token.arm(address(escrow), abi.encodeCall(IPaymentEscrow.release, (payment)), false);
        escrow.release(payment);

        _assertReentryBlocked(token);
        assertEq(token.balanceOf(merchant), AMOUNT - FEE, "merchant paid once");
        assertEq(token.balanceOf(feeRecipient), FEE);
        assertEq(token.balanceOf(address(escrow)), 0);
    }

    function test_succeeds_blockingRefundReenteredFromRelease() public {
        ReentrantToken token = new ReentrantToken();
        IPaymentEscrow.Payment memory a = _pay(_terms(keccak256("a"), address(token), AMOUNT, FEE));
        IPaymentEscrow.Payment memory b = _pay(_terms(keccak256("b"), address(token), AMOUNT, FEE));
        _warpToRelease(a);

        token.arm(address(escrow), abi.encodeCall(IPaymentEscrow.refund, (b, AMOUNT)), false);
        escrow.release(a);

        _assertReentryBlocked(token);
        assertEq(escrow.remaining(b), AMOUNT);
    }

    function test_succeeds_blockingPayReenteredFromRefund() public {
        ReentrantToken token = new ReentrantToken();
        IPaymentEscrow.Payment memory payment = _pay(_terms(keccak256("a"), address(token), AMOUNT, FEE));
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("b"), address(token), AMOUNT, FEE);
        token.arm(address(escrow), abi.encodeCall(IPaymentEscrow.pay, (terms, _signTerms(terms))), false);

        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);

        _assertReentryBlocked(token);
        assertEq(escrow.paymentState(escrow.paymentIdOf(operator, terms.orderId)).recordHash, bytes32(0));
    }

    function test_succeeds_blockingResolveReenteredFromBatch() public {
        ReentrantToken token = new ReentrantToken();
        IPaymentEscrow.Payment[] memory ps = new IPaymentEscrow.Payment[](1);
        ps[0] = _pay(_terms(keccak256("a"), address(token), AMOUNT, FEE));
        IPaymentEscrow.Payment memory disputed = _pay(_terms(keccak256("b"), address(token), AMOUNT, FEE));
        vm.prank(payer);
        escrow.dispute(disputed);
        _warpToRelease(ps[0]);

        token.arm(address(escrow), abi.encodeCall(IPaymentEscrow.resolve, (disputed, AMOUNT)), false);
        assertEq(escrow.releaseBatch(ps), 1);

        _assertReentryBlocked(token);
        assertEq(escrow.remaining(disputed), AMOUNT);
    }

    function test_succeeds_creditingWhenAReentrantPayoutFails() public {
        // Every transfer out tries to release the same payment again, is refused by the guard and fails (the token
        // bubbles the error, which also rolls back its own bookkeeping): the merchant and the fee recipient are
        // credited, nothing is paid twice.
        ReentrantToken token = new ReentrantToken();
        IPaymentEscrow.Payment memory payment = _pay(_terms(keccak256("a"), address(token), AMOUNT, FEE));
        _warpToRelease(payment);
        token.arm(address(escrow), abi.encodeCall(IPaymentEscrow.release, (payment)), true);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PayoutCredited(_paymentId(payment), address(token), merchant, AMOUNT - FEE);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PayoutCredited(_paymentId(payment), address(token), feeRecipient, FEE);
        escrow.release(payment);

        assertEq(escrow.credits(address(token), merchant), AMOUNT - FEE, "merchant credited");
        assertEq(escrow.credits(address(token), feeRecipient), FEE, "fee recipient credited");
        assertEq(token.balanceOf(address(escrow)), AMOUNT, "all of it stays for withdrawal");
        assertEq(escrow.paymentState(_paymentId(payment)).recordHash, escrow.CLOSED(), "released once");
    }

    function test_succeeds_blockingWithdrawReenteredFromWithdraw() public {
        ReentrantToken token = new ReentrantToken();
        IPaymentEscrow.Payment memory payment = _pay(_terms(keccak256("a"), address(token), AMOUNT, FEE));
        _warpToRelease(payment);
        token.arm(address(escrow), abi.encodeCall(IPaymentEscrow.release, (payment)), true);
        escrow.release(payment); // credits the merchant (see above)

        token.arm(address(escrow), abi.encodeCall(IPaymentEscrow.withdraw, (address(token), merchant)), false);
        vm.prank(stranger);
        escrow.withdraw(address(token), merchant);

        _assertReentryBlocked(token);
        assertEq(token.balanceOf(merchant), AMOUNT - FEE, "withdrawn once");
        assertEq(escrow.credits(address(token), merchant), 0);
        assertEq(token.balanceOf(address(escrow)), FEE, "fee recipient's credit remains");
    }

    // ------------------------------------------------------------------------------------------------
    // Returns false
    // ------------------------------------------------------------------------------------------------

    function test_reverts_when_payTransferReturnsFalse() public {
        FalseReturnToken token = new FalseReturnToken();
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("false"), address(token), AMOUNT, FEE);
        bytes memory signature = _signTerms(terms);
        token.mint(payer, AMOUNT);
        token.setFailAll(true);
        vm.prank(payer);
        token.approve(address(escrow), AMOUNT);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(token)));
        escrow.pay(terms, signature);
    }

    function test_succeeds_creditingMerchantWhoseTransferReturnsFalse() public {
        FalseReturnToken token = new FalseReturnToken();
        IPaymentEscrow.Payment memory payment = _pay(_terms(keccak256("false"), address(token), AMOUNT, FEE));
        token.setFlagged(merchant, true);
        _warpToRelease(payment);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PayoutCredited(_paymentId(payment), address(token), merchant, AMOUNT - FEE);
        escrow.release(payment);

        assertEq(escrow.credits(address(token), merchant), AMOUNT - FEE);
        assertEq(token.balanceOf(feeRecipient), FEE, "fee recipient still paid");
        token.setFlagged(merchant, false);
        escrow.withdraw(address(token), merchant);
        assertEq(token.balanceOf(merchant), AMOUNT - FEE);
    }

    function test_succeeds_creditingPayerWhoseRefundReturnsFalse() public {
        FalseReturnToken token = new FalseReturnToken();
        IPaymentEscrow.Payment memory payment = _pay(_terms(keccak256("false"), address(token), AMOUNT, FEE));
        token.setFlagged(payer, true);
        vm.prank(merchant);
        escrow.refund(payment, 10e6);
        assertEq(escrow.credits(address(token), payer), 10e6);
        assertEq(escrow.remaining(payment), 90e6, "refund still counted");
    }

    // ------------------------------------------------------------------------------------------------
    // Blacklist
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_creditingBlacklistedMerchantWithoutBlockingOthers() public {
        BlacklistToken token = new BlacklistToken();
        IPaymentEscrow.Payment memory blocked = _pay(_terms(keccak256("blocked"), address(token), AMOUNT, FEE));
        IPaymentEscrow.PaymentTerms memory otherTerms = _terms(keccak256("other"), address(token), AMOUNT, FEE);
        otherTerms.merchant = merchant2;
        IPaymentEscrow.Payment memory other = _pay(otherTerms);
        token.setBlacklisted(merchant, true);
        _warpToRelease(blocked);

        IPaymentEscrow.Payment[] memory batch = new IPaymentEscrow.Payment[](2);
        batch[0] = blocked;
        batch[1] = other;
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PayoutCredited(_paymentId(blocked), address(token), merchant, AMOUNT - FEE);
        assertEq(escrow.releaseBatch(batch), 2);

        assertEq(escrow.credits(address(token), merchant), AMOUNT - FEE, "merchant credited");
        assertEq(token.balanceOf(merchant2), AMOUNT - FEE, "other merchant paid");
        assertEq(token.balanceOf(feeRecipient), 2 * FEE, "fee recipient paid in full");
        assertEq(token.balanceOf(address(escrow)), AMOUNT - FEE, "only the credit stays");

        token.setBlacklisted(merchant, false);
        vm.prank(stranger);
        escrow.withdraw(address(token), merchant);
        assertEq(token.balanceOf(merchant), AMOUNT - FEE);
        assertEq(token.balanceOf(address(escrow)), 0);
    }

    function test_succeeds_creditingBlacklistedFeeRecipient() public {
        BlacklistToken token = new BlacklistToken();
        IPaymentEscrow.Payment memory payment = _pay(_terms(keccak256("fee"), address(token), AMOUNT, FEE));
        token.setBlacklisted(feeRecipient, true);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PayoutCredited(_paymentId(payment), address(token), feeRecipient, FEE);
        vm.prank(merchant);
        escrow.release(payment);

        assertEq(token.balanceOf(merchant), AMOUNT - FEE, "merchant paid");
        assertEq(escrow.credits(address(token), feeRecipient), FEE);
        token.setBlacklisted(feeRecipient, false);
        vm.prank(stranger);
        escrow.withdraw(address(token), feeRecipient);
        assertEq(token.balanceOf(feeRecipient), FEE);
        assertEq(token.balanceOf(stranger), 0);
    }

    function test_succeeds_creditingBlacklistedRefundTo() public {
        BlacklistToken token = new BlacklistToken();
        IPaymentEscrow.Payment memory payment = _payOnBehalf(
            _terms(keccak256("refund"), address(token), AMOUNT, FEE),
            treasury,
            bridge
        );
        token.setBlacklisted(bridge, true);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PayoutCredited(_paymentId(payment), address(token), bridge, AMOUNT);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        assertEq(escrow.credits(address(token), bridge), AMOUNT);
        assertEq(escrow.paymentState(_paymentId(payment)).recordHash, escrow.CLOSED());
    }

    function test_succeeds_resolvingWithEveryRecipientBlacklisted() public {
        BlacklistToken token = new BlacklistToken();
        IPaymentEscrow.Payment memory payment = _pay(_terms(keccak256("resolve"), address(token), AMOUNT, FEE));
        vm.prank(payer);
        escrow.dispute(payment);
        token.setBlacklisted(payer, true);
        token.setBlacklisted(merchant, true);
        token.setBlacklisted(feeRecipient, true);

        vm.prank(arbiter);
        escrow.resolve(payment, 50e6);

        assertEq(escrow.credits(address(token), payer), 50e6);
        assertEq(escrow.credits(address(token), merchant), 50e6 - 1e6);
        assertEq(escrow.credits(address(token), feeRecipient), 1e6);
        assertEq(token.balanceOf(address(escrow)), AMOUNT, "all credited, nothing lost");
    }

    function test_reverts_when_blacklistedPayerPays() public {
        BlacklistToken token = new BlacklistToken();
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("payer"), address(token), AMOUNT, FEE);
        bytes memory signature = _signTerms(terms);
        token.mint(payer, AMOUNT);
        vm.prank(payer);
        token.approve(address(escrow), AMOUNT);
        token.setBlacklisted(payer, true);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(BlacklistToken.Blacklisted.selector, payer));
        escrow.pay(terms, signature);
    }
}
