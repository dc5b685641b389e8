// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `payWithPermit`: EIP-2612 permit and payment in one transaction, robust to a front-run permit.
contract PayWithPermitTest is EscrowFixture {
    bytes32 internal orderId = keccak256("ord_permit");

    function test_succeeds_withoutPriorAllowance() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 permitDeadline = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            address(usdc),
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            permitDeadline
        );
        assertEq(usdc.allowance(payer, address(escrow)), 0);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentEscrowed(
            escrow.paymentIdOf(operator, orderId),
            orderId,
            merchant,
            operator,
            payer,
            payer,
            address(usdc),
            AMOUNT,
            FEE,
            uint64(_now() + ESCROW_PERIOD),
            IPaymentEscrow.PayMethod.Permit
        );
        vm.prank(payer);
        escrow.payWithPermit(terms, signature, permitDeadline, v, r, s);

        assertEq(_balance(address(usdc), address(escrow)), AMOUNT);
        assertEq(usdc.allowance(payer, address(escrow)), 0, "allowance consumed");
        assertEq(usdc.nonces(payer), 1, "permit nonce used");
        IPaymentEscrow.Payment memory payment = _record(terms, payer, payer, _now() + ESCROW_PERIOD);
        assertEq(escrow.remaining(payment), AMOUNT);
    }

    function test_succeeds_whenPermitWasFrontRun() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 permitDeadline = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            address(usdc),
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            permitDeadline
        );
        // An observer submits the permit from the mempool first.
        vm.prank(stranger);
        usdc.permit(payer, address(escrow), AMOUNT, permitDeadline, v, r, s);

        vm.prank(payer);
        escrow.payWithPermit(terms, signature, permitDeadline, v, r, s);
        assertEq(_balance(address(usdc), address(escrow)), AMOUNT);
        assertEq(usdc.allowance(payer, address(escrow)), 0);
    }

    function test_succeeds_withBadPermitWhenAllowanceExists() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        vm.prank(payer);
        usdc.approve(address(escrow), AMOUNT);

        vm.prank(payer);
        escrow.payWithPermit(terms, signature, _now() + 1 hours, 27, bytes32(0), bytes32(0));
        assertEq(_balance(address(usdc), address(escrow)), AMOUNT);
    }

    function test_succeeds_viaFixtureHelper() public {
        IPaymentEscrow.Payment memory payment = _payWithPermit(_terms(orderId), PAYER2_KEY);
        assertEq(payment.payer, payer2);
        assertEq(escrow.paymentState(_paymentId(payment)).recordHash, _recordHash(payment));
    }

    /// @dev Clients sign the permit with `permitDeadline = terms.deadline`: EIP-2612 accepts it through that second,
    ///      so in the last second a payment can land the permit is still good. Signs, then moves time to `timestamp`.
    function _signedAt(
        uint256 timestamp
    )
        internal
        returns (IPaymentEscrow.PaymentTerms memory terms, bytes memory signature, uint8 v, bytes32 r, bytes32 s)
    {
        terms = _terms(orderId);
        signature = _signTerms(terms);
        (v, r, s) = _permitSignature(address(usdc), PAYER_KEY, address(escrow), AMOUNT, terms.deadline);
        vm.warp(timestamp);
    }

    function test_succeeds_inTheLastSecondBeforeDeadline() public {
        (IPaymentEscrow.PaymentTerms memory terms, bytes memory signature, uint8 v, bytes32 r, bytes32 s) = _signedAt(
            _terms(orderId).deadline - 1
        );
        vm.prank(payer);
        escrow.payWithPermit(terms, signature, terms.deadline, v, r, s);
        IPaymentEscrow.Payment memory payment = _record(terms, payer, payer, _now() + ESCROW_PERIOD);
        assertEq(escrow.remaining(payment), AMOUNT);
        assertEq(usdc.nonces(payer), 1, "the permit was used, not an allowance");
    }

    function test_reverts_when_deadlineReached() public {
        (IPaymentEscrow.PaymentTerms memory terms, bytes memory signature, uint8 v, bytes32 r, bytes32 s) = _signedAt(
            _terms(orderId).deadline
        );
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.DeadlinePassed.selector, terms.deadline, terms.deadline));
        escrow.payWithPermit(terms, signature, terms.deadline, v, r, s);
    }

    function test_reverts_when_permitInvalidAndNoAllowance() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 permitDeadline = _now() + 1 hours;
        // Signed by another key: the permit fails, is swallowed, and the transfer finds no allowance.
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            address(usdc),
            OTHER_KEY,
            address(escrow),
            AMOUNT,
            permitDeadline
        );
        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(escrow), 0, AMOUNT)
        );
        escrow.payWithPermit(terms, signature, permitDeadline, v, r, s);
    }

    function test_reverts_when_permitExpiredAndNoAllowance() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 permitDeadline = _now() - 1;
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            address(usdc),
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            permitDeadline
        );
        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(escrow), 0, AMOUNT)
        );
        escrow.payWithPermit(terms, signature, permitDeadline, v, r, s);
    }

    function test_reverts_when_permitIsForAnotherSubmitter() public {
        // The permit is the payer's, but someone else submits it: the payer of record is always msg.sender,
        // so the stranger's own (missing) allowance is used and the payment fails.
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 permitDeadline = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            address(usdc),
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            permitDeadline
        );
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(escrow), 0, AMOUNT)
        );
        escrow.payWithPermit(terms, signature, permitDeadline, v, r, s);
    }

    function test_reverts_when_paused() public {
        vm.prank(owner);
        escrow.setPaused(true);
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 permitDeadline = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            address(usdc),
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            permitDeadline
        );
        vm.prank(payer);
        vm.expectRevert(IPaymentEscrow.PaymentsPaused.selector);
        escrow.payWithPermit(terms, signature, permitDeadline, v, r, s);
    }

    function test_reverts_when_operatorSignatureInvalid() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(OTHER_KEY, terms, address(escrow), block.chainid);
        uint256 permitDeadline = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            address(usdc),
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            permitDeadline
        );
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.InvalidOperatorSignature.selector, operator));
        escrow.payWithPermit(terms, signature, permitDeadline, v, r, s);
    }
}
