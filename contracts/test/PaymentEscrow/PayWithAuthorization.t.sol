// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `payWithAuthorization`: ERC-3009 `receiveWithAuthorization` submitted by anyone, bound to the order by
///         its nonce (the terms digest).
contract PayWithAuthorizationTest is EscrowFixture {
    bytes32 internal orderId = keccak256("ord_3009");

    function test_succeeds_whenRelayerSubmits() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        bytes32 nonce = escrow.termsDigest(terms);
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            0,
            validBefore,
            nonce
        );
        uint256 relayerBalance = _balance(address(usdc), relayer);

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
            IPaymentEscrow.PayMethod.Authorization
        );
        vm.prank(relayer);
        escrow.payWithAuthorization(terms, signature, payer, 0, validBefore, v, r, s);

        assertEq(_balance(address(usdc), address(escrow)), AMOUNT);
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE - AMOUNT);
        assertEq(_balance(address(usdc), relayer), relayerBalance, "relayer pays nothing");
        assertTrue(usdc.authorizationState(payer, nonce), "nonce used");
        IPaymentEscrow.Payment memory payment = _record(terms, payer, payer, _now() + ESCROW_PERIOD);
        assertEq(escrow.remaining(payment), AMOUNT);
    }

    function test_succeeds_whenPayerSubmits() public {
        IPaymentEscrow.Payment memory payment = _payWithAuthorization(_terms(orderId), PAYER_KEY, payer);
        assertEq(payment.payer, payer);
        assertEq(payment.refundTo, payer);
        assertEq(escrow.remaining(payment), AMOUNT);
    }

    function test_succeeds_andOnlyThePayerCanDispute() public {
        IPaymentEscrow.Payment memory payment = _payWithAuthorization(_terms(orderId), PAYER_KEY, relayer);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, relayer));
        escrow.dispute(payment);
        vm.prank(payer);
        escrow.dispute(payment);
        assertTrue(escrow.paymentState(_paymentId(payment)).disputed);
    }

    /// @dev Clients sign `validBefore = terms.deadline`; ERC-3009 and the escrow both need `now < deadline`. Signs,
    ///      then moves time to `timestamp`.
    function _signedAt(
        uint256 timestamp
    )
        internal
        returns (IPaymentEscrow.PaymentTerms memory terms, bytes memory signature, uint8 v, bytes32 r, bytes32 s)
    {
        terms = _terms(orderId);
        signature = _signTerms(terms);
        (v, r, s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            0,
            terms.deadline,
            escrow.termsDigest(terms)
        );
        vm.warp(timestamp);
    }

    function test_succeeds_inTheLastSecondBeforeDeadline() public {
        (IPaymentEscrow.PaymentTerms memory terms, bytes memory signature, uint8 v, bytes32 r, bytes32 s) = _signedAt(
            _terms(orderId).deadline - 1
        );
        vm.prank(relayer);
        escrow.payWithAuthorization(terms, signature, payer, 0, terms.deadline, v, r, s);
        IPaymentEscrow.Payment memory payment = _record(terms, payer, payer, _now() + ESCROW_PERIOD);
        assertEq(escrow.remaining(payment), AMOUNT);
    }

    function test_reverts_when_deadlineReached() public {
        // The escrow refuses first, with its own error (the token would refuse too: validBefore is not after now).
        (IPaymentEscrow.PaymentTerms memory terms, bytes memory signature, uint8 v, bytes32 r, bytes32 s) = _signedAt(
            _terms(orderId).deadline
        );
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.DeadlinePassed.selector, terms.deadline, terms.deadline));
        escrow.payWithAuthorization(terms, signature, payer, 0, terms.deadline, v, r, s);
    }

    function test_reverts_when_nonceIsNotTheTermsDigest() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            0,
            validBefore,
            keccak256("some random nonce")
        );
        vm.prank(relayer);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        escrow.payWithAuthorization(terms, signature, payer, 0, validBefore, v, r, s);
    }

    function test_reverts_when_authorizationRedirectedToAnotherOrder() public {
        // The payer authorized order A; a relayer tries to spend that authorization on order B (same amount).
        IPaymentEscrow.PaymentTerms memory termsA = _terms(orderId);
        IPaymentEscrow.PaymentTerms memory termsB = _terms(keccak256("ord_other"));
        termsB.merchant = stranger;
        bytes memory signatureB = _signTerms(termsB);
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            0,
            validBefore,
            escrow.termsDigest(termsA)
        );
        vm.prank(relayer);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        escrow.payWithAuthorization(termsB, signatureB, payer, 0, validBefore, v, r, s);
    }

    function test_reverts_when_authorizationValueDiffers() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT - 1,
            0,
            validBefore,
            escrow.termsDigest(terms)
        );
        vm.prank(relayer);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        escrow.payWithAuthorization(terms, signature, payer, 0, validBefore, v, r, s);
    }

    function test_reverts_when_submittedForAnotherPayer() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            0,
            validBefore,
            escrow.termsDigest(terms)
        );
        vm.prank(relayer);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        escrow.payWithAuthorization(terms, signature, payer2, 0, validBefore, v, r, s);
    }

    function test_reverts_when_authorizationExpired() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 validBefore = _now();
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            0,
            validBefore,
            escrow.termsDigest(terms)
        );
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009InvalidAuthorizationTime.selector, 0, validBefore));
        escrow.payWithAuthorization(terms, signature, payer, 0, validBefore, v, r, s);
    }

    function test_reverts_when_authorizationCanceled() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        bytes32 nonce = escrow.termsDigest(terms);
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            0,
            validBefore,
            nonce
        );
        // The payer changes their mind and cancels the authorization first.
        bytes32 cancelDigest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                usdc.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, payer, nonce))
            )
        );
        (uint8 cv, bytes32 cr, bytes32 cs) = vm.sign(PAYER_KEY, cancelDigest);
        usdc.cancelAuthorization(payer, nonce, cv, cr, cs);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009UsedAuthorization.selector, payer, nonce));
        escrow.payWithAuthorization(terms, signature, payer, 0, validBefore, v, r, s);
    }

    function test_reverts_when_replayed() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            0,
            validBefore,
            escrow.termsDigest(terms)
        );
        vm.prank(relayer);
        bytes32 paymentId = escrow.payWithAuthorization(terms, signature, payer, 0, validBefore, v, r, s);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.AlreadyPaid.selector, paymentId));
        escrow.payWithAuthorization(terms, signature, payer, 0, validBefore, v, r, s);
    }

    function test_reverts_when_payerIsZero() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        vm.prank(relayer);
        vm.expectRevert(IPaymentEscrow.ZeroAddress.selector);
        escrow.payWithAuthorization(terms, signature, address(0), 0, _now() + 1, 27, bytes32(0), bytes32(0));
    }

    function test_reverts_when_paused() public {
        vm.prank(owner);
        escrow.setPaused(true);
        IPaymentEscrow.PaymentTerms memory terms = _terms(orderId);
        bytes memory signature = _signTerms(terms);
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            0,
            validBefore,
            escrow.termsDigest(terms)
        );
        vm.prank(relayer);
        vm.expectRevert(IPaymentEscrow.PaymentsPaused.selector);
        escrow.payWithAuthorization(terms, signature, payer, 0, validBefore, v, r, s);
    }
}
