// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {DaiLikeFixture} from "../base/DaiLikeFixture.sol";

/// @notice The escrow with a DAI-like token (DaiLikeStablecoin): `payWithDaiPermit` (DAI's own permit, which grants
///         an unlimited allowance), robust to a front-run permit, and safe with the allowance it leaves behind: no
///         other caller can make the escrow pull from the payer. Payments made this way settle like any other.
contract DaiLikeTest is DaiLikeFixture {
    uint256 internal constant MAX = type(uint256).max;
    bytes32 internal orderId = keccak256("ord_dai");

    function _signed(
        IPaymentEscrow.PaymentTerms memory terms,
        uint256 key
    ) internal view returns (bytes memory signature, uint256 nonce, uint8 v, bytes32 r, bytes32 s) {
        signature = _signTerms(terms);
        nonce = dai.nonces(vm.addr(key));
        (v, r, s) = _daiPermit(key, address(escrow), nonce, terms.deadline, true);
    }

    // ------------------------------------------------------------------------------------------------
    // Paying
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_paysExactlyTheAmountWithoutPriorAllowance() public {
        IPaymentEscrow.PaymentTerms memory terms = _daiTerms(orderId);
        (bytes memory signature, uint256 nonce, uint8 v, bytes32 r, bytes32 s) = _signed(terms, PAYER_KEY);
        assertEq(dai.allowance(payer, address(escrow)), 0);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentEscrowed(
            escrow.paymentIdOf(operator, orderId),
            orderId,
            merchant,
            operator,
            payer,
            payer,
            address(dai),
            DAI_AMOUNT,
            DAI_FEE,
            uint64(_now() + ESCROW_PERIOD),
            IPaymentEscrow.PayMethod.DaiPermit
        );
        vm.prank(payer);
        bytes32 paymentId = escrow.payWithDaiPermit(terms, signature, nonce, terms.deadline, v, r, s);

        assertEq(paymentId, escrow.paymentIdOf(operator, orderId));
        assertEq(dai.balanceOf(address(escrow)), DAI_AMOUNT);
        assertEq(dai.balanceOf(payer), DAI_BALANCE - DAI_AMOUNT, "exactly the amount");
        assertEq(dai.nonces(payer), 1, "the permit was used");
        assertEq(dai.allowance(payer, address(escrow)), MAX, "DAI's permit leaves an unlimited allowance");
        IPaymentEscrow.Payment memory payment = _record(terms, payer, payer, _now() + ESCROW_PERIOD);
        assertEq(escrow.remaining(payment), DAI_AMOUNT);
        assertEq(escrow.paymentState(paymentId).recordHash, _recordHash(payment));
    }

    function test_succeeds_withPermitThatNeverExpires() public {
        IPaymentEscrow.Payment memory payment = _payWithDaiPermit(_daiTerms(orderId), PAYER2_KEY);
        assertEq(payment.payer, payer2);
        assertEq(escrow.remaining(payment), DAI_AMOUNT);
    }

    function test_reverts_when_termsReplayed() public {
        IPaymentEscrow.PaymentTerms memory terms = _daiTerms(orderId);
        _payWithDaiPermit(terms, PAYER_KEY);
        (bytes memory signature, uint256 nonce, uint8 v, bytes32 r, bytes32 s) = _signed(terms, PAYER_KEY);
        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(IPaymentEscrow.AlreadyPaid.selector, escrow.paymentIdOf(operator, orderId))
        );
        escrow.payWithDaiPermit(terms, signature, nonce, terms.deadline, v, r, s);
        assertEq(dai.balanceOf(address(escrow)), DAI_AMOUNT, "paid once");
        assertEq(dai.nonces(payer), 1, "the second permit was not used");
    }

    function test_reverts_when_termsExpired() public {
        IPaymentEscrow.PaymentTerms memory terms = _daiTerms(orderId);
        (bytes memory signature, uint256 nonce, uint8 v, bytes32 r, bytes32 s) = _signed(terms, PAYER_KEY);
        vm.warp(terms.deadline);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.DeadlinePassed.selector, terms.deadline, terms.deadline));
        escrow.payWithDaiPermit(terms, signature, nonce, terms.deadline, v, r, s);
    }

    function test_reverts_when_paused() public {
        vm.prank(owner);
        escrow.setPaused(true);
        IPaymentEscrow.PaymentTerms memory terms = _daiTerms(orderId);
        (bytes memory signature, uint256 nonce, uint8 v, bytes32 r, bytes32 s) = _signed(terms, PAYER_KEY);
        vm.prank(payer);
        vm.expectRevert(IPaymentEscrow.PaymentsPaused.selector);
        escrow.payWithDaiPermit(terms, signature, nonce, terms.deadline, v, r, s);
    }

    function test_reverts_when_operatorSignatureInvalid() public {
        IPaymentEscrow.PaymentTerms memory terms = _daiTerms(orderId);
        (, uint256 nonce, uint8 v, bytes32 r, bytes32 s) = _signed(terms, PAYER_KEY);
        bytes memory signature = _signTerms(OTHER_KEY, terms, address(escrow), block.chainid);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.InvalidOperatorSignature.selector, operator));
        escrow.payWithDaiPermit(terms, signature, nonce, terms.deadline, v, r, s);
    }

    /// @dev A bad permit is swallowed; with no allowance the transfer fails with DAI's message and nothing is paid.
    function _assertBadPermitReverts(uint256 nonce, uint256 expiry, uint8 v, bytes32 r, bytes32 s) internal {
        IPaymentEscrow.PaymentTerms memory terms = _daiTerms(orderId);
        bytes memory signature = _signTerms(terms);
        vm.prank(payer);
        vm.expectRevert(_daiReason("Dai/insufficient-allowance"));
        escrow.payWithDaiPermit(terms, signature, nonce, expiry, v, r, s);
        assertEq(escrow.paymentState(escrow.paymentIdOf(operator, orderId)).recordHash, bytes32(0), "not paid");
        assertEq(dai.balanceOf(payer), DAI_BALANCE);
        assertEq(dai.nonces(payer), 0);
    }

    function test_reverts_when_permitSignedByAnotherKeyAndNoAllowance() public {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(OTHER_KEY, _daiPermitDigest(payer, address(escrow), 0, 0, true));
        _assertBadPermitReverts(0, 0, v, r, s);
    }

    function test_reverts_when_permitNonceWrongAndNoAllowance() public {
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, address(escrow), 1, 0, true);
        _assertBadPermitReverts(1, 0, v, r, s);
    }

    function test_reverts_when_permitExpiredAndNoAllowance() public {
        uint256 expiry = _now() - 1;
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, address(escrow), 0, expiry, true);
        _assertBadPermitReverts(0, expiry, v, r, s);
    }

    function test_reverts_when_permitIsARevocation() public {
        // The escrow always submits `allowed = true`: a signed revocation does not match and grants nothing.
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, address(escrow), 0, 0, false);
        _assertBadPermitReverts(0, 0, v, r, s);
    }

    function test_reverts_when_permitIsForAnotherSpender() public {
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, stranger, 0, 0, true);
        _assertBadPermitReverts(0, 0, v, r, s);
    }

    function test_succeeds_whenPermitWasFrontRun() public {
        IPaymentEscrow.PaymentTerms memory terms = _daiTerms(orderId);
        (bytes memory signature, uint256 nonce, uint8 v, bytes32 r, bytes32 s) = _signed(terms, PAYER_KEY);
        // An observer submits the permit from the mempool first: the escrow's own permit call then fails.
        vm.prank(stranger);
        dai.permit(payer, address(escrow), nonce, terms.deadline, true, v, r, s);

        vm.prank(payer);
        escrow.payWithDaiPermit(terms, signature, nonce, terms.deadline, v, r, s);
        assertEq(dai.balanceOf(address(escrow)), DAI_AMOUNT);
        assertEq(dai.balanceOf(payer), DAI_BALANCE - DAI_AMOUNT);
        assertEq(dai.nonces(payer), 1);
    }

    function test_succeeds_secondPaymentUsesTheLeftoverAllowance() public {
        // The payer's own unlimited allowance pays its next order even with a stale permit: its nonce is spent.
        IPaymentEscrow.PaymentTerms memory first = _daiTerms(orderId);
        (bytes memory signature, uint256 nonce, uint8 v, bytes32 r, bytes32 s) = _signed(first, PAYER_KEY);
        vm.prank(payer);
        escrow.payWithDaiPermit(first, signature, nonce, first.deadline, v, r, s);

        IPaymentEscrow.PaymentTerms memory second = _daiTerms(keccak256("ord_dai_2"));
        bytes memory signature2 = _signTerms(second);
        vm.prank(payer);
        escrow.payWithDaiPermit(second, signature2, nonce, first.deadline, v, r, s);
        assertEq(dai.balanceOf(address(escrow)), 2 * DAI_AMOUNT);
        assertEq(dai.allowance(payer, address(escrow)), MAX, "never decreased");
    }

    // ------------------------------------------------------------------------------------------------
    // The leftover unlimited allowance
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_leftoverAllowanceUnusableByAnyoneElse() public {
        _payWithDaiPermit(_daiTerms(orderId), PAYER_KEY);
        assertEq(dai.allowance(payer, address(escrow)), MAX);
        uint256 payerBalance = dai.balanceOf(payer);

        // pay: the escrow pulls from the caller (no DAI), never from the payer.
        IPaymentEscrow.PaymentTerms memory terms = _daiTerms(keccak256("ord_other"));
        bytes memory signature = _signTerms(terms);
        vm.prank(stranger);
        vm.expectRevert(_daiReason("Dai/insufficient-balance"));
        escrow.pay(terms, signature);

        // payOnBehalf naming the payer as refund address: still pulls from the caller (the treasury, no allowance).
        vm.prank(treasury);
        vm.expectRevert(_daiReason("Dai/insufficient-allowance"));
        escrow.payOnBehalf(terms, signature, payer);

        // payWithDaiPermit with the payer's old permit: the permit is checked for the caller, who pays.
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, address(escrow), 0, 0, true);
        vm.prank(stranger);
        vm.expectRevert(_daiReason("Dai/insufficient-balance"));
        escrow.payWithDaiPermit(terms, signature, 0, 0, v, r, s);

        // payWithPermit: likewise from the caller.
        vm.prank(stranger);
        vm.expectRevert(_daiReason("Dai/insufficient-balance"));
        escrow.payWithPermit(terms, signature, terms.deadline, v, r, s);

        // payWithAuthorization naming the payer: DAI has no ERC-3009, and the escrow never falls back to transferFrom.
        vm.prank(stranger);
        vm.expectRevert(bytes(""));
        escrow.payWithAuthorization(terms, signature, payer, 0, terms.deadline, v, r, s);

        // A funded stranger pays its own order from its own DAI and allowance; the payer's balance never moves.
        dai.mint(stranger, DAI_AMOUNT);
        vm.startPrank(stranger);
        dai.approve(address(escrow), DAI_AMOUNT);
        escrow.pay(terms, signature);
        vm.stopPrank();
        assertEq(dai.balanceOf(stranger), 0);
        assertEq(dai.balanceOf(payer), payerBalance, "the payer's DAI was never touched");
        assertEq(dai.balanceOf(address(escrow)), 2 * DAI_AMOUNT);
    }

    // ------------------------------------------------------------------------------------------------
    // Settling
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_releaseAfterDaiPermit() public {
        IPaymentEscrow.Payment memory payment = _payWithDaiPermit(_daiTerms(orderId), PAYER_KEY);
        _warpToRelease(payment);
        vm.prank(relayer);
        escrow.release(payment);
        assertEq(dai.balanceOf(merchant), DAI_AMOUNT - DAI_FEE);
        assertEq(dai.balanceOf(feeRecipient), DAI_FEE);
        assertEq(dai.balanceOf(address(escrow)), 0);
        assertEq(escrow.paymentState(_paymentId(payment)).recordHash, escrow.CLOSED());
    }

    function test_succeeds_partialRefundThenFullRefundAfterDaiPermit() public {
        IPaymentEscrow.Payment memory payment = _payWithDaiPermit(_daiTerms(orderId), PAYER_KEY);
        vm.prank(merchant);
        escrow.refund(payment, 30e18);
        assertEq(dai.balanceOf(payer), DAI_BALANCE - DAI_AMOUNT + 30e18);
        assertEq(escrow.remaining(payment), DAI_AMOUNT - 30e18);

        vm.prank(operator);
        escrow.refund(payment, DAI_AMOUNT - 30e18);
        assertEq(dai.balanceOf(payer), DAI_BALANCE, "the payer has it all back");
        assertEq(dai.balanceOf(address(escrow)), 0);
        assertEq(escrow.remaining(payment), 0);
    }

    function test_succeeds_disputeAndResolveAfterDaiPermit() public {
        IPaymentEscrow.Payment memory payment = _payWithDaiPermit(_daiTerms(orderId), PAYER_KEY);
        vm.prank(payer);
        escrow.dispute(payment);
        vm.prank(arbiter);
        escrow.resolve(payment, 50e18);
        uint256 fee = (DAI_FEE * 50e18) / DAI_AMOUNT;
        assertEq(dai.balanceOf(payer), DAI_BALANCE - 50e18);
        assertEq(dai.balanceOf(merchant), 50e18 - fee);
        assertEq(dai.balanceOf(feeRecipient), fee);
    }

    function test_succeeds_allowancePayWithDaiNeverDecreasesUnlimited() public {
        // pay() by a payer who approved DAI's "unlimited": DAI does not decrease it, the escrow collects exactly.
        vm.prank(payer);
        dai.approve(address(escrow), MAX);
        IPaymentEscrow.PaymentTerms memory terms = _daiTerms(orderId);
        bytes memory signature = _signTerms(terms);
        vm.prank(payer);
        escrow.pay(terms, signature);
        assertEq(dai.allowance(payer, address(escrow)), MAX);
        assertEq(dai.balanceOf(address(escrow)), DAI_AMOUNT);
    }

    function test_reverts_when_tooLittleBalance() public {
        // DAI reverts with its own message (not an ERC-6093 error), and the escrow passes it through.
        IPaymentEscrow.PaymentTerms memory terms = _daiTerms(orderId);
        terms.amount = DAI_BALANCE + 1;
        terms.fee = 0;
        (bytes memory signature, uint256 nonce, uint8 v, bytes32 r, bytes32 s) = _signed(terms, PAYER_KEY);
        vm.prank(payer);
        vm.expectRevert(_daiReason("Dai/insufficient-balance"));
        escrow.payWithDaiPermit(terms, signature, nonce, terms.deadline, v, r, s);
    }
}
