// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {MockOperatorWallet} from "../../src/mocks/MockOperatorWallet.sol";
import {RegulatedStablecoin} from "../../src/mocks/RegulatedStablecoin.sol";
import {RegulatedStablecoinProxy} from "../../src/mocks/RegulatedStablecoinProxy.sol";
import {RegulatedTokenFixture} from "../base/RegulatedTokenFixture.sol";

/// @notice The escrow with an issuer-controlled stablecoin (the FiatToken v2.2 model behind its proxy): every way to
///         pay goes through the proxy; a blacklisted merchant, payer, refund address or fee recipient is credited
///         while everyone else is paid; while it stays blacklisted nothing moves its money, and afterwards anyone can
///         have its credit paid to it, exactly; a paused token credits every payout and refuses new payments, and
///         everything withdraws after the unpause.
contract IssuerControlsTest is RegulatedTokenFixture {
    uint256 internal constant WALLET_OWNER_KEY = 0xA11CE;

    /// @dev Default terms in rUSDC for the order `ref`.
    function _rTerms(string memory ref) internal view returns (IPaymentEscrow.PaymentTerms memory) {
        return _terms(_orderId(ref), address(rusdc), AMOUNT, FEE);
    }

    function _rusdc(address account) internal view returns (uint256) {
        return rusdc.balanceOf(account);
    }

    /// @dev One order signed for every way to pay: the operator's terms signature, the payer's permit and ERC-3009
    ///      authorization (both valid until the terms' deadline, as Pier's clients sign them).
    struct Signed {
        IPaymentEscrow.PaymentTerms terms;
        bytes operatorSignature;
        bytes32 pr;
        bytes32 ps;
        bytes32 ar;
        bytes32 as_;
        uint8 pv;
        uint8 av;
    }

    function _signedEveryWay(string memory ref) internal view returns (Signed memory x) {
        x.terms = _rTerms(ref);
        x.operatorSignature = _signTerms(x.terms);
        (x.pv, x.pr, x.ps) = _permitSignature(address(rusdc), PAYER_KEY, address(escrow), AMOUNT, x.terms.deadline);
        (x.av, x.ar, x.as_) = _escrowAuthorization(x.terms, PAYER_KEY);
    }

    /// @dev Tries the order every way (allowance and permit by the payer, authorization by a relayer, on behalf by
    ///      the treasury); each must revert with `err`. Allowances must be in place already.
    function _expectEveryWayToRevert(Signed memory x, bytes memory err) internal {
        vm.prank(payer);
        vm.expectRevert(err);
        escrow.pay(x.terms, x.operatorSignature);
        vm.prank(payer);
        vm.expectRevert(err);
        escrow.payWithPermit(x.terms, x.operatorSignature, x.terms.deadline, x.pv, x.pr, x.ps);
        vm.prank(relayer);
        vm.expectRevert(err);
        escrow.payWithAuthorization(x.terms, x.operatorSignature, payer, 0, x.terms.deadline, x.av, x.ar, x.as_);
        vm.prank(treasury);
        vm.expectRevert(err);
        escrow.payOnBehalf(x.terms, x.operatorSignature, bridge);
    }

    function _approveEscrow(address account) internal {
        vm.prank(account);
        rusdc.approve(address(escrow), AMOUNT);
    }

    // ------------------------------------------------------------------------------------------------
    // Paying through the proxy
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_payingByAllowanceThroughTheProxy() public {
        IPaymentEscrow.Payment memory payment = _pay(_rTerms("allowance"));
        assertEq(_rusdc(address(escrow)), AMOUNT);
        assertEq(_rusdc(payer), INITIAL_BALANCE - AMOUNT);
        assertEq(escrow.remaining(payment), AMOUNT);
        assertEq(rusdc.allowance(payer, address(escrow)), 0, "allowance spent");
    }

    function test_succeeds_payingByPermitThroughTheProxy() public {
        IPaymentEscrow.Payment memory payment = _payWithPermit(_rTerms("permit"), PAYER_KEY);
        assertEq(escrow.remaining(payment), AMOUNT);
        assertEq(rusdc.nonces(payer), 1, "the permit was used");
        assertEq(_rusdc(address(escrow)), AMOUNT);
    }

    function test_succeeds_payingByAuthorizationThroughTheProxy() public {
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("3009");
        IPaymentEscrow.Payment memory payment = _payWithTokenAuthorization(terms, PAYER_KEY, relayer);
        assertEq(escrow.remaining(payment), AMOUNT);
        assertTrue(rusdc.authorizationState(payer, escrow.termsDigest(terms)), "nonce = terms digest, used");
        assertEq(_rusdc(relayer), 0);
    }

    function test_succeeds_payingOnBehalfThroughTheProxy() public {
        IPaymentEscrow.Payment memory payment = _payOnBehalf(_rTerms("fiat"), treasury, bridge);
        assertEq(escrow.remaining(payment), AMOUNT);
        assertEq(_rusdc(treasury), INITIAL_BALANCE - AMOUNT);
    }

    function test_succeeds_payingByAuthorizationFromAnERC1271Wallet() public {
        // The escrow forwards (v, r, s); the token packs it and, the payer being a contract, asks the wallet (ERC-1271)
        // rather than ecrecover. A wallet whose signatures are 65-byte ECDSA by its owner can pay gaslessly.
        MockOperatorWallet wallet = new MockOperatorWallet(vm.addr(WALLET_OWNER_KEY));
        _mint(address(rusdc), address(wallet), AMOUNT);
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("wallet");
        bytes32 digest = _tokenAuthorizationDigest(
            address(rusdc),
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            address(wallet),
            address(escrow),
            AMOUNT,
            0,
            terms.deadline,
            escrow.termsDigest(terms)
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(WALLET_OWNER_KEY, digest);
        bytes memory signature = _signTerms(terms);
        vm.prank(relayer);
        escrow.payWithAuthorization(terms, signature, address(wallet), 0, terms.deadline, v, r, s);
        assertEq(_rusdc(address(wallet)), 0);
        assertEq(_rusdc(address(escrow)), AMOUNT);
    }

    // ------------------------------------------------------------------------------------------------
    // The deadline's last second, on every path
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_inTheLastSecondBeforeDeadlineOnEveryPath() public {
        uint256 deadline = _rTerms("a").deadline;
        vm.warp(deadline - 1);
        // Terms keep the original deadline: one second is left on each.
        IPaymentEscrow.PaymentTerms memory a = _rTerms("a");
        IPaymentEscrow.PaymentTerms memory b = _rTerms("b");
        IPaymentEscrow.PaymentTerms memory c = _rTerms("c");
        IPaymentEscrow.PaymentTerms memory d = _rTerms("d");
        (a.deadline, b.deadline, c.deadline, d.deadline) = (deadline, deadline, deadline, deadline);
        _pay(a);
        _payWithPermit(b, PAYER2_KEY);
        _payWithTokenAuthorization(c, PAYER_KEY, relayer);
        _payOnBehalf(d, treasury, bridge);
        assertEq(_rusdc(address(escrow)), 4 * AMOUNT);
    }

    function test_reverts_when_deadlineReachedOnEveryPath() public {
        Signed memory x = _signedEveryWay("late");
        _approveEscrow(payer);
        _approveEscrow(treasury);
        vm.warp(x.terms.deadline);
        _expectEveryWayToRevert(
            x,
            abi.encodeWithSelector(IPaymentEscrow.DeadlinePassed.selector, x.terms.deadline, x.terms.deadline)
        );
    }

    // ------------------------------------------------------------------------------------------------
    // Blacklisted parties are credited; everyone else is paid
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_releaseCreditingABlacklistedMerchantAndPayingTheFee() public {
        IPaymentEscrow.Payment memory payment = _pay(_rTerms("m"));
        _blacklist(merchant);
        _warpToRelease(payment);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PayoutCredited(_paymentId(payment), address(rusdc), merchant, AMOUNT - FEE);
        vm.prank(relayer);
        escrow.release(payment);

        assertEq(escrow.credits(address(rusdc), merchant), AMOUNT - FEE);
        assertEq(_rusdc(merchant), 0);
        assertEq(_rusdc(feeRecipient), FEE, "fee recipient paid");
        assertEq(_rusdc(address(escrow)), AMOUNT - FEE, "only the credit stays");
    }

    function test_succeeds_releaseBatchPayingEveryoneButTheBlacklistedMerchant() public {
        IPaymentEscrow.Payment[] memory batch = new IPaymentEscrow.Payment[](3);
        batch[0] = _pay(_rTerms("b0"));
        for (uint256 i = 1; i < 3; ++i) {
            IPaymentEscrow.PaymentTerms memory terms = _rTerms(string.concat("b", vm.toString(i)));
            terms.merchant = merchant2;
            batch[i] = _pay(terms);
        }
        _blacklist(merchant);
        _warpToRelease(batch[2]);

        vm.prank(relayer);
        assertEq(escrow.releaseBatch(batch), 3);

        assertEq(escrow.credits(address(rusdc), merchant), AMOUNT - FEE);
        assertEq(_rusdc(merchant2), 2 * (AMOUNT - FEE), "other merchant paid");
        assertEq(_rusdc(feeRecipient), 3 * FEE, "every fee paid, the blacklisted merchant's included");
        assertEq(_rusdc(address(escrow)), AMOUNT - FEE);
    }

    function test_succeeds_releaseAndReleaseBatchCreditingABlacklistedFeeRecipient() public {
        IPaymentEscrow.Payment memory single = _pay(_rTerms("single"));
        IPaymentEscrow.Payment[] memory batch = new IPaymentEscrow.Payment[](2);
        batch[0] = _pay(_rTerms("batch0"));
        batch[1] = _pay(_rTerms("batch1"));
        _blacklist(feeRecipient);
        _warpToRelease(batch[1]);

        escrow.release(single);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PayoutCredited(bytes32(0), address(rusdc), feeRecipient, 2 * FEE);
        escrow.releaseBatch(batch);

        assertEq(_rusdc(merchant), 3 * (AMOUNT - FEE), "merchant paid");
        assertEq(escrow.credits(address(rusdc), feeRecipient), 3 * FEE);
        assertEq(_rusdc(feeRecipient), 0);
    }

    function test_succeeds_refundCreditingABlacklistedPayer() public {
        IPaymentEscrow.Payment memory payment = _pay(_rTerms("r"));
        _blacklist(payer);
        vm.prank(merchant);
        escrow.refund(payment, 30e6);
        assertEq(escrow.credits(address(rusdc), payer), 30e6);
        assertEq(_rusdc(payer), INITIAL_BALANCE - AMOUNT, "frozen balance unchanged");
        assertEq(escrow.remaining(payment), AMOUNT - 30e6, "refund counted");
        // The rest still settles to the merchant.
        _warpToRelease(payment);
        escrow.release(payment);
        assertEq(_rusdc(merchant), (AMOUNT - 30e6) - (FEE * (AMOUNT - 30e6)) / AMOUNT);
    }

    function test_succeeds_resolveCreditingOnlyTheBlacklistedParties() public {
        IPaymentEscrow.Payment memory payment = _pay(_rTerms("dispute"));
        vm.prank(payer);
        escrow.dispute(payment);
        _blacklist(payer);
        _blacklist(feeRecipient);

        vm.prank(arbiter);
        escrow.resolve(payment, 40e6);

        uint256 fee = (FEE * 60e6) / AMOUNT;
        assertEq(escrow.credits(address(rusdc), payer), 40e6, "payer credited");
        assertEq(escrow.credits(address(rusdc), feeRecipient), fee, "fee recipient credited");
        assertEq(_rusdc(merchant), 60e6 - fee, "merchant paid");
        assertEq(_rusdc(address(escrow)), 40e6 + fee);
    }

    function test_reverts_when_aBlacklistedPayerPaysAnyWay() public {
        Signed memory x = _signedEveryWay("frozen payer");
        _approveEscrow(payer);
        _blacklist(payer);
        _blacklist(treasury);
        _approveEscrow(treasury); // v2.2: a blacklisted account may approve; it cannot pay
        _expectEveryWayToRevert(x, _reason(BLACKLISTED));
        assertEq(escrow.paymentState(escrow.paymentIdOf(operator, x.terms.orderId)).recordHash, bytes32(0));
    }

    function test_succeeds_acceptingAPaymentForABlacklistedMerchantsOrder() public {
        // The escrow is the receiver and is not blacklisted: a payment to a frozen merchant's order still gets in.
        // The merchant is only credited when it settles; nothing reaches it while it is frozen.
        _blacklist(merchant);
        IPaymentEscrow.Payment memory payment = _pay(_rTerms("to frozen merchant"));
        assertEq(escrow.remaining(payment), AMOUNT);
    }

    // ------------------------------------------------------------------------------------------------
    // While blacklisted, no path moves the party's money; afterwards anyone triggers an exact payout
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_movingNothingOfABlacklistedMerchantUntilUnblacklisted() public {
        IPaymentEscrow.Payment memory payment = _pay(_rTerms("frozen"));
        _mint(address(rusdc), merchant, 7e6); // what the merchant already held
        _blacklist(merchant);
        _warpToRelease(payment);
        escrow.release(payment);
        uint256 credit = AMOUNT - FEE;

        // Nobody can withdraw it while the issuer keeps the merchant frozen: not the merchant, not the keeper, not
        // a stranger; and nobody can send it anywhere else.
        address[3] memory callers = [merchant, relayer, stranger];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(_reason(BLACKLISTED));
            escrow.withdraw(address(rusdc), merchant);
        }
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(rusdc), merchant2));
        escrow.withdraw(address(rusdc), merchant2);
        vm.prank(merchant);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.transfer(merchant2, 1);
        assertEq(_rusdc(merchant), 7e6, "the frozen balance did not move");
        assertEq(_rusdc(merchant2), 0);
        assertEq(escrow.credits(address(rusdc), merchant), credit, "credit kept");
        assertEq(_rusdc(address(escrow)), credit);

        // The issuer lifts the freeze: anyone (here the keeper) has the credit paid, to the merchant, exactly.
        _unBlacklist(merchant);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.CreditWithdrawn(address(rusdc), merchant, relayer, credit);
        vm.prank(relayer);
        escrow.withdraw(address(rusdc), merchant);
        assertEq(_rusdc(merchant), 7e6 + credit);
        assertEq(_rusdc(relayer), 0);
        assertEq(escrow.credits(address(rusdc), merchant), 0);
        assertEq(_rusdc(address(escrow)), 0);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(rusdc), merchant));
        escrow.withdraw(address(rusdc), merchant);
    }

    function test_succeeds_payingABlacklistedPayersRefundToThePayerOnly() public {
        IPaymentEscrow.Payment memory payment = _pay(_rTerms("refund frozen"));
        _blacklist(payer);
        vm.prank(operator);
        escrow.refund(payment, AMOUNT);

        vm.prank(payer);
        vm.expectRevert(_reason(BLACKLISTED));
        escrow.withdraw(address(rusdc), payer);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(rusdc), payer2));
        escrow.withdraw(address(rusdc), payer2);

        _unBlacklist(payer);
        vm.prank(stranger);
        escrow.withdraw(address(rusdc), payer);
        assertEq(_rusdc(payer), INITIAL_BALANCE, "refunded in full, to the payer");
        assertEq(_rusdc(payer2), INITIAL_BALANCE);
    }

    function test_succeeds_payingAFiatRefundCreditToTheBridgeOnly() public {
        IPaymentEscrow.Payment memory payment = _payOnBehalf(_rTerms("fiat refund"), treasury, bridge);
        _blacklist(bridge);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        assertEq(escrow.credits(address(rusdc), bridge), AMOUNT);

        vm.prank(treasury);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(rusdc), treasury));
        escrow.withdraw(address(rusdc), treasury);
        vm.expectRevert(_reason(BLACKLISTED));
        escrow.withdraw(address(rusdc), bridge);

        _unBlacklist(bridge);
        escrow.withdraw(address(rusdc), bridge);
        assertEq(_rusdc(bridge), AMOUNT);
        assertEq(_rusdc(treasury), INITIAL_BALANCE - AMOUNT, "the treasury is not the refund address");
    }

    // ------------------------------------------------------------------------------------------------
    // Token paused by its issuer
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_creditingEveryPayoutWhileThePauseLastsAndWithdrawingAllAfter() public {
        IPaymentEscrow.Payment memory released = _pay(_rTerms("released"));
        IPaymentEscrow.Payment memory refunded = _payWithPermit(_rTerms("refunded"), PAYER2_KEY);
        IPaymentEscrow.Payment memory resolved = _pay(_rTerms("resolved"));
        IPaymentEscrow.Payment[] memory batch = new IPaymentEscrow.Payment[](2);
        batch[0] = _pay(_rTerms("batch0"));
        batch[1] = _payOnBehalf(_rTerms("batch1"), treasury, bridge);
        vm.prank(payer);
        escrow.dispute(resolved);
        _pauseToken();
        _warpToRelease(batch[1]);

        escrow.release(released);
        vm.prank(merchant);
        escrow.refund(refunded, 25e6);
        vm.prank(arbiter);
        escrow.resolve(resolved, 50e6);
        assertEq(escrow.releaseBatch(batch), 2);

        uint256 resolvedFee = (FEE * 50e6) / AMOUNT;
        uint256 merchantCredit = 3 * (AMOUNT - FEE) + (50e6 - resolvedFee);
        uint256 feeCredit = 3 * FEE + resolvedFee;
        assertEq(escrow.credits(address(rusdc), merchant), merchantCredit);
        assertEq(escrow.credits(address(rusdc), feeRecipient), feeCredit);
        assertEq(escrow.credits(address(rusdc), payer2), 25e6);
        assertEq(escrow.credits(address(rusdc), payer), 50e6);
        // Everything is still in the escrow: the open remainder of `refunded` plus every credit.
        assertEq(_rusdc(address(escrow)), (AMOUNT - 25e6) + merchantCredit + feeCredit + 25e6 + 50e6);
        vm.expectRevert(_reason(PAUSED));
        escrow.withdraw(address(rusdc), merchant);

        _unpauseToken();
        address[4] memory credited = [merchant, feeRecipient, payer2, payer];
        uint256[4] memory before = [_rusdc(merchant), _rusdc(feeRecipient), _rusdc(payer2), _rusdc(payer)];
        uint256[4] memory amounts = [merchantCredit, feeCredit, 25e6, 50e6];
        for (uint256 i; i < 4; ++i) {
            vm.prank(relayer);
            escrow.withdraw(address(rusdc), credited[i]);
            assertEq(_rusdc(credited[i]) - before[i], amounts[i], "each credit paid exactly, to its account");
        }
        assertEq(_rusdc(address(escrow)), AMOUNT - 25e6, "only the open payment remains");
        assertEq(escrow.remaining(refunded), AMOUNT - 25e6);
    }

    function test_reverts_when_payingWhileTheTokenIsPaused() public {
        Signed memory x = _signedEveryWay("paused");
        _approveEscrow(payer);
        _approveEscrow(treasury);
        _pauseToken();
        _expectEveryWayToRevert(x, _reason(PAUSED));

        // After the unpause the same signatures pay.
        _unpauseToken();
        vm.prank(relayer);
        escrow.payWithAuthorization(x.terms, x.operatorSignature, payer, 0, x.terms.deadline, x.av, x.ar, x.as_);
        assertEq(_rusdc(address(escrow)), AMOUNT);
    }

    // ------------------------------------------------------------------------------------------------
    // The issuer's bluntest answers: freezing the escrow itself, upgrading the token
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_losingNothingWhenTheIssuerBlacklistsTheEscrow() public {
        IPaymentEscrow.Payment memory a = _pay(_rTerms("a"));
        IPaymentEscrow.Payment memory b = _pay(_rTerms("b"));
        _blacklist(address(escrow));
        _warpToRelease(b);

        escrow.release(a);
        vm.prank(merchant);
        escrow.refund(b, AMOUNT);
        assertEq(escrow.credits(address(rusdc), merchant), AMOUNT - FEE);
        assertEq(escrow.credits(address(rusdc), feeRecipient), FEE);
        assertEq(escrow.credits(address(rusdc), payer), AMOUNT);
        assertEq(_rusdc(address(escrow)), 2 * AMOUNT, "frozen, but every unit is owed to someone");
        vm.expectRevert(_reason(BLACKLISTED));
        escrow.withdraw(address(rusdc), merchant);
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("c");
        bytes memory signature = _signTerms(terms);
        vm.startPrank(payer);
        rusdc.approve(address(escrow), AMOUNT);
        vm.expectRevert(_reason(BLACKLISTED));
        escrow.pay(terms, signature);
        vm.stopPrank();

        _unBlacklist(address(escrow));
        escrow.withdraw(address(rusdc), merchant);
        escrow.withdraw(address(rusdc), feeRecipient);
        escrow.withdraw(address(rusdc), payer);
        assertEq(_rusdc(merchant), AMOUNT - FEE);
        assertEq(_rusdc(feeRecipient), FEE);
        assertEq(_rusdc(payer), INITIAL_BALANCE - AMOUNT);
        assertEq(_rusdc(address(escrow)), 0);
    }

    function test_succeeds_settlingAfterTheIssuerUpgradesTheToken() public {
        IPaymentEscrow.Payment memory payment = _pay(_rTerms("upgrade"));
        RegulatedStablecoin next = new RegulatedStablecoin();
        vm.prank(proxyAdmin);
        RegulatedStablecoinProxy(payable(address(rusdc))).upgradeTo(address(next));
        _warpToRelease(payment);
        escrow.release(payment);
        assertEq(_rusdc(merchant), AMOUNT - FEE);
        assertEq(_rusdc(feeRecipient), FEE);
    }
}
