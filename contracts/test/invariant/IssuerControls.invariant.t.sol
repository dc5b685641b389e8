// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {PaymentEscrow} from "../../src/PaymentEscrow.sol";
import {RegulatedStablecoin} from "../../src/mocks/RegulatedStablecoin.sol";
import {TestBase} from "../base/TestBase.sol";
import {IssuerControlsHandler} from "./IssuerControlsHandler.sol";

/// @notice The handler, declared in this file so its artifact is built even when only this file is compiled (see
///         PaymentEscrow.invariant.t.sol).
contract IssuerControlsHandlerUnderTest is IssuerControlsHandler {}

/// @title IssuerControlsInvariantTest
/// @notice Stateful fuzzing of the escrow with an issuer-controlled stablecoin: random sequences of payments (all four
///         ways), releases, batches, refunds, disputes, resolutions and withdrawals while the issuer blacklists and
///         unblacklists merchants, payers, the treasury, the bridge, the fee recipient and the escrow itself, and
///         pauses and unpauses the token ({IssuerControlsHandler}).
/// @dev Runs and depth come from `solidityTest.invariant` in hardhat.config.ts (more on CI). Each `invariant_*` is its
///      own campaign, so this suite has three. The handler catches every escrow call and judges it, so a handler revert
///      is a harness bug: `failOnRevert` is on.
contract IssuerControlsInvariantTest is TestBase {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    IssuerControlsHandlerUnderTest internal handler;
    PaymentEscrow internal escrow;
    RegulatedStablecoin internal token;

    function setUp() public {
        handler = new IssuerControlsHandlerUnderTest();
        escrow = PaymentEscrow(handler.escrowAddress());
        token = RegulatedStablecoin(handler.tokenAddress());
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = IssuerControlsHandler.pay.selector;
        selectors[1] = IssuerControlsHandler.release.selector;
        selectors[2] = IssuerControlsHandler.releaseBatch.selector;
        selectors[3] = IssuerControlsHandler.refund.selector;
        selectors[4] = IssuerControlsHandler.dispute.selector;
        selectors[5] = IssuerControlsHandler.resolve.selector;
        selectors[6] = IssuerControlsHandler.withdraw.selector;
        selectors[7] = IssuerControlsHandler.setBlacklisted.selector;
        selectors[8] = IssuerControlsHandler.setTokenPaused.selector;
        selectors[9] = IssuerControlsHandler.warp.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    /// @notice The escrow's token balance is exactly what remains of every open payment plus every outstanding credit,
    ///         and each account's credit at the escrow is exactly the payouts its token refused.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_escrowHoldsOpenPaymentsPlusCredits() public view {
        _eq(token.balanceOf(address(escrow)), handler.expectedEscrowBalance(), "escrow balance != open + credits");
        address[] memory accounts = handler.watched();
        for (uint256 a; a < accounts.length; ++a) {
            _eq(
                escrow.credits(address(token), accounts[a]),
                handler.expectedCredit(accounts[a]),
                "an account's credit differs from its refused payouts"
            );
        }
    }

    /// @notice While the issuer keeps an account blacklisted its balance never changes: nothing is paid to it, and
    ///         nothing of it (or, for the escrow, of what it holds) moves.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_blacklistedBalancesNeverChange() public view {
        address[] memory accounts = handler.blacklistable();
        for (uint256 a; a < accounts.length; ++a) {
            if (!token.isBlacklisted(accounts[a])) continue;
            _eq(token.balanceOf(accounts[a]), handler.frozenBalance(accounts[a]), "a blacklisted balance changed");
        }
    }

    /// @notice Nothing is paid out twice: a payment closes at most once and pays nothing after (a charge, escrow period
    ///         0, closes in its paying call, for exactly its net and signed fee); it pays out exactly what was paid in
    ///         once closed, never more; every account holds exactly what its own payments and withdrawals gave it (no
    ///         one else's money); every call the rules allow succeeded, and no other; and a call on a closed payment
    ///         is refused as an unknown payment.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_nothingPaidOutTwice() public view {
        IssuerControlsHandler.Ghost[] memory ghosts = handler.ghosts();
        bytes32[] memory ids = handler.paymentIds();
        bytes32 closed = escrow.CLOSED();
        for (uint256 i; i < ghosts.length; ++i) {
            IssuerControlsHandler.Ghost memory g = ghosts[i];
            if (g.closings > 1) vm.assertLe(g.closings, 1, "a payment closed twice");
            _eq(g.payoutsAfterClose, 0, "a closed payment paid out again");
            uint256 paidOut = g.merchantPaid + g.feePaid + g.refunded;
            if (paidOut > g.paidIn) vm.assertLe(paidOut, g.paidIn, "paid out more than paid in");
            if (!g.open) {
                _eq(paidOut, g.paidIn, "a closed payment did not pay out exactly what was paid in");
                if (escrow.paymentState(ids[i]).recordHash != closed) vm.assertTrue(false, "closed, not CLOSED");
            }
        }
        address[] memory accounts = handler.watched();
        for (uint256 a; a < accounts.length; ++a) {
            _eq(
                token.balanceOf(accounts[a]),
                handler.expectedBalance(accounts[a]),
                "an account's balance moved other than through its own payments"
            );
        }
        _eq(handler.wrongWithdrawals(), 0, "a withdrawal paid the wrong amount or the wrong account");
        _eq(handler.chargeMismatches(), 0, "a charge was not settled exactly by its paying call, or a payment was");
        _eq(handler.closedWrongReason(), 0, "an operation on a closed payment was refused other than UnknownPayment");
        _eq(handler.unexpectedReverts(), 0, "an operation the rules allow reverted");
        _eq(handler.unexpectedSuccesses(), 0, "an operation the rules forbid succeeded");
    }

    function _eq(uint256 left, uint256 right, string memory err) internal pure {
        if (left != right) vm.assertEq(left, right, err);
    }
}
