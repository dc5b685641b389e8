// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {TetherLikeStablecoin} from "../../src/mocks/TetherLikeStablecoin.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice The escrow with a USDT-like token (TetherLikeStablecoin): no return values, approve through zero,
///         a sender-only blacklist, pause, an optional transfer fee and no permit. Every way of paying that the
///         token supports works; payouts it refuses become credits; a fee it takes is refused.
contract TetherLikeTest is EscrowFixture {
    TetherLikeStablecoin internal usdt;

    function setUp() public override {
        super.setUp();
        usdt = new TetherLikeStablecoin(address(this));
        usdt.issue(3 * INITIAL_BALANCE);
        usdt.transfer(payer, INITIAL_BALANCE);
        usdt.transfer(treasury, INITIAL_BALANCE);
    }

    function _usdtTerms(bytes32 orderId) internal view returns (IPaymentEscrow.PaymentTerms memory) {
        return _terms(orderId, address(usdt), AMOUNT, FEE);
    }

    /// @dev Approves through the token's own ABI (no bool to decode) and pays from `payer`'s allowance.
    function _payUsdt(bytes32 orderId) internal returns (IPaymentEscrow.Payment memory) {
        IPaymentEscrow.PaymentTerms memory terms = _usdtTerms(orderId);
        bytes memory signature = _signTerms(terms);
        vm.startPrank(payer);
        usdt.approve(address(escrow), terms.amount);
        escrow.pay(terms, signature);
        vm.stopPrank();
        return _record(terms, payer, payer, _now() + terms.escrowPeriod);
    }

    function test_succeeds_payWithoutReturnValues() public {
        _payUsdt(keccak256("a"));
        assertEq(usdt.balanceOf(address(escrow)), AMOUNT);
        assertEq(usdt.balanceOf(payer), INITIAL_BALANCE - AMOUNT);
        assertEq(usdt.allowance(payer, address(escrow)), 0, "the allowance was used up");
    }

    function test_succeeds_refundAndReleaseTheRest() public {
        IPaymentEscrow.Payment memory paid = _payUsdt(keccak256("a"));
        uint256 payerBefore = usdt.balanceOf(payer);
        vm.prank(operator);
        escrow.refund(paid, 10e6);
        assertEq(usdt.balanceOf(payer), payerBefore + 10e6, "refunded through a transfer with no return value");

        _warpToRelease(paid);
        escrow.release(paid);
        uint256 fee = (FEE * (AMOUNT - 10e6)) / AMOUNT; // the fee shrinks with the refund
        assertEq(usdt.balanceOf(merchant), AMOUNT - 10e6 - fee);
        assertEq(usdt.balanceOf(feeRecipient), fee);
        assertEq(usdt.balanceOf(address(escrow)), 0);
    }

    function test_succeeds_secondPaymentNeedsNoAllowanceReset() public {
        // A payer who left an allowance of exactly one payment pays twice in a row: the escrow uses the allowance
        // up, so the second approve starts from zero, which USDT requires.
        _payUsdt(keccak256("a"));
        _payUsdt(keccak256("b"));
        assertEq(usdt.balanceOf(address(escrow)), 2 * AMOUNT);
    }

    function test_succeeds_withAnUnlimitedAllowanceThatNeverDecreases() public {
        IPaymentEscrow.PaymentTerms memory terms = _usdtTerms(keccak256("a"));
        bytes memory signature = _signTerms(terms);
        vm.startPrank(payer);
        usdt.approve(address(escrow), type(uint256).max);
        escrow.pay(terms, signature);
        vm.stopPrank();
        assertEq(usdt.allowance(payer, address(escrow)), type(uint256).max);
    }

    function test_succeeds_payWithPermitFallsBackToTheAllowance() public {
        // No permit on the token: the escrow ignores the failed permit call and uses the allowance.
        IPaymentEscrow.PaymentTerms memory terms = _usdtTerms(keccak256("a"));
        bytes memory signature = _signTerms(terms);
        vm.startPrank(payer);
        usdt.approve(address(escrow), terms.amount);
        escrow.payWithPermit(terms, signature, _now() + 1 hours, 27, bytes32(0), bytes32(0));
        vm.stopPrank();
        assertEq(usdt.balanceOf(address(escrow)), AMOUNT);
    }

    function test_reverts_whenTheTokenTakesATransferFee() public {
        usdt.setParams(10, 5); // 0.1%, capped at 5 tokens
        IPaymentEscrow.PaymentTerms memory terms = _usdtTerms(keccak256("a"));
        bytes memory signature = _signTerms(terms);
        vm.startPrank(payer);
        usdt.approve(address(escrow), terms.amount);
        vm.expectRevert(
            abi.encodeWithSelector(IPaymentEscrow.TokenTransferMismatch.selector, AMOUNT, AMOUNT - AMOUNT / 1000)
        );
        escrow.pay(terms, signature);
        vm.stopPrank();
    }

    function test_reverts_whenThePayerIsBlacklisted() public {
        usdt.addBlackList(payer);
        IPaymentEscrow.PaymentTerms memory terms = _usdtTerms(keccak256("a"));
        bytes memory signature = _signTerms(terms);
        vm.startPrank(payer);
        usdt.approve(address(escrow), terms.amount); // approving is not blocked, moving funds is
        vm.expectRevert(bytes(""));
        escrow.pay(terms, signature);
        vm.stopPrank();
    }

    function test_reverts_whenPaused() public {
        usdt.pause();
        IPaymentEscrow.PaymentTerms memory terms = _usdtTerms(keccak256("a"));
        bytes memory signature = _signTerms(terms);
        vm.startPrank(payer);
        usdt.approve(address(escrow), terms.amount);
        vm.expectRevert(bytes(""));
        escrow.pay(terms, signature);
        vm.stopPrank();
    }

    function test_succeeds_aBlacklistedMerchantStillReceives() public {
        // USDT checks the sender only: a listed merchant is paid (and then cannot move the funds).
        IPaymentEscrow.Payment memory paid = _payUsdt(keccak256("a"));
        usdt.addBlackList(merchant);
        _warpToRelease(paid);
        escrow.release(paid);
        assertEq(usdt.balanceOf(merchant), AMOUNT - FEE);
        assertEq(escrow.credits(address(usdt), merchant), 0);
    }

    function test_succeeds_creditsWhileTheEscrowIsBlacklistedOrTheTokenPaused() public {
        IPaymentEscrow.Payment memory first = _payUsdt(keccak256("a"));
        IPaymentEscrow.Payment memory second = _payUsdt(keccak256("b"));
        _warpToRelease(second);

        // The issuer lists the escrow itself: every payout is refused, and credited instead of blocking.
        usdt.addBlackList(address(escrow));
        escrow.release(first);
        assertEq(escrow.credits(address(usdt), merchant), AMOUNT - FEE);
        assertEq(escrow.credits(address(usdt), feeRecipient), FEE);
        usdt.removeBlackList(address(escrow));

        usdt.pause();
        escrow.release(second);
        assertEq(escrow.credits(address(usdt), merchant), 2 * (AMOUNT - FEE));
        vm.expectRevert(bytes(""));
        escrow.withdraw(address(usdt), merchant); // still paused: nothing moves, the credit stays
        assertEq(escrow.credits(address(usdt), merchant), 2 * (AMOUNT - FEE));

        usdt.unpause();
        vm.prank(relayer);
        escrow.withdraw(address(usdt), merchant);
        escrow.withdraw(address(usdt), feeRecipient);
        assertEq(usdt.balanceOf(merchant), 2 * (AMOUNT - FEE));
        assertEq(usdt.balanceOf(feeRecipient), 2 * FEE);
        assertEq(usdt.balanceOf(address(escrow)), 0);
    }
}
