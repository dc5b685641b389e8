// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {FeeOnTransferToken} from "../../src/mocks/FeeOnTransferToken.sol";
import {MockSmartWallet, MockSmartWalletFactory} from "../../src/mocks/MockSmartWallet.sol";
import {DaiLikeFixture} from "../base/DaiLikeFixture.sol";
import {RegulatedTokenFixture} from "../base/RegulatedTokenFixture.sol";
import {Vm} from "../base/Vm.sol";

/// @dev The `bytes` permit alone: {IPaymentEscrow} overloads it, which makes `abi.encodeCall` ambiguous.
interface IChargeWithPermitBytes {
    function payWithPermit(
        IPaymentEscrow.PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        uint256 permitDeadline,
        bytes calldata permitSignature
    ) external returns (bytes32);
}

/// @notice Charges: a payment whose signed escrow period is 0 is settled in the paying transaction. Every pay path
///         (allowance, permit (v, r, s) and bytes, DAI permit, authorization (v, r, s) and bytes from an account, an
///         ERC-1271 wallet or a counterfactual one, on behalf) takes the amount from the payer and pays the merchant
///         its net and the fee recipient the fee at once, emitting `PaymentEscrowed` then `PaymentReleased`; nothing
///         stays in escrow and the record is CLOSED, so the order cannot be paid again and nothing can release,
///         refund, dispute, hold or resolve it. A blacklisted merchant or fee recipient is credited (and withdraws
///         after the issuer lifts it); a paused token, a blacklisted payer or a fee-on-transfer token refuses the
///         charge and nothing moves.
contract ChargeTest is RegulatedTokenFixture, DaiLikeFixture {
    uint256 internal constant WALLET_OWNER_KEY = 0xA11CE;

    address internal walletOwner;
    MockSmartWalletFactory internal factory;
    MockSmartWallet internal wallet;

    /// @dev Balances of the parties to a charge in one token.
    struct Balances {
        uint256 payer;
        uint256 merchant;
        uint256 feeRecipient;
        uint256 escrow;
    }

    /// @dev One charge signed for every way to pay rUSDC: the operator's terms signature, the payer's permit and
    ///      ERC-3009 authorization (valid until the terms' deadline, as Pier's clients sign them), and the smart
    ///      wallet's `bytes` authorization.
    struct Signed {
        IPaymentEscrow.PaymentTerms terms;
        bytes operatorSignature;
        bytes32 pr;
        bytes32 ps;
        bytes32 ar;
        bytes32 as_;
        uint8 pv;
        uint8 av;
        bytes walletAuthorization;
    }

    function setUp() public override(RegulatedTokenFixture, DaiLikeFixture) {
        super.setUp();
        walletOwner = vm.addr(WALLET_OWNER_KEY);
        factory = new MockSmartWalletFactory();
        wallet = MockSmartWallet(factory.deploy(walletOwner, bytes32("deployed")));
        vm.label(address(wallet), "smart wallet");
        _mint(address(rusdc), address(wallet), INITIAL_BALANCE);
    }

    // ------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------

    /// @dev Terms of a charge (escrow period 0) for the order `ref`.
    function _chargeTerms(
        string memory ref,
        address token,
        uint256 amount,
        uint256 fee
    ) internal view returns (IPaymentEscrow.PaymentTerms memory terms) {
        terms = _terms(_orderId(ref), token, amount, fee);
        terms.escrowPeriod = 0;
    }

    /// @dev Default charge terms in rUSDC.
    function _rCharge(string memory ref) internal view returns (IPaymentEscrow.PaymentTerms memory) {
        return _chargeTerms(ref, address(rusdc), AMOUNT, FEE);
    }

    function _idOf(IPaymentEscrow.PaymentTerms memory terms) internal view returns (bytes32) {
        return escrow.paymentIdOf(terms.operator, terms.orderId);
    }

    function _balances(address token, address from) internal view returns (Balances memory b) {
        b.payer = _balance(token, from);
        b.merchant = _balance(token, merchant);
        b.feeRecipient = _balance(token, feeRecipient);
        b.escrow = _balance(token, address(escrow));
    }

    function _approveFor(address token, address from, uint256 amount) internal {
        vm.prank(from);
        IERC20(token).approve(address(escrow), amount);
    }

    /// @dev Expects, from the next call, the events of a charge of `terms` paid by `from` (refunds to `refundTo`)
    ///      with `method`, submitted by `caller`: `PaymentEscrowed` releasable now, then `PaymentReleased` of the whole
    ///      amount net of the signed fee, the fee to the fee recipient, not early. Make no other call before it.
    function _expectChargeEvents(
        IPaymentEscrow.PaymentTerms memory terms,
        address from,
        address refundTo,
        IPaymentEscrow.PayMethod method,
        address caller
    ) internal {
        bytes32 paymentId = _idOf(terms);
        uint64 releaseAfter = uint64(_now());
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentEscrowed(
            paymentId,
            terms.orderId,
            terms.merchant,
            terms.operator,
            from,
            refundTo,
            terms.token,
            terms.amount,
            terms.fee,
            releaseAfter,
            method
        );
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentReleased(
            paymentId,
            terms.orderId,
            terms.merchant,
            terms.token,
            terms.amount - terms.fee,
            terms.fee,
            feeRecipient,
            caller,
            false
        );
    }

    /// @dev The charge of `terms` by `from` is settled: `from` paid the amount, the merchant got its net and the fee
    ///      recipient the fee (nothing credited), the escrow holds what it held before, and the record is CLOSED.
    function _assertCharged(
        IPaymentEscrow.PaymentTerms memory terms,
        address from,
        Balances memory before
    ) internal view {
        address token = terms.token;
        assertEq(before.payer - _balance(token, from), terms.amount, "payer paid the amount");
        assertEq(_balance(token, merchant) - before.merchant, terms.amount - terms.fee, "merchant paid its net");
        assertEq(_balance(token, feeRecipient) - before.feeRecipient, terms.fee, "fee recipient paid the fee");
        assertEq(_balance(token, address(escrow)), before.escrow, "escrow balance unchanged");
        assertEq(escrow.credits(token, merchant), 0, "merchant not credited");
        assertEq(escrow.credits(token, feeRecipient), 0, "fee recipient not credited");
        _assertClosed(terms);
    }

    function _assertClosed(IPaymentEscrow.PaymentTerms memory terms) internal view {
        IPaymentEscrow.PaymentState memory state = escrow.paymentState(_idOf(terms));
        assertEq(state.recordHash, escrow.CLOSED(), "closed at once");
        assertEq(state.refunded, 0, "refunded");
        assertFalse(state.disputed, "disputed");
        assertFalse(state.held, "held");
    }

    function _signedEveryWay(string memory ref) internal view returns (Signed memory x) {
        x.terms = _rCharge(ref);
        x.operatorSignature = _signTerms(x.terms);
        (x.pv, x.pr, x.ps) = _permitSignature(address(rusdc), PAYER_KEY, address(escrow), AMOUNT, x.terms.deadline);
        (x.av, x.ar, x.as_) = _escrowAuthorization(x.terms, PAYER_KEY);
        x.walletAuthorization = _escrowAuthorizationBytes(x.terms, address(wallet), WALLET_OWNER_KEY);
    }

    /// @dev Tries the charge every way (allowance and permit by the payer, authorization by a relayer, the smart
    ///      wallet's `bytes` authorization by a relayer, on behalf by the treasury); each must revert with `err`.
    ///      Allowances must be in place already.
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
        vm.prank(relayer);
        vm.expectRevert(err);
        escrow.payWithAuthorization(
            x.terms,
            x.operatorSignature,
            address(wallet),
            0,
            x.terms.deadline,
            x.walletAuthorization
        );
        vm.prank(treasury);
        vm.expectRevert(err);
        escrow.payOnBehalf(x.terms, x.operatorSignature, bridge);
    }

    /// @dev rUSDC balances of everyone a refused charge could touch.
    function _everyonesBalances() internal view returns (uint256[6] memory b) {
        address[6] memory accounts = [payer, treasury, address(wallet), merchant, feeRecipient, address(escrow)];
        for (uint256 i; i < accounts.length; ++i) b[i] = rusdc.balanceOf(accounts[i]);
    }

    function _assertNothingMoved(Signed memory x, uint256[6] memory before) internal view {
        uint256[6] memory afterwards = _everyonesBalances();
        for (uint256 i; i < afterwards.length; ++i) assertEq(afterwards[i], before[i], "a balance moved");
        assertEq(escrow.paymentState(_idOf(x.terms)).recordHash, bytes32(0), "nothing recorded");
        assertEq(escrow.credits(address(rusdc), merchant), 0, "nothing credited");
        assertEq(escrow.credits(address(rusdc), feeRecipient), 0, "nothing credited");
    }

    /// @dev Charges `terms` (rUSDC) from `payer`'s allowance.
    function _chargeByAllowance(IPaymentEscrow.PaymentTerms memory terms) internal {
        bytes memory signature = _signTerms(terms);
        _approveFor(terms.token, payer, terms.amount);
        vm.prank(payer);
        escrow.pay(terms, signature);
    }

    // ------------------------------------------------------------------------------------------------
    // Every way to pay settles a charge at once
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_chargeByAllowance() public {
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("allowance");
        bytes memory signature = _signTerms(terms);
        _approveFor(address(rusdc), payer, AMOUNT);
        Balances memory before = _balances(address(rusdc), payer);

        _expectChargeEvents(terms, payer, payer, IPaymentEscrow.PayMethod.Allowance, payer);
        vm.prank(payer);
        bytes32 paymentId = escrow.pay(terms, signature);

        assertEq(paymentId, _idOf(terms), "paymentId");
        _assertCharged(terms, payer, before);
        assertEq(rusdc.allowance(payer, address(escrow)), 0, "allowance spent");
        assertEq(escrow.remaining(_record(terms, payer, payer, _now())), 0, "nothing remains");
    }

    function test_succeeds_chargeByPermit() public {
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("permit");
        bytes memory signature = _signTerms(terms);
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            address(rusdc),
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            terms.deadline
        );
        Balances memory before = _balances(address(rusdc), payer);

        _expectChargeEvents(terms, payer, payer, IPaymentEscrow.PayMethod.Permit, payer);
        vm.prank(payer);
        escrow.payWithPermit(terms, signature, terms.deadline, v, r, s);

        _assertCharged(terms, payer, before);
        assertEq(rusdc.nonces(payer), 1, "the permit was used");
    }

    function test_succeeds_chargeByPermitBytesFromAnAccount() public {
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("permit-bytes");
        bytes memory signature = _signTerms(terms);
        bytes memory permit = _sign(
            PAYER_KEY,
            _tokenPermitDigest(address(rusdc), payer, address(escrow), AMOUNT, terms.deadline)
        );
        Balances memory before = _balances(address(rusdc), payer);

        _expectChargeEvents(terms, payer, payer, IPaymentEscrow.PayMethod.Permit, payer);
        vm.prank(payer);
        escrow.payWithPermit(terms, signature, terms.deadline, permit);

        _assertCharged(terms, payer, before);
        assertEq(rusdc.nonces(payer), 1, "the permit was used");
    }

    function test_succeeds_chargeByPermitBytesFromAnERC1271Wallet() public {
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("1271-permit");
        bytes memory signature = _signTerms(terms);
        bytes memory permit = _sign(
            WALLET_OWNER_KEY,
            _tokenPermitDigest(address(rusdc), address(wallet), address(escrow), AMOUNT, terms.deadline)
        );
        bytes memory call = abi.encodeCall(
            IChargeWithPermitBytes.payWithPermit,
            (terms, signature, terms.deadline, permit)
        );
        Balances memory before = _balances(address(rusdc), address(wallet));

        _expectChargeEvents(terms, address(wallet), address(wallet), IPaymentEscrow.PayMethod.Permit, address(wallet));
        vm.prank(walletOwner);
        wallet.execute(address(escrow), call);

        _assertCharged(terms, address(wallet), before);
        assertEq(rusdc.allowance(address(wallet), address(escrow)), 0, "allowance spent");
    }

    function test_succeeds_chargeByDaiPermit() public {
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms("dai", address(dai), DAI_AMOUNT, DAI_FEE);
        bytes memory signature = _signTerms(terms);
        uint256 nonce = dai.nonces(payer);
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, address(escrow), nonce, terms.deadline, true);
        Balances memory before = _balances(address(dai), payer);

        _expectChargeEvents(terms, payer, payer, IPaymentEscrow.PayMethod.DaiPermit, payer);
        vm.prank(payer);
        escrow.payWithDaiPermit(terms, signature, nonce, terms.deadline, v, r, s);

        _assertCharged(terms, payer, before);
        assertEq(dai.nonces(payer), nonce + 1, "the permit was used");
    }

    function test_succeeds_chargeByAuthorization() public {
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("3009");
        bytes memory signature = _signTerms(terms);
        (uint8 v, bytes32 r, bytes32 s) = _escrowAuthorization(terms, PAYER_KEY);
        Balances memory before = _balances(address(rusdc), payer);

        _expectChargeEvents(terms, payer, payer, IPaymentEscrow.PayMethod.Authorization, relayer);
        vm.prank(relayer);
        escrow.payWithAuthorization(terms, signature, payer, 0, terms.deadline, v, r, s);

        _assertCharged(terms, payer, before);
        assertEq(rusdc.balanceOf(relayer), 0, "the relayer pays and gets nothing");
        assertTrue(rusdc.authorizationState(payer, escrow.termsDigest(terms)), "nonce = terms digest, used");
    }

    function test_succeeds_chargeByAuthorizationBytesFromAnAccount() public {
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("3009-bytes");
        bytes memory signature = _signTerms(terms);
        bytes memory authorization = _escrowAuthorizationBytes(terms, payer, PAYER_KEY);
        Balances memory before = _balances(address(rusdc), payer);

        _expectChargeEvents(terms, payer, payer, IPaymentEscrow.PayMethod.Authorization, relayer);
        vm.prank(relayer);
        escrow.payWithAuthorization(terms, signature, payer, 0, terms.deadline, authorization);

        _assertCharged(terms, payer, before);
        assertTrue(rusdc.authorizationState(payer, escrow.termsDigest(terms)), "nonce used");
    }

    function test_succeeds_chargeByAuthorizationBytesFromAnERC1271Wallet() public {
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("1271-3009");
        bytes memory signature = _signTerms(terms);
        bytes memory authorization = _escrowAuthorizationBytes(terms, address(wallet), WALLET_OWNER_KEY);
        Balances memory before = _balances(address(rusdc), address(wallet));

        _expectChargeEvents(terms, address(wallet), address(wallet), IPaymentEscrow.PayMethod.Authorization, relayer);
        vm.prank(relayer);
        escrow.payWithAuthorization(terms, signature, address(wallet), 0, terms.deadline, authorization);

        _assertCharged(terms, address(wallet), before);
        assertTrue(rusdc.authorizationState(address(wallet), escrow.termsDigest(terms)), "nonce used");
    }

    function test_succeeds_chargeByWrappedAuthorizationFromACounterfactualWallet() public {
        bytes32 salt = "counterfactual";
        address predicted = factory.addressOf(walletOwner, salt);
        _mint(address(rusdc), predicted, AMOUNT);
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("6492-3009");
        bytes memory signature = _signTerms(terms);
        bytes memory authorization = _wrap6492(
            address(factory),
            abi.encodeCall(MockSmartWalletFactory.deploy, (walletOwner, salt)),
            _escrowAuthorizationBytes(terms, predicted, WALLET_OWNER_KEY)
        );
        Balances memory before = _balances(address(rusdc), predicted);

        _expectChargeEvents(terms, predicted, predicted, IPaymentEscrow.PayMethod.Authorization, relayer);
        vm.prank(relayer);
        escrow.payWithAuthorization(terms, signature, predicted, 0, terms.deadline, authorization);

        assertGt(predicted.code.length, 0);
        _assertCharged(terms, predicted, before);
        assertEq(rusdc.balanceOf(predicted), 0);
    }

    function test_succeeds_chargeOnBehalf() public {
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("fiat");
        bytes memory signature = _signTerms(terms);
        _approveFor(address(rusdc), treasury, AMOUNT);
        Balances memory before = _balances(address(rusdc), treasury);

        _expectChargeEvents(terms, treasury, bridge, IPaymentEscrow.PayMethod.OnBehalf, treasury);
        vm.prank(treasury);
        escrow.payOnBehalf(terms, signature, bridge);

        _assertCharged(terms, treasury, before);
        assertEq(rusdc.balanceOf(bridge), 0, "the refund address gets nothing");
    }

    function test_succeeds_chargeWithZeroFeeLeavingTheFeeRecipientAlone() public {
        // The fee recipient is blacklisted: a zero fee must not be sent, nor credited, nor announced.
        _blacklist(feeRecipient);
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms("no fee", address(rusdc), AMOUNT, 0);
        bytes memory signature = _signTerms(terms);
        _approveFor(address(rusdc), payer, AMOUNT);
        Balances memory before = _balances(address(rusdc), payer);

        vm.recordLogs();
        _expectChargeEvents(terms, payer, payer, IPaymentEscrow.PayMethod.Allowance, payer);
        vm.prank(payer);
        escrow.pay(terms, signature);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        _assertCharged(terms, payer, before);
        assertEq(_balance(address(rusdc), merchant) - before.merchant, AMOUNT, "the merchant gets the whole amount");
        assertEq(rusdc.balanceOf(feeRecipient), before.feeRecipient, "fee recipient balance unchanged");
        bytes32 transferTopic = keccak256("Transfer(address,address,uint256)");
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(escrow)) {
                assertTrue(logs[i].topics[0] != IPaymentEscrow.PayoutCredited.selector, "nothing credited");
            }
            if (logs[i].emitter == address(rusdc) && logs[i].topics[0] == transferTopic) {
                assertTrue(logs[i].topics[2] != bytes32(uint256(uint160(feeRecipient))), "no transfer to the fee");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Closed at once: never paid twice, never settled again
    // ------------------------------------------------------------------------------------------------

    function test_reverts_when_aChargedOrderIsPaidAgainAnyWay() public {
        Signed memory x = _signedEveryWay("twice");
        _approveFor(address(rusdc), payer, 2 * AMOUNT);
        _approveFor(address(rusdc), treasury, AMOUNT);
        vm.prank(payer);
        escrow.pay(x.terms, x.operatorSignature);
        uint256[6] memory before = _everyonesBalances();
        bytes memory alreadyPaid = abi.encodeWithSelector(IPaymentEscrow.AlreadyPaid.selector, _idOf(x.terms));

        // Every way, with signatures that are otherwise valid for the order.
        _expectEveryWayToRevert(x, alreadyPaid);
        bytes memory permit = _sign(
            WALLET_OWNER_KEY,
            _tokenPermitDigest(address(rusdc), address(wallet), address(escrow), AMOUNT, x.terms.deadline)
        );
        bytes memory call = abi.encodeCall(
            IChargeWithPermitBytes.payWithPermit,
            (x.terms, x.operatorSignature, x.terms.deadline, permit)
        );
        vm.prank(walletOwner);
        vm.expectRevert(alreadyPaid);
        wallet.execute(address(escrow), call);
        // The same order in another token (DAI permit), and as an escrowed payment.
        IPaymentEscrow.PaymentTerms memory daiTerms = _chargeTerms("twice", address(dai), DAI_AMOUNT, DAI_FEE);
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, address(escrow), 0, daiTerms.deadline, true);
        bytes memory daiSignature = _signTerms(daiTerms);
        vm.prank(payer);
        vm.expectRevert(alreadyPaid);
        escrow.payWithDaiPermit(daiTerms, daiSignature, 0, daiTerms.deadline, v, r, s);
        IPaymentEscrow.PaymentTerms memory escrowed = _rCharge("twice");
        escrowed.escrowPeriod = ESCROW_PERIOD;
        bytes memory escrowedSignature = _signTerms(escrowed);
        vm.prank(payer);
        vm.expectRevert(alreadyPaid);
        escrow.pay(escrowed, escrowedSignature);

        uint256[6] memory afterwards = _everyonesBalances();
        for (uint256 i; i < afterwards.length; ++i) assertEq(afterwards[i], before[i], "a balance moved");
        assertEq(dai.balanceOf(payer), DAI_BALANCE, "no DAI moved");
        _assertClosed(x.terms);
    }

    function test_reverts_when_aChargeIsReleasedRefundedDisputedHeldOrResolved() public {
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("settled");
        _chargeByAllowance(terms);
        // The exact record the payment would have had: it is not stored, the state holds CLOSED.
        IPaymentEscrow.Payment memory payment = _record(terms, payer, payer, _now());
        bytes memory unknown = abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(payment));
        uint256[6] memory before = _everyonesBalances();
        assertEq(escrow.remaining(payment), 0, "nothing remains");

        vm.prank(stranger);
        vm.expectRevert(unknown);
        escrow.release(payment);
        vm.prank(merchant);
        vm.expectRevert(unknown);
        escrow.release(payment);
        vm.prank(merchant);
        vm.expectRevert(unknown);
        escrow.refund(payment, AMOUNT);
        vm.prank(operator);
        vm.expectRevert(unknown);
        escrow.refund(payment, 1);
        vm.prank(payer);
        vm.expectRevert(unknown);
        escrow.dispute(payment);
        vm.prank(operator);
        vm.expectRevert(unknown);
        escrow.setHold(payment, true);
        vm.prank(arbiter);
        vm.expectRevert(unknown);
        escrow.resolve(payment, AMOUNT);
        IPaymentEscrow.Payment[] memory batch = new IPaymentEscrow.Payment[](1);
        batch[0] = payment;
        vm.prank(relayer);
        assertEq(escrow.releaseBatch(batch), 0, "a batch skips it");

        uint256[6] memory afterwards = _everyonesBalances();
        for (uint256 i; i < afterwards.length; ++i) assertEq(afterwards[i], before[i], "a balance moved");
        _assertClosed(terms);
    }

    // ------------------------------------------------------------------------------------------------
    // Issuer controls: blacklisted recipients are credited; a paused token or blacklisted payer refuses it
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_chargeCreditingABlacklistedMerchant() public {
        _blacklist(merchant);
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("frozen merchant");
        bytes memory signature = _signTerms(terms);
        _approveFor(address(rusdc), payer, AMOUNT);
        Balances memory before = _balances(address(rusdc), payer);
        bytes32 paymentId = _idOf(terms);

        _expectChargeEvents(terms, payer, payer, IPaymentEscrow.PayMethod.Allowance, payer);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PayoutCredited(paymentId, address(rusdc), merchant, AMOUNT - FEE);
        vm.prank(payer);
        escrow.pay(terms, signature);

        assertEq(before.payer - rusdc.balanceOf(payer), AMOUNT, "payer paid");
        assertEq(rusdc.balanceOf(merchant), before.merchant, "nothing reaches the frozen merchant");
        assertEq(escrow.credits(address(rusdc), merchant), AMOUNT - FEE, "merchant credited its net");
        assertEq(rusdc.balanceOf(feeRecipient) - before.feeRecipient, FEE, "fee paid");
        assertEq(rusdc.balanceOf(address(escrow)) - before.escrow, AMOUNT - FEE, "only the credit stays");
        _assertClosed(terms);

        vm.expectRevert(_reason(BLACKLISTED));
        escrow.withdraw(address(rusdc), merchant);

        _unBlacklist(merchant);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.CreditWithdrawn(address(rusdc), merchant, relayer, AMOUNT - FEE);
        vm.prank(relayer);
        escrow.withdraw(address(rusdc), merchant);
        assertEq(rusdc.balanceOf(merchant) - before.merchant, AMOUNT - FEE, "the credit paid, to the merchant");
        assertEq(escrow.credits(address(rusdc), merchant), 0);
        assertEq(rusdc.balanceOf(address(escrow)), before.escrow, "nothing left behind");
    }

    function test_succeeds_chargeCreditingABlacklistedFeeRecipient() public {
        _blacklist(feeRecipient);
        IPaymentEscrow.PaymentTerms memory terms = _rCharge("frozen fee recipient");
        bytes memory signature = _signTerms(terms);
        (uint8 v, bytes32 r, bytes32 s) = _escrowAuthorization(terms, PAYER_KEY);
        Balances memory before = _balances(address(rusdc), payer);
        bytes32 paymentId = _idOf(terms);

        _expectChargeEvents(terms, payer, payer, IPaymentEscrow.PayMethod.Authorization, relayer);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PayoutCredited(paymentId, address(rusdc), feeRecipient, FEE);
        vm.prank(relayer);
        escrow.payWithAuthorization(terms, signature, payer, 0, terms.deadline, v, r, s);

        assertEq(before.payer - rusdc.balanceOf(payer), AMOUNT, "payer paid");
        assertEq(rusdc.balanceOf(merchant) - before.merchant, AMOUNT - FEE, "merchant paid its net");
        assertEq(rusdc.balanceOf(feeRecipient), before.feeRecipient, "nothing reaches the frozen fee recipient");
        assertEq(escrow.credits(address(rusdc), feeRecipient), FEE, "fee credited");
        assertEq(rusdc.balanceOf(address(escrow)) - before.escrow, FEE, "only the credit stays");
        _assertClosed(terms);

        vm.expectRevert(_reason(BLACKLISTED));
        escrow.withdraw(address(rusdc), feeRecipient);

        _unBlacklist(feeRecipient);
        vm.prank(stranger);
        escrow.withdraw(address(rusdc), feeRecipient);
        assertEq(rusdc.balanceOf(feeRecipient) - before.feeRecipient, FEE, "the credit paid, to the fee recipient");
        assertEq(escrow.credits(address(rusdc), feeRecipient), 0);
        assertEq(rusdc.balanceOf(address(escrow)), before.escrow, "nothing left behind");
    }

    function test_reverts_when_chargingWhileTheTokenIsPaused() public {
        Signed memory x = _signedEveryWay("paused");
        _approveFor(address(rusdc), payer, AMOUNT);
        _approveFor(address(rusdc), treasury, AMOUNT);
        uint256[6] memory before = _everyonesBalances();
        _pauseToken();

        _expectEveryWayToRevert(x, _reason(PAUSED));
        _assertNothingMoved(x, before);

        // The same signatures charge once the issuer unpauses.
        _unpauseToken();
        vm.prank(relayer);
        escrow.payWithAuthorization(x.terms, x.operatorSignature, payer, 0, x.terms.deadline, x.av, x.ar, x.as_);
        assertEq(rusdc.balanceOf(merchant) - before[3], AMOUNT - FEE, "charged after the unpause");
    }

    function test_reverts_when_aBlacklistedPayerCharges() public {
        Signed memory x = _signedEveryWay("frozen payer");
        _approveFor(address(rusdc), payer, AMOUNT);
        _approveFor(address(rusdc), treasury, AMOUNT);
        uint256[6] memory before = _everyonesBalances();
        _blacklist(payer);
        _blacklist(treasury);
        _blacklist(address(wallet));

        _expectEveryWayToRevert(x, _reason(BLACKLISTED));
        _assertNothingMoved(x, before);
    }

    // ------------------------------------------------------------------------------------------------
    // Hostile tokens
    // ------------------------------------------------------------------------------------------------

    function test_reverts_when_aFeeOnTransferTokenIsCharged() public {
        FeeOnTransferToken token = new FeeOnTransferToken(100); // 1%
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms("fot", address(token), AMOUNT, FEE);
        bytes memory signature = _signTerms(terms);
        token.mint(payer, AMOUNT);
        token.mint(treasury, AMOUNT);
        _approveFor(address(token), payer, AMOUNT);
        _approveFor(address(token), treasury, AMOUNT);
        bytes memory mismatch = abi.encodeWithSelector(
            IPaymentEscrow.TokenTransferMismatch.selector,
            AMOUNT,
            AMOUNT - AMOUNT / 100
        );

        vm.prank(payer);
        vm.expectRevert(mismatch);
        escrow.pay(terms, signature);
        vm.prank(treasury);
        vm.expectRevert(mismatch);
        escrow.payOnBehalf(terms, signature, bridge);

        assertEq(token.balanceOf(payer), AMOUNT);
        assertEq(token.balanceOf(treasury), AMOUNT);
        assertEq(token.balanceOf(merchant), 0);
        assertEq(token.balanceOf(feeRecipient), 0);
        assertEq(token.balanceOf(address(escrow)), 0);
        assertEq(escrow.paymentState(_idOf(terms)).recordHash, bytes32(0), "nothing recorded");
    }

    // ------------------------------------------------------------------------------------------------
    // Conservation
    // ------------------------------------------------------------------------------------------------

    function testFuzz_succeeds_chargeConservesEveryUnit(
        uint256 amount,
        uint256 fee,
        bool onBehalf,
        bool merchantFrozen,
        bool feeRecipientFrozen
    ) public {
        vm.prank(owner);
        escrow.setMaxFeeBps(10_000); // any fee up to the whole amount
        amount = bound(amount, 1, type(uint128).max);
        fee = bound(fee, 0, amount);
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms("fuzz", address(rusdc), amount, fee);
        address from = onBehalf ? treasury : payer;
        _ensureBalance(address(rusdc), from, amount);
        _approveFor(address(rusdc), from, amount);
        if (merchantFrozen) _blacklist(merchant);
        if (feeRecipientFrozen) _blacklist(feeRecipient);
        bytes memory signature = _signTerms(terms);
        Balances memory before = _balances(address(rusdc), from);

        vm.prank(from);
        if (onBehalf) escrow.payOnBehalf(terms, signature, bridge);
        else escrow.pay(terms, signature);

        _assertConserved(before, from, amount, fee, merchantFrozen, feeRecipientFrozen);
        _assertClosed(terms);
    }

    /// @dev The fuzz test's accounting, apart so each function stays within the legacy pipeline's stack (coverage).
    function _assertConserved(
        Balances memory before,
        address from,
        uint256 amount,
        uint256 fee,
        bool merchantFrozen,
        bool feeRecipientFrozen
    ) private view {
        uint256 payerLoss = before.payer - rusdc.balanceOf(from);
        uint256 merchantGain = rusdc.balanceOf(merchant) - before.merchant;
        uint256 feeGain = rusdc.balanceOf(feeRecipient) - before.feeRecipient;
        uint256 merchantCredit = escrow.credits(address(rusdc), merchant);
        uint256 feeCredit = escrow.credits(address(rusdc), feeRecipient);
        assertEq(payerLoss, amount, "payer paid the amount");
        assertEq(payerLoss, merchantGain + merchantCredit + feeGain + feeCredit, "every unit accounted for");
        assertEq(merchantGain + merchantCredit, amount - fee, "merchant's net");
        assertEq(feeGain + feeCredit, fee, "the signed fee");
        assertEq(merchantFrozen ? merchantGain : merchantCredit, 0, "paid or credited, never both");
        assertEq(feeRecipientFrozen ? feeGain : feeCredit, 0, "fee paid or credited, never both");
        assertEq(
            rusdc.balanceOf(address(escrow)) - before.escrow,
            merchantCredit + feeCredit,
            "escrow keeps credits only"
        );
    }
}
