// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {PaymentEscrow} from "../../src/PaymentEscrow.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {TestBase} from "../base/TestBase.sol";
import {EscrowHandler} from "./EscrowHandler.sol";

/// @notice The handler, declared in this file so its artifact is built even when only this file is compiled
///         (`hardhat test solidity <this file>` emits artifacts for the given file's contracts only, and the
///         invariant fuzzer can only target contracts whose deployed code matches a known artifact).
contract PaymentEscrowHandler is EscrowHandler {}

/// @title PaymentEscrowInvariantTest
/// @notice Stateful fuzzing of PaymentEscrow: random sequences of the {EscrowHandler} actions (pay in all four ways,
///         escrowed or, with escrow period 0, as a charge settled at once; release, releaseBatch, refund, dispute,
///         hold, resolve, withdraw, pause, fee recipient rotation, token blacklisting, time jumps, signature replays
///         and forged records) over several merchants, operators, payers and tokens, with the escrow's invariants
///         from DESIGN.md checked after every call.
/// @dev Runs and depth come from `solidityTest.invariant` in hardhat.config.ts (more on CI). Each `invariant_*`
///      function is its own campaign. The handler makes refused calls on purpose but catches every escrow call and
///      judges the outcome itself (its counters are asserted here), so a handler call never reverts: each
///      invariant sets `failOnRevert` so a revert (a harness or model bug that would silently drop an action)
///      fails the test instead of shrinking coverage.
contract PaymentEscrowInvariantTest is TestBase {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    PaymentEscrowHandler internal handler;
    PaymentEscrow internal escrow;

    function setUp() public {
        handler = new PaymentEscrowHandler();
        escrow = handler.escrowUnderTest();
    }

    /// @notice Only the handler is fuzzed.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @notice Only the handler's actions (not its views or the fixture's `setUp`).
    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](17);
        selectors[0] = EscrowHandler.payWithAllowance.selector;
        selectors[1] = EscrowHandler.payWithPermit.selector;
        selectors[2] = EscrowHandler.payWithAuthorization.selector;
        selectors[3] = EscrowHandler.payOnBehalf.selector;
        selectors[4] = EscrowHandler.release.selector;
        selectors[5] = EscrowHandler.releaseBatch.selector;
        selectors[6] = EscrowHandler.refund.selector;
        selectors[7] = EscrowHandler.dispute.selector;
        selectors[8] = EscrowHandler.setHold.selector;
        selectors[9] = EscrowHandler.resolve.selector;
        selectors[10] = EscrowHandler.withdraw.selector;
        selectors[11] = EscrowHandler.warp.selector;
        selectors[12] = EscrowHandler.setPaused.selector;
        selectors[13] = EscrowHandler.setFeeRecipient.selector;
        selectors[14] = EscrowHandler.setBlacklisted.selector;
        selectors[15] = EscrowHandler.replaySignature.selector;
        selectors[16] = EscrowHandler.forgeRecord.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    // ------------------------------------------------------------------------------------------------
    // Invariants
    // ------------------------------------------------------------------------------------------------
    // Each check runs after every call of every run, so they read the model in bulk and only call the assertion
    // cheatcodes when a comparison fails (the message then shows both values).

    /// @notice 1. For each token the escrow's balance covers every open obligation: what remains escrowed for each
    ///         open payment plus every outstanding credit. It holds exactly that (no tokens unaccounted for).
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_escrowBalanceCoversOpenObligations() public view {
        EscrowHandler.Ghost[] memory ghosts = handler.ghosts();
        address[] memory tokens = handler.tokenList();
        for (uint256 t; t < tokens.length; ++t) {
            uint256 escrowed;
            for (uint256 i; i < ghosts.length; ++i) {
                if (ghosts[i].open && ghosts[i].token == tokens[t]) escrowed += ghosts[i].paidIn - ghosts[i].refunded;
            }
            // The model's credits; invariant 4 checks they are exactly the escrow's, account by account.
            uint256 owed = escrowed + handler.expectedCreditTotal(tokens[t]);
            uint256 balance = IERC20(tokens[t]).balanceOf(address(escrow));
            if (balance < owed) vm.assertGe(balance, owed, "escrow balance < open escrow + outstanding credits");
            _eq(balance, owed, "escrow balance != open escrow + credits: tokens unaccounted for");
        }
    }

    /// @notice 2. Nothing is paid out twice: each payment closes at most once, nothing pays after closing, the
    ///         escrow shows every closed payment as CLOSED (and every open one with its exact record; a charge is
    ///         CLOSED from its paying call on), and no operation on a closed payment or on an already-paid order id
    ///         succeeds: each is refused as an unknown payment.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_nothingPaidOutTwice() public view {
        EscrowHandler.Ghost[] memory ghosts = handler.ghosts();
        bytes32 closed = escrow.CLOSED();
        for (uint256 i; i < ghosts.length; ++i) {
            EscrowHandler.Ghost memory g = ghosts[i];
            if (g.closings > 1) vm.assertLe(g.closings, 1, "a payment was closed more than once");
            _eq(g.payoutsAfterClose, 0, "a closed payment paid out again");
            bytes32 recordHash = escrow.paymentState(g.paymentId).recordHash;
            bytes32 expected = g.open ? g.recordHash : closed;
            if (recordHash != expected) {
                vm.assertEq(recordHash, expected, "escrow's record hash (CLOSED once closed) differs from the model");
            }
        }
        _eq(handler.successesOnClosed(), 0, "an operation on a closed payment (or a second pay) succeeded");
        _eq(handler.closedWrongReason(), 0, "an operation on a closed payment was refused other than UnknownPayment");
    }

    /// @notice 3. Per payment, merchant proceeds + fees + refunds never exceed what was paid in, and equal it once
    ///         the payment is closed; an open payment has paid only refunds, and the escrow's view of it
    ///         (refunded, disputed, held) matches the model.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_paidOutNeverExceedsPaidIn() public view {
        EscrowHandler.Ghost[] memory ghosts = handler.ghosts();
        for (uint256 i; i < ghosts.length; ++i) {
            EscrowHandler.Ghost memory g = ghosts[i];
            uint256 paidOut = g.merchantPaid + g.feePaid + g.refunded;
            if (paidOut > g.paidIn) vm.assertLe(paidOut, g.paidIn, "merchant paid + fees + refunded > paid in");
            if (!g.open) {
                _eq(paidOut, g.paidIn, "a closed payment did not pay out exactly what was paid in");
                continue;
            }
            _eq(g.merchantPaid + g.feePaid, 0, "an open payment paid the merchant or a fee");
            IPaymentEscrow.PaymentState memory state = escrow.paymentState(g.paymentId);
            _eq(state.refunded, g.refunded, "escrow's refunded total != refunds paid");
            if (state.disputed != g.disputed) vm.assertEq(state.disputed, g.disputed, "disputed flag");
            if (state.held != g.held) vm.assertEq(state.held, g.held, "held flag");
        }
        _eq(handler.stateMismatches(), 0, "an event or return value disagreed with the escrow's state");
    }

    /// @notice 4. No one moves another's funds: every account's token balance and escrow credit is exactly what
    ///         the operations on its own payments produced (payers pay their own orders, merchants/fee recipients/
    ///         refund addresses receive only their payments' amounts), and no unauthorized caller (another
    ///         merchant, the other operator, a stranger, a forged record) ever succeeded.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_noOneMovesAnothersFunds() public view {
        (
            address[] memory tokens,
            address[] memory accounts,
            uint256[] memory balances,
            uint256[] memory credits
        ) = handler.expectedLedger();
        for (uint256 t; t < tokens.length; ++t) {
            for (uint256 a; a < accounts.length; ++a) {
                uint256 k = t * accounts.length + a;
                _eq(
                    IERC20(tokens[t]).balanceOf(accounts[a]),
                    balances[k],
                    "an account's balance moved other than through its own payments"
                );
                _eq(
                    escrow.credits(tokens[t], accounts[a]),
                    credits[k],
                    "an account's credit differs from its own failed payouts"
                );
            }
        }
        _eq(handler.unauthorizedSuccesses(), 0, "an unauthorized caller or a forged record succeeded");
    }

    /// @notice 5. Fees never exceed the signed fee; a settled payment's fee is the signed fee pro rata to what was
    ///         not refunded, rounded down.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_feesNeverExceedSignedFee() public view {
        EscrowHandler.Ghost[] memory ghosts = handler.ghosts();
        for (uint256 i; i < ghosts.length; ++i) {
            EscrowHandler.Ghost memory g = ghosts[i];
            uint256 signedFee = g.signedFee;
            if (g.feePaid > signedFee) vm.assertLe(g.feePaid, signedFee, "fee paid > signed fee");
            if (!g.open) _eq(g.feePaid, (signedFee * (g.paidIn - g.refunded)) / g.paidIn, "fee != pro-rata signed fee");
        }
    }

    /// @notice 6. An operator's signature never works on another chain, another escrow, another order id, with
    ///         tampered terms, for the other operator or twice; an ERC-3009 authorization never pays another order.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_signaturesNeverReplay() public view {
        _eq(handler.replaySuccesses(), 0, "a replayed or tampered signature was accepted");
        _eq(handler.replayWrongReason(), 0, "a replay was refused for a reason other than its signature");
        address[] memory tokens = handler.tokenList();
        address other = address(handler.otherEscrow());
        for (uint256 t; t < tokens.length; ++t) {
            _eq(IERC20(tokens[t]).balanceOf(other), 0, "the other escrow deployment received a payment");
        }
    }

    /// @notice 7. Pausing never traps funds: while paused, every release, refund, dispute, hold, resolution and
    ///         withdrawal the rules allow still succeeds, and no new payment gets in. Outside a pause too, every
    ///         allowed operation succeeds and every disallowed one fails.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_pauseNeverTrapsFunds() public view {
        _eq(handler.pausedTraps(), 0, "an allowed settlement reverted while paused");
        _eq(handler.paidWhilePaused(), 0, "a payment got in while paused");
        if (escrow.paused() != handler.modelPaused()) vm.assertEq(escrow.paused(), handler.modelPaused(), "paused");
        _eq(handler.unexpectedReverts(), 0, "an operation the rules allow reverted");
        _eq(handler.unexpectedSuccesses(), 0, "an operation the rules forbid succeeded");
    }

    /// @dev assertEq that only calls the cheatcode (with its message) when the values differ.
    function _eq(uint256 left, uint256 right, string memory err) internal pure {
        if (left != right) vm.assertEq(left, right, err);
    }
}
