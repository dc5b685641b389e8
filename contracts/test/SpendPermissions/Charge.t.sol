// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {FeeOnTransferToken} from "../../src/mocks/FeeOnTransferToken.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {ISpendPermissions} from "../../src/interfaces/ISpendPermissions.sol";
import {SpendPermissionsFixture} from "../base/SpendPermissionsFixture.sol";

/// @notice `charge`: the first charge approving with the signature, recurring charges, per-period caps and their
///         boundaries, the permission's window, the terms binding (operator, merchant, token, buyer protection), the
///         operator as the only caller, and the escrow's and the token's own refusals leaving nothing recorded.
contract ChargeTest is SpendPermissionsFixture {
    ISpendPermissions.SpendPermission internal p;
    bytes32 internal hash;

    function setUp() public override {
        super.setUp();
        p = _permission();
        hash = _permissionDigest(p);
        _allowSpending(payer, address(usdc));
    }

    function test_succeeds_firstChargeApprovesWithTheSignature() public {
        bytes memory signature = _signPermission(PAYER_KEY, p);
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(AMOUNT);
        bytes32 paymentId = escrow.paymentIdOf(operator, terms.orderId);

        vm.expectEmit(address(permissions));
        emit ISpendPermissions.SpendPermissionApproved(
            hash,
            payer,
            operator,
            merchant,
            address(usdc),
            ALLOWANCE,
            PERIOD,
            p.start,
            p.end,
            0
        );
        vm.expectEmit(address(permissions));
        emit ISpendPermissions.SpendPermissionCharged(hash, payer, paymentId, 0, AMOUNT, AMOUNT);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentEscrowed(
            paymentId,
            terms.orderId,
            merchant,
            operator,
            address(permissions),
            payer,
            address(usdc),
            AMOUNT,
            terms.fee,
            uint64(_now() + ESCROW_PERIOD),
            IPaymentEscrow.PayMethod.OnBehalf
        );
        bytes memory operatorSignature = _signTerms(terms);
        vm.prank(operator);
        bytes32 returned = permissions.charge(p, signature, terms, operatorSignature);

        assertEq(returned, paymentId);
        IPaymentEscrow.Payment memory payment = _chargeRecord(p, terms);
        assertEq(escrow.paymentState(paymentId).recordHash, _recordHash(payment), "escrowed with payer as refundTo");
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE - AMOUNT);
        assertEq(_balance(address(usdc), address(escrow)), AMOUNT);
        assertEq(_balance(address(usdc), address(permissions)), 0, "nothing kept");
        assertEq(usdc.allowance(address(permissions), address(escrow)), 0, "no allowance left to the escrow");
        ISpendPermissions.PermissionState memory state = permissions.permissionState(hash);
        assertTrue(state.approved);
        assertEq(state.spent, AMOUNT);
        assertEq(state.periodIndex, 0);
    }

    function test_succeeds_approvedPermissionChargesWithoutSignature() public {
        vm.prank(payer);
        permissions.approve(p);
        _charge(p, AMOUNT);
        assertEq(permissions.permissionState(hash).spent, AMOUNT);
    }

    function test_succeeds_signatureIgnoredOnceApproved() public {
        vm.prank(payer);
        permissions.approve(p);
        // Any bytes: the stored approval is what counts.
        _charge(p, hex"deadbeef", _chargeTerms(AMOUNT));
        assertEq(permissions.permissionState(hash).spent, AMOUNT);
    }

    function test_succeeds_upToTheExactAllowanceInOnePeriod() public {
        vm.prank(payer);
        permissions.approve(p);
        _charge(p, AMOUNT);
        _charge(p, AMOUNT);
        _charge(p, ALLOWANCE - 2 * AMOUNT);
        assertEq(permissions.permissionState(hash).spent, ALLOWANCE);
        assertEq(permissions.remainingInPeriod(p), 0);
        _expectChargeReverts(
            p,
            "",
            _chargeTerms(1),
            abi.encodeWithSelector(ISpendPermissions.AllowanceExceeded.selector, 1, 0)
        );
    }

    function test_succeeds_refundsGoToTheAccount() public {
        vm.prank(payer);
        permissions.approve(p);
        IPaymentEscrow.Payment memory payment = _charge(p, AMOUNT);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE, "refunded to the payer");
        assertEq(_balance(address(usdc), address(permissions)), 0);
        // A refund does not give back allowance: the cap counts what was charged.
        assertEq(permissions.permissionState(hash).spent, AMOUNT);
    }

    function test_succeeds_releasedToTheMerchantAfterTheEscrowPeriod() public {
        vm.prank(payer);
        permissions.approve(p);
        IPaymentEscrow.Payment memory payment = _charge(p, AMOUNT);
        _warpToRelease(payment);
        escrow.release(payment);
        assertEq(_balance(address(usdc), merchant), AMOUNT - payment.terms.fee);
        assertEq(_balance(address(usdc), feeRecipient), payment.terms.fee);
    }

    function test_succeeds_nextPeriodStartsFromZeroAtTheExactBoundary() public {
        vm.prank(payer);
        permissions.approve(p);
        _warpToPeriod(p, 1);
        vm.warp(_now() - 1);
        _charge(p, ALLOWANCE);
        _expectChargeReverts(
            p,
            "",
            _chargeTerms(1),
            abi.encodeWithSelector(ISpendPermissions.AllowanceExceeded.selector, 1, 0)
        );
        vm.warp(_now() + 1);
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(ALLOWANCE);
        vm.expectEmit(address(permissions));
        emit ISpendPermissions.SpendPermissionCharged(
            hash,
            payer,
            escrow.paymentIdOf(operator, terms.orderId),
            1,
            ALLOWANCE,
            ALLOWANCE
        );
        _charge(p, "", terms);
        assertEq(permissions.permissionState(hash).periodIndex, 1);
    }

    function test_succeeds_skippedPeriodsDoNotAccumulate() public {
        vm.prank(payer);
        permissions.approve(p);
        _warpToPeriod(p, 5);
        _charge(p, ALLOWANCE);
        _expectChargeReverts(
            p,
            "",
            _chargeTerms(1),
            abi.encodeWithSelector(ISpendPermissions.AllowanceExceeded.selector, 1, 0)
        );
    }

    function test_succeeds_atStartAndInTheLastSecondBeforeEnd() public {
        p.start = uint48(_now() + 1 days);
        p.end = p.start + PERIOD + 5 days;
        hash = _permissionDigest(p);
        vm.prank(payer);
        permissions.approve(p);
        vm.warp(p.start);
        _charge(p, AMOUNT);
        // The last period is cut short by `end`; the cap still applies in it.
        vm.warp(p.end - 1);
        _charge(p, ALLOWANCE);
        assertEq(permissions.permissionState(hash).periodIndex, 1);
    }

    function test_reverts_when_beforeStart() public {
        p.start = uint48(_now() + 1 days);
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(ISpendPermissions.PermissionNotStarted.selector, p.start, _now())
        );
        vm.warp(p.start - 1);
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(ISpendPermissions.PermissionNotStarted.selector, p.start, _now())
        );
    }

    function test_reverts_when_atOrAfterEnd() public {
        vm.prank(payer);
        permissions.approve(p);
        vm.warp(p.end);
        _expectChargeReverts(
            p,
            "",
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(ISpendPermissions.PermissionExpired.selector, p.end, _now())
        );
        vm.warp(uint256(p.end) + 400 days);
        _expectChargeReverts(
            p,
            "",
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(ISpendPermissions.PermissionExpired.selector, p.end, _now())
        );
    }

    function test_reverts_when_overTheAllowanceInOneCharge() public {
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            _chargeTerms(uint256(ALLOWANCE) + 1),
            abi.encodeWithSelector(ISpendPermissions.AllowanceExceeded.selector, uint256(ALLOWANCE) + 1, ALLOWANCE)
        );
    }

    function test_reverts_when_callerIsNotTheOperator() public {
        // Terms the operator signed for someone else's order: anyone holding them must not make this account pay.
        vm.prank(payer);
        permissions.approve(p);
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(AMOUNT);
        bytes memory operatorSignature = _signTerms(terms);
        address[4] memory callers = [payer2, merchant, relayer, payer];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.Unauthorized.selector, callers[i]));
            permissions.charge(p, "", terms, operatorSignature);
        }
        assertEq(permissions.permissionState(hash).spent, 0);
    }

    function test_reverts_when_termsNameAnotherOperator() public {
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(AMOUNT);
        terms.operator = stranger;
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            terms,
            abi.encodeWithSelector(ISpendPermissions.OperatorMismatch.selector, operator, stranger)
        );
    }

    function test_reverts_when_termsNameAnotherMerchant() public {
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(AMOUNT);
        terms.merchant = merchant2;
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            terms,
            abi.encodeWithSelector(ISpendPermissions.MerchantMismatch.selector, merchant, merchant2)
        );
    }

    function test_reverts_when_termsNameAnotherToken() public {
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(address(rusdc), AMOUNT);
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            terms,
            abi.encodeWithSelector(ISpendPermissions.TokenMismatch.selector, address(usdc), address(rusdc))
        );
    }

    function test_reverts_when_termsHaveNoBuyerProtection() public {
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(AMOUNT);
        terms.escrowPeriod = 0;
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            terms,
            abi.encodeWithSelector(ISpendPermissions.NoBuyerProtection.selector)
        );
    }

    function test_reverts_when_notApprovedAndNoSignature() public {
        _expectChargeReverts(
            p,
            "",
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(ISpendPermissions.PermissionNotApproved.selector, hash)
        );
    }

    function test_reverts_when_permissionSignatureIsBad() public {
        _expectChargeReverts(
            p,
            _signPermission(PAYER2_KEY, p),
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(ISpendPermissions.InvalidPermissionSignature.selector, payer)
        );
        _expectChargeReverts(
            p,
            _sign(PAYER_KEY, _permissionDigest(p, address(permissions), block.chainid + 1)),
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(ISpendPermissions.InvalidPermissionSignature.selector, payer)
        );
    }

    function test_reverts_when_escrowIsPaused() public {
        vm.prank(owner);
        escrow.setPaused(true);
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(IPaymentEscrow.PaymentsPaused.selector)
        );
    }

    function test_reverts_when_operatorSignatureIsBad() public {
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(AMOUNT);
        bytes memory forged = _signTerms(OTHER_KEY, terms, address(escrow), block.chainid);
        vm.prank(payer);
        permissions.approve(p);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.InvalidOperatorSignature.selector, operator));
        permissions.charge(p, "", terms, forged);
        assertEq(permissions.permissionState(hash).spent, 0);
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE);
    }

    function test_reverts_when_termsDeadlinePassed() public {
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(AMOUNT);
        terms.deadline = _now();
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            terms,
            abi.encodeWithSelector(IPaymentEscrow.DeadlinePassed.selector, _now(), _now())
        );
    }

    function test_reverts_when_theSameOrderIsChargedTwice() public {
        vm.prank(payer);
        permissions.approve(p);
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(AMOUNT);
        _charge(p, "", terms);
        bytes memory operatorSignature = _signTerms(terms);
        bytes32 paymentId = escrow.paymentIdOf(operator, terms.orderId);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.AlreadyPaid.selector, paymentId));
        permissions.charge(p, "", terms, operatorSignature);
        assertEq(permissions.permissionState(hash).spent, AMOUNT, "the refused charge is not counted");
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE - AMOUNT);
    }

    function test_reverts_when_payerIsBlacklisted() public {
        p.token = address(rusdc);
        _allowSpending(payer, address(rusdc));
        _blacklist(payer);
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            _chargeTerms(address(rusdc), AMOUNT),
            _reason(BLACKLISTED)
        );
    }

    function test_reverts_when_balanceIsShort() public {
        vm.prank(payer);
        usdc.transfer(stranger, INITIAL_BALANCE - AMOUNT + 1);
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, payer, AMOUNT - 1, AMOUNT)
        );
    }

    function test_reverts_when_tokenAllowanceIsShort() public {
        vm.prank(payer);
        usdc.approve(address(permissions), AMOUNT - 1);
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            _chargeTerms(AMOUNT),
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector,
                address(permissions),
                AMOUNT - 1,
                AMOUNT
            )
        );
    }

    function test_reverts_when_tokenTakesAFeeOnTransfer() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(100);
        fot.mint(payer, INITIAL_BALANCE);
        p.token = address(fot);
        _allowSpending(payer, address(fot));
        _expectChargeReverts(
            p,
            _signPermission(PAYER_KEY, p),
            _chargeTerms(address(fot), AMOUNT),
            abi.encodeWithSelector(ISpendPermissions.TokenTransferMismatch.selector, AMOUNT, AMOUNT - AMOUNT / 100)
        );
    }

    // ------------------------------------------------------------------------------------------------
    // Fuzz
    // ------------------------------------------------------------------------------------------------

    /// @notice Any sequence of charges at any times: each succeeds exactly when it fits the rest of its period's
    ///         allowance, and the contract's spend always equals the model's.
    function testFuzz_chargesNeverExceedTheAllowanceInAnyPeriod(
        uint256[8] memory amounts,
        uint256[8] memory gaps
    ) public {
        vm.prank(payer);
        permissions.approve(p);
        uint256 modelPeriod;
        uint256 modelSpent;
        uint256 charged;
        for (uint256 i; i < amounts.length; ++i) {
            vm.warp(_now() + bound(gaps[i], 0, PERIOD / 2));
            uint256 amount = bound(amounts[i], 1, ALLOWANCE);
            uint256 period = (_now() - p.start) / PERIOD;
            if (period != modelPeriod) (modelPeriod, modelSpent) = (period, 0);
            if (modelSpent + amount <= ALLOWANCE) {
                _charge(p, amount);
                modelSpent += amount;
                charged += amount;
            } else {
                _expectChargeReverts(
                    p,
                    "",
                    _chargeTerms(amount),
                    abi.encodeWithSelector(ISpendPermissions.AllowanceExceeded.selector, amount, ALLOWANCE - modelSpent)
                );
            }
            (, , uint160 spent) = permissions.currentPeriod(p);
            assertEq(spent, modelSpent, "spent in period");
            assertLe(spent, ALLOWANCE);
        }
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE - charged, "payer paid only the charges");
        assertEq(_balance(address(usdc), address(escrow)), charged, "all of it is escrowed");
    }

    /// @notice Outside `[start, end)` nothing is charged, whatever the time; inside it the full allowance is.
    function testFuzz_onlyInsideTheWindow(uint256 offset, bool before) public {
        p.start = uint48(_now() + 10 days);
        p.end = p.start + 3 * PERIOD;
        hash = _permissionDigest(p);
        vm.prank(payer);
        permissions.approve(p);
        if (before) {
            vm.warp(bound(offset, _now(), uint256(p.start) - 1));
            _expectChargeReverts(
                p,
                "",
                _chargeTerms(AMOUNT),
                abi.encodeWithSelector(ISpendPermissions.PermissionNotStarted.selector, p.start, _now())
            );
        } else {
            vm.warp(bound(offset, p.end, uint256(p.end) + 3650 days));
            _expectChargeReverts(
                p,
                "",
                _chargeTerms(AMOUNT),
                abi.encodeWithSelector(ISpendPermissions.PermissionExpired.selector, p.end, _now())
            );
        }
        assertFalse(permissions.isValid(p));
        assertEq(permissions.remainingInPeriod(p), 0);
        vm.warp(bound(offset, p.start, uint256(p.end) - 1));
        _charge(p, ALLOWANCE);
    }
}
