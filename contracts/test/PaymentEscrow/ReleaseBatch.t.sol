// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {TestStablecoin} from "../../src/tokens/TestStablecoin.sol";
import {BlacklistToken} from "../../src/mocks/BlacklistToken.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `releaseBatch`: the keeper's settlement call; skips what cannot be released, one fee transfer per run.
contract ReleaseBatchTest is EscrowFixture {
    TestStablecoin internal eurc;

    function setUp() public override {
        super.setUp();
        eurc = new TestStablecoin(address(this));
    }

    function _payN(
        uint256 n,
        address token,
        string memory prefix
    ) internal returns (IPaymentEscrow.Payment[] memory ps) {
        ps = new IPaymentEscrow.Payment[](n);
        for (uint256 i; i < n; ++i) {
            ps[i] = _pay(_terms(keccak256(abi.encode(prefix, i)), token, AMOUNT, FEE));
        }
    }

    function test_succeeds_releasingAllMatured() public {
        IPaymentEscrow.Payment[] memory ps = _payN(3, address(usdc), "a");
        _warpToRelease(ps[2]);
        vm.recordLogs();
        vm.prank(stranger);
        uint256 released = escrow.releaseBatch(ps);
        assertEq(released, 3, "released");
        assertEq(_balance(address(usdc), merchant), 3 * (AMOUNT - FEE), "merchant");
        assertEq(_balance(address(usdc), feeRecipient), 3 * FEE, "fees");
        assertEq(_balance(address(usdc), address(escrow)), 0, "escrow");
        // 3 merchant transfers + 3 PaymentReleased + 1 aggregated fee transfer.
        assertEq(vm.getRecordedLogs().length, 7, "one fee transfer for the run");
        for (uint256 i; i < 3; ++i) {
            assertEq(escrow.paymentState(_paymentId(ps[i])).recordHash, escrow.CLOSED());
        }
    }

    function test_succeeds_emittingEachPaymentsOwnFee() public {
        IPaymentEscrow.Payment[] memory ps = _payN(1, address(usdc), "a");
        _warpToRelease(ps[0]);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentReleased(
            _paymentId(ps[0]),
            ps[0].terms.orderId,
            merchant,
            address(usdc),
            AMOUNT - FEE,
            FEE,
            feeRecipient,
            stranger,
            false
        );
        vm.prank(stranger);
        escrow.releaseBatch(ps);
    }

    function test_succeeds_withEmptyBatch() public {
        IPaymentEscrow.Payment[] memory ps = new IPaymentEscrow.Payment[](0);
        vm.recordLogs();
        assertEq(escrow.releaseBatch(ps), 0);
        assertEq(vm.getRecordedLogs().length, 0);
    }

    function test_succeeds_skippingImmature() public {
        IPaymentEscrow.Payment[] memory ps = new IPaymentEscrow.Payment[](2);
        ps[0] = _pay(keccak256("early"));
        vm.warp(_now() + 1 days);
        ps[1] = _pay(keccak256("late"));
        _warpToRelease(ps[0]);
        vm.prank(stranger);
        assertEq(escrow.releaseBatch(ps), 1);
        assertEq(escrow.remaining(ps[0]), 0);
        assertEq(escrow.remaining(ps[1]), AMOUNT);
    }

    function test_succeeds_skippingDisputedAndHeld() public {
        IPaymentEscrow.Payment[] memory ps = _payN(3, address(usdc), "f");
        vm.prank(payer);
        escrow.dispute(ps[0]);
        vm.prank(operator);
        escrow.setHold(ps[1], true);
        _warpToRelease(ps[2]);
        assertEq(escrow.releaseBatch(ps), 1);
        assertEq(escrow.remaining(ps[0]), AMOUNT);
        assertEq(escrow.remaining(ps[1]), AMOUNT);
        assertEq(escrow.remaining(ps[2]), 0);
        assertEq(_balance(address(usdc), feeRecipient), FEE);
    }

    function test_succeeds_skippingUnknownClosedAndDuplicates() public {
        IPaymentEscrow.Payment[] memory ps = new IPaymentEscrow.Payment[](4);
        ps[0] = _pay(keccak256("x"));
        ps[1] = ps[0]; // duplicate: closed by the time it is reached
        ps[2] = _record(_terms(keccak256("never paid")), payer, payer, _now());
        ps[3] = _pay(keccak256("y"));
        ps[3].terms.fee = 0; // tampered record
        _warpToRelease(ps[0]);
        assertEq(escrow.releaseBatch(ps), 1);
        assertEq(_balance(address(usdc), merchant), AMOUNT - FEE, "paid once");
        assertEq(_balance(address(usdc), address(escrow)), AMOUNT, "y still escrowed");
    }

    function test_succeeds_earlyWhenCallerIsMerchant() public {
        IPaymentEscrow.Payment[] memory ps = _payN(2, address(usdc), "m");
        ps[1].terms.merchant = merchant2; // not this merchant's: a tampered record, skipped
        vm.prank(merchant);
        assertEq(escrow.releaseBatch(ps), 1);
        vm.prank(operator);
        // The operator may release the rest early too (nothing else here is valid).
        assertEq(escrow.releaseBatch(ps), 0);
    }

    function test_succeeds_earlyWhenCallerIsOperator() public {
        IPaymentEscrow.Payment[] memory ps = _payN(2, address(usdc), "o");
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PaymentReleased(
            _paymentId(ps[0]),
            ps[0].terms.orderId,
            merchant,
            address(usdc),
            AMOUNT - FEE,
            FEE,
            feeRecipient,
            operator,
            true
        );
        vm.prank(operator);
        assertEq(escrow.releaseBatch(ps), 2);
    }

    function test_succeeds_withOneFeeTransferPerTokenRun() public {
        IPaymentEscrow.Payment[] memory ps = new IPaymentEscrow.Payment[](5);
        ps[0] = _pay(_terms(keccak256("1"), address(usdc), AMOUNT, 1e6));
        ps[1] = _pay(_terms(keccak256("2"), address(usdc), AMOUNT, 2e6));
        ps[2] = _pay(_terms(keccak256("3"), address(eurc), AMOUNT, 3e6));
        ps[3] = _pay(_terms(keccak256("4"), address(usdc), AMOUNT, 4e6));
        ps[4] = _pay(_terms(keccak256("5"), address(eurc), AMOUNT, 5e6));
        _warpToRelease(ps[4]);
        vm.recordLogs();
        assertEq(escrow.releaseBatch(ps), 5);
        // 5 merchant transfers + 5 PaymentReleased + fee transfers for runs [usdc,usdc] [eurc] [usdc] [eurc].
        assertEq(vm.getRecordedLogs().length, 14, "one fee transfer per run");
        assertEq(_balance(address(usdc), feeRecipient), 7e6, "usdc fees");
        assertEq(_balance(address(eurc), feeRecipient), 8e6, "eurc fees");
        assertEq(_balance(address(usdc), address(escrow)), 0);
        assertEq(_balance(address(eurc), address(escrow)), 0);
    }

    function test_succeeds_skippingAtRunBoundaries() public {
        IPaymentEscrow.Payment[] memory ps = new IPaymentEscrow.Payment[](3);
        ps[0] = _pay(_terms(keccak256("1"), address(usdc), AMOUNT, 1e6));
        ps[1] = _pay(_terms(keccak256("2"), address(eurc), AMOUNT, 2e6));
        ps[2] = _pay(_terms(keccak256("3"), address(usdc), AMOUNT, 4e6));
        vm.prank(payer);
        escrow.dispute(ps[1]);
        _warpToRelease(ps[2]);
        assertEq(escrow.releaseBatch(ps), 2);
        assertEq(_balance(address(usdc), feeRecipient), 5e6);
        assertEq(_balance(address(eurc), feeRecipient), 0);
    }

    function test_succeeds_whenAggregatedFeeTransferFails() public {
        BlacklistToken token = new BlacklistToken();
        IPaymentEscrow.Payment[] memory ps = new IPaymentEscrow.Payment[](2);
        ps[0] = _pay(_terms(keccak256("1"), address(token), AMOUNT, 1e6));
        ps[1] = _pay(_terms(keccak256("2"), address(token), AMOUNT, 2e6));
        token.setBlacklisted(feeRecipient, true);
        _warpToRelease(ps[1]);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PayoutCredited(bytes32(0), address(token), feeRecipient, 3e6);
        assertEq(escrow.releaseBatch(ps), 2);
        assertEq(escrow.credits(address(token), feeRecipient), 3e6);
        assertEq(_balance(address(token), merchant), 2 * AMOUNT - 3e6, "merchants paid");
        assertEq(_balance(address(token), address(escrow)), 3e6, "fee kept for withdrawal");
    }

    function test_succeeds_whenPaused() public {
        IPaymentEscrow.Payment[] memory ps = _payN(2, address(usdc), "p");
        vm.prank(owner);
        escrow.setPaused(true);
        _warpToRelease(ps[1]);
        assertEq(escrow.releaseBatch(ps), 2);
    }

    function testFuzz_releasesExactlyTheMaturedOnes(uint256 seed) public {
        uint256 n = 6;
        IPaymentEscrow.Payment[] memory ps = new IPaymentEscrow.Payment[](n);
        uint256 expected;
        uint256 expectedFees;
        for (uint256 i; i < n; ++i) {
            uint256 fee = uint256(keccak256(abi.encode(seed, i, "fee"))) % (FEE + 1);
            IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256(abi.encode(i)), address(usdc), AMOUNT, fee);
            terms.escrowPeriod = uint256(keccak256(abi.encode(seed, i))) % 10 days;
            ps[i] = _pay(terms);
        }
        vm.warp(_now() + 5 days);
        for (uint256 i; i < n; ++i) {
            if (ps[i].releaseAfter <= _now()) {
                ++expected;
                expectedFees += ps[i].terms.fee;
            }
        }
        vm.prank(stranger);
        assertEq(escrow.releaseBatch(ps), expected, "released count");
        assertEq(_balance(address(usdc), feeRecipient), expectedFees, "fees");
        assertEq(_balance(address(usdc), merchant), expected * AMOUNT - expectedFees, "merchant");
    }
}
