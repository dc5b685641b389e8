// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {RegulatedStablecoin} from "../../src/mocks/RegulatedStablecoin.sol";
import {RegulatedTokenFixture} from "../base/RegulatedTokenFixture.sol";

/// @notice The escrow with a EURC-like token: the same issuer-controlled model as USDC (RegulatedStablecoin behind its
///         proxy, deeply tested with rUSDC elsewhere) initialized as "EURC", a euro stablecoin with 6 decimals. One
///         payment by ERC-3009 authorization and one by EIP-2612 permit, each signed in EURC's own domain, then a
///         release and a refund. The escrow is currency-blind: `AMOUNT` (100e6) is 100 EUR here.
contract EurcLikeTest is RegulatedTokenFixture {
    RegulatedStablecoin internal eurc;

    function setUp() public override {
        super.setUp();
        (eurc, ) = _deployRegulatedStablecoin("EURC", "EURC", "EUR");
        vm.label(address(eurc), "EURC");
        _mint(address(eurc), payer, INITIAL_BALANCE);
        _mint(address(eurc), payer2, INITIAL_BALANCE);
    }

    function _eurcTerms(bytes32 orderId) internal view returns (IPaymentEscrow.PaymentTerms memory) {
        return _terms(orderId, address(eurc), AMOUNT, FEE);
    }

    function test_succeeds_metadataOfAEuroStablecoin() public view {
        assertEq(keccak256(bytes(eurc.name())), keccak256("EURC"));
        assertEq(keccak256(bytes(eurc.symbol())), keccak256("EURC"));
        assertEq(keccak256(bytes(eurc.currency())), keccak256("EUR"));
        assertEq(eurc.decimals(), 6);
        assertNotEq(eurc.DOMAIN_SEPARATOR(), rusdc.DOMAIN_SEPARATOR());
    }

    function test_succeeds_payByAuthorizationThenRelease() public {
        IPaymentEscrow.Payment memory payment = _payWithTokenAuthorization(
            _eurcTerms(keccak256("ord_eurc_3009")),
            PAYER_KEY,
            relayer
        );
        assertEq(eurc.balanceOf(address(escrow)), AMOUNT);
        assertEq(eurc.balanceOf(payer), INITIAL_BALANCE - AMOUNT);
        assertEq(rusdc.balanceOf(payer), INITIAL_BALANCE, "rUSDC untouched");

        _warpToRelease(payment);
        escrow.release(payment);
        assertEq(eurc.balanceOf(merchant), AMOUNT - FEE);
        assertEq(eurc.balanceOf(feeRecipient), FEE);
        assertEq(eurc.balanceOf(address(escrow)), 0);
    }

    function test_succeeds_payByPermitThenRefund() public {
        IPaymentEscrow.PaymentTerms memory terms = _eurcTerms(keccak256("ord_eurc_permit"));
        bytes memory signature = _signTerms(terms);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            PAYER2_KEY,
            _tokenPermitDigest(address(eurc), payer2, address(escrow), AMOUNT, terms.deadline)
        );
        vm.prank(payer2);
        escrow.payWithPermit(terms, signature, terms.deadline, v, r, s);
        assertEq(eurc.balanceOf(address(escrow)), AMOUNT);
        assertEq(eurc.nonces(payer2), 1);
        assertEq(eurc.allowance(payer2, address(escrow)), 0, "the exact permit was used up");

        IPaymentEscrow.Payment memory payment = _record(terms, payer2, payer2, _now() + ESCROW_PERIOD);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        assertEq(eurc.balanceOf(payer2), INITIAL_BALANCE);
        assertEq(eurc.balanceOf(address(escrow)), 0);
        assertEq(escrow.remaining(payment), 0);
    }

    function test_reverts_when_permitSignedInAnotherTokensDomain() public {
        // A USDC permit cannot pay a EURC order: the domains differ (name), so the token rejects it.
        IPaymentEscrow.PaymentTerms memory terms = _eurcTerms(keccak256("ord_eurc_permit"));
        bytes memory signature = _signTerms(terms);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            PAYER_KEY,
            _tokenPermitDigest(address(rusdc), payer, address(escrow), AMOUNT, terms.deadline)
        );
        vm.prank(payer);
        vm.expectRevert(_reason("ERC20: transfer amount exceeds allowance"));
        escrow.payWithPermit(terms, signature, terms.deadline, v, r, s);
    }
}
