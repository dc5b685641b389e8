// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

import {PaymentEscrow} from "../../src/PaymentEscrow.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {BlacklistToken} from "../../src/mocks/BlacklistToken.sol";
import {TestStablecoin} from "../../src/tokens/TestStablecoin.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";
import {Vm} from "../base/Vm.sol";

// A handler holds the whole model and one function per action: many state variables and long functions.
// solhint-disable max-states-count, function-max-lines

/// @title EscrowHandler
/// @notice Drives random sequences of PaymentEscrow operations for the invariant tests in
///         PaymentEscrow.invariant.t.sol, and keeps a model ("ghost" state) of what the escrow should hold and pay.
/// @dev World: 3 merchants, 2 operators (distinct keys), 3 payers with keys, a fiat treasury paying on behalf of
///      customers with refunds to the bridge, 2 fee recipients the owner rotates between, 3 tokens (tUSDC, a second
///      TestStablecoin "tEURC", and a BlacklistToken whose blacklist the handler toggles), and a second escrow
///      deployment used only as a replay target.
///
///      Every action bounds its inputs so most calls do something, computes from the model whether the escrow must
///      accept the call, makes it, and compares:
///      - accepted but should not be: `unauthorizedSuccesses` (only the caller lacked authority, or the record was
///        forged), `successesOnClosed` (the payment was already closed), else `unexpectedSuccesses`;
///      - refused but should be accepted: `unexpectedReverts` (and `pausedTraps` while paused);
///      - refused, on a closed payment, with anything but `UnknownPayment` (its record is no longer stored):
///        `closedWrongReason`.
///      A payment with escrow period 0 (about 1 in 5) is a charge: the paying call itself must settle it like a
///      release (its events are checked field by field and applied as one), so it enters the model already closed and
///      every later operation on it must be refused.
///      What a successful call paid out is read from the escrow's events (PaymentReleased, PaymentRefunded,
///      DisputeResolved) and applied to the payment's ghost totals and to the expected token balances / credits of
///      the recipients the MODEL says are entitled (merchant, current fee recipient, refund address), so any token
///      moved to anyone else, or any amount that differs from the events, shows up as a balance mismatch.
///
///      Functions here must not start with `test` or `invariant` (Hardhat would treat the handler as a test suite).
contract EscrowHandler is EscrowFixture {
    /// @notice The model of one payment.
    struct Ghost {
        bytes32 paymentId;
        /// keccak256(abi.encode(record)): what the escrow must store while the payment is open. A charge (escrow period
        /// 0) is never open: the escrow stores CLOSED from the start.
        bytes32 recordHash;
        /// The fee the operator signed.
        uint256 signedFee;
        /// Tokens the payer paid into the escrow.
        uint256 paidIn;
        /// Paid to the merchant (released or resolved), credited or transferred.
        uint256 merchantPaid;
        /// Paid to the fee recipient.
        uint256 feePaid;
        /// Paid back to `refundTo` (refunds and the refund side of a resolution).
        uint256 refunded;
        /// Operations that closed the payment (release, resolve, the refund that emptied it): must stay <= 1.
        uint256 closings;
        /// Payout events seen for the payment after the model had closed it: must stay 0.
        uint256 payoutsAfterClose;
        address token;
        bool open;
        bool disputed;
        bool held;
    }

    /// @dev Per-call expectation computed from the model before calling the escrow.
    struct Expect {
        /// Every condition holds: the escrow must accept.
        bool ok;
        /// Every condition but the caller's authority holds: the escrow must refuse, and it would be a theft.
        bool unauthorized;
        /// The payment is already closed.
        bool onClosed;
        /// For an operation on one payment: the exact revert data the escrow must give while that payment is closed
        /// (`UnknownPayment(id)`, the record hash being CLOSED; `Unauthorized(caller)` for a resolve by anyone but the
        /// arbiter, who is checked first). Empty for other operations.
        bytes closedErr;
    }

    /// @dev `PaymentEscrowed`'s data (its non-indexed fields), decoded in one piece.
    struct EscrowedData {
        address operator;
        address payer;
        address refundTo;
        address token;
        uint256 amount;
        uint256 fee;
        uint256 releaseAfter;
        uint256 method;
    }

    /// @dev `PaymentReleased`'s data (its non-indexed fields).
    struct ReleasedData {
        address token;
        uint256 merchantAmount;
        uint256 feeAmount;
        address feeRecipient;
        address caller;
        bool early;
    }

    /// @dev Everything one payment attempt needs.
    struct PayCtx {
        IPaymentEscrow.PaymentTerms terms;
        uint256 operatorKey;
        uint256 payerKey;
        address payer;
        address refundTo;
        bytes32 paymentId;
    }

    /// @dev The model tried to pay or debit an account it does not watch (a handler bug).
    error Unwatched(address token, address account);

    uint256 internal constant OPERATOR2_KEY = 0x0BE2A703;
    uint256 internal constant MAX_AMOUNT = 10_000e6;
    uint256 internal constant MAX_ESCROW_PERIOD = 30 days;

    /// The chain the handler runs on; `replaySignature` switches away from it and back within one call.
    uint256 internal immutable _homeChainId = block.chainid;

    PaymentEscrow public otherEscrow;
    TestStablecoin public eurc;
    BlacklistToken public blk;

    address public operator2;
    address public merchant3;
    address public payer3;
    address public feeRecipient2;

    address[] internal _tokens;
    address[] internal _merchants;
    address[] internal _operators;
    address[] internal _payers;
    /// Every actor (all EOAs): who may hold credits and receive withdrawals.
    address[] internal _people;
    /// Accounts whose balances and credits the invariants compare with the model: the actors, the other escrow
    /// and the handler.
    address[] internal _watched;
    /// Accounts the handler may blacklist on `blk` (never the escrow itself).
    address[] internal _blacklistable;
    mapping(address account => uint256 key) internal _keyOf;

    IPaymentEscrow.Payment[] internal _records;
    Ghost[] internal _ghosts;
    /// Indexes (into `_records`) of the payments the model considers open.
    uint256[] internal _openList;
    mapping(uint256 index => uint256 positionPlusOne) internal _openPos;
    mapping(bytes32 paymentId => uint256 indexPlusOne) internal _indexOf;

    /// The model's token balance and escrow credit of each watched account, flat at
    /// `[tokenIndex * _watched.length + accountIndex]` so the invariants can read them in one call.
    uint256[] internal _expectedBalances;
    uint256[] internal _expectedCredits;
    mapping(address token => uint256 indexPlusOne) internal _tokenIndex;
    mapping(address account => uint256 indexPlusOne) internal _watchedIndex;
    /// Sum of `expectedCredit[token][*]`.
    mapping(address token => uint256) public expectedCreditTotal;

    /// The model's view of the admin settings.
    bool public modelPaused;
    address public modelFeeRecipient;
    uint256 internal _orderNonce;

    // Outcome counters (asserted by the invariants).
    uint256 public unexpectedReverts;
    uint256 public unexpectedSuccesses;
    uint256 public unauthorizedSuccesses;
    uint256 public successesOnClosed;
    uint256 public stateMismatches;
    uint256 public paidWhilePaused;
    uint256 public pausedTraps;
    uint256 public replaySuccesses;
    uint256 public replayWrongReason;
    uint256 public closedWrongReason;

    // Coverage counters (reported, not asserted).
    uint256 public calls;
    uint256 public payments;
    /// Payments with escrow period 0: charges, settled and closed by the paying call.
    uint256 public charges;
    uint256 public settlementsWhilePaused;
    uint256 public unauthorizedAttempts;
    uint256 public replayAttempts;
    uint256 public forgeryAttempts;
    uint256 public creditsWithdrawn;
    /// Accepted calls per operation name (e.g. "release"), as the model expected them.
    mapping(bytes32 op => uint256) internal _accepted;

    /// Last unexpected outcome, to read in a counterexample's trace.
    string public lastUnexpectedOp;
    bytes public lastUnexpectedError;

    modifier counted() {
        ++calls;
        _;
    }

    constructor() {
        setUp();
        operator2 = vm.addr(OPERATOR2_KEY);
        payer3 = vm.addr(OTHER_KEY);
        merchant3 = _actor("merchant3");
        feeRecipient2 = _actor("feeRecipient2");
        vm.label(operator2, "operator2");
        vm.label(payer3, "payer3");

        eurc = new TestStablecoin(address(this));
        vm.label(address(eurc), "tEURC");
        blk = new BlacklistToken();
        vm.label(address(blk), "BLK");
        otherEscrow = new PaymentEscrow(owner, arbiter, feeRecipient, MAX_FEE_BPS);
        vm.label(address(otherEscrow), "otherEscrow");
        modelFeeRecipient = feeRecipient;

        _tokens.push(address(usdc));
        _tokens.push(address(eurc));
        _tokens.push(address(blk));
        _merchants.push(merchant);
        _merchants.push(merchant2);
        _merchants.push(merchant3);
        _operators.push(operator);
        _operators.push(operator2);
        _payers.push(payer);
        _payers.push(payer2);
        _payers.push(payer3);
        _keyOf[operator] = OPERATOR_KEY;
        _keyOf[operator2] = OPERATOR2_KEY;
        _keyOf[payer] = PAYER_KEY;
        _keyOf[payer2] = PAYER2_KEY;
        _keyOf[payer3] = OTHER_KEY;
        address[16] memory people = [
            owner,
            arbiter,
            feeRecipient,
            feeRecipient2,
            merchant,
            merchant2,
            merchant3,
            operator,
            operator2,
            payer,
            payer2,
            payer3,
            treasury,
            bridge,
            relayer,
            stranger
        ];
        for (uint256 a; a < people.length; ++a) {
            _people.push(people[a]);
            _watched.push(people[a]);
        }
        _watched.push(address(otherEscrow));
        _watched.push(address(this));
        address[9] memory blacklistable = [
            merchant,
            merchant2,
            merchant3,
            feeRecipient,
            feeRecipient2,
            payer,
            payer2,
            payer3,
            bridge
        ];
        for (uint256 a; a < blacklistable.length; ++a) _blacklistable.push(blacklistable[a]);

        for (uint256 t; t < _tokens.length; ++t) _tokenIndex[_tokens[t]] = t + 1;
        for (uint256 a; a < _watched.length; ++a) _watchedIndex[_watched[a]] = a + 1;
        for (uint256 t; t < _tokens.length; ++t) {
            for (uint256 a; a < _watched.length; ++a) {
                _expectedBalances.push(IERC20(_tokens[t]).balanceOf(_watched[a]));
                _expectedCredits.push(0);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Actions: paying (the four ways)
    // ------------------------------------------------------------------------------------------------

    /// @notice A payer approves and pays from its allowance.
    function payWithAllowance(uint256 seed, uint256 amountSeed, uint256 feeSeed, uint256 periodSeed) external counted {
        PayCtx memory c = _newPayment(seed, amountSeed, feeSeed, periodSeed, false, false);
        _payWithAllowance(c, _signTerms(c.operatorKey, c.terms, address(escrow), block.chainid));
    }

    /// @notice A payer pays with an EIP-2612 permit in the same transaction, sometimes front-run by a relayer that
    ///         submits the permit first.
    function payWithPermit(uint256 seed, uint256 amountSeed, uint256 feeSeed, uint256 periodSeed) external counted {
        PayCtx memory c = _newPayment(seed, amountSeed, feeSeed, periodSeed, true, false);
        bytes memory signature = _signTerms(c.operatorKey, c.terms, address(escrow), block.chainid);
        address token = c.terms.token;
        _fund(token, c.payer, c.terms.amount);
        uint256 permitDeadline = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            token,
            c.payerKey,
            address(escrow),
            c.terms.amount,
            permitDeadline
        );
        if (_rand(seed, 20) % 3 == 0) {
            vm.prank(relayer);
            try IERC20Permit(token).permit(c.payer, address(escrow), c.terms.amount, permitDeadline, v, r, s) {
                // front-run: the permit is used up, the allowance it set stays
            } catch {}
        }
        vm.recordLogs();
        vm.prank(c.payer);
        try escrow.payWithPermit(c.terms, signature, permitDeadline, v, r, s) returns (bytes32 id) {
            _paid(c, c.payer, IPaymentEscrow.PayMethod.Permit, true, id, "");
        } catch (bytes memory err) {
            _paid(c, c.payer, IPaymentEscrow.PayMethod.Permit, false, 0, err);
        }
    }

    /// @notice A relayer (or anyone) submits the payer's ERC-3009 `receiveWithAuthorization`.
    function payWithAuthorization(
        uint256 seed,
        uint256 amountSeed,
        uint256 feeSeed,
        uint256 periodSeed,
        uint256 submitterSeed
    ) external counted {
        PayCtx memory c = _newPayment(seed, amountSeed, feeSeed, periodSeed, true, false);
        bytes memory signature = _signTerms(c.operatorKey, c.terms, address(escrow), block.chainid);
        _fund(c.terms.token, c.payer, c.terms.amount);
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _receiveAuthorization(
            c.terms.token,
            c.payerKey,
            address(escrow),
            c.terms.amount,
            validBefore,
            _digest(c.terms, address(escrow), block.chainid)
        );
        address submitter = [relayer, stranger, c.payer, merchant][_rand(submitterSeed, 0) % 4];
        vm.recordLogs();
        vm.prank(submitter);
        try escrow.payWithAuthorization(c.terms, signature, c.payer, 0, validBefore, v, r, s) returns (bytes32 id) {
            _paid(c, submitter, IPaymentEscrow.PayMethod.Authorization, true, id, "");
        } catch (bytes memory err) {
            _paid(c, submitter, IPaymentEscrow.PayMethod.Authorization, false, 0, err);
        }
    }

    /// @notice The fiat bridge's treasury pays on behalf of a customer; refunds go to the bridge.
    function payOnBehalf(uint256 seed, uint256 amountSeed, uint256 feeSeed, uint256 periodSeed) external counted {
        PayCtx memory c = _newPayment(seed, amountSeed, feeSeed, periodSeed, false, true);
        bytes memory signature = _signTerms(c.operatorKey, c.terms, address(escrow), block.chainid);
        _fund(c.terms.token, treasury, c.terms.amount);
        vm.prank(treasury);
        IERC20(c.terms.token).approve(address(escrow), c.terms.amount);
        vm.recordLogs();
        vm.prank(treasury);
        try escrow.payOnBehalf(c.terms, signature, bridge) returns (bytes32 id) {
            _paid(c, treasury, IPaymentEscrow.PayMethod.OnBehalf, true, id, "");
        } catch (bytes memory err) {
            _paid(c, treasury, IPaymentEscrow.PayMethod.OnBehalf, false, 0, err);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Actions: settling
    // ------------------------------------------------------------------------------------------------

    /// @notice Release by anyone: valid after maturity, early only for the payment's merchant or operator.
    function release(uint256 paymentSeed, uint256 callerSeed) external counted {
        (bool found, uint256 i) = _pickPayment(paymentSeed);
        if (!found) return;
        IPaymentEscrow.Payment memory p = _records[i];
        Ghost memory g = _ghosts[i];
        address caller = _pickCaller(callerSeed, p);
        bool valid = g.open && !g.disputed && !g.held;
        bool authorized = _now() >= p.releaseAfter || _isParty(caller, p);
        Expect memory e = _expectOn(i, caller, valid, authorized, false);

        vm.recordLogs();
        vm.prank(caller);
        try escrow.release(p) {
            _settled("release", e, true, "");
        } catch (bytes memory err) {
            _settled("release", e, false, err);
        }
    }

    /// @notice The keeper's batch: a mix of matured, premature, frozen, closed, duplicated and tampered records.
    function releaseBatch(uint256 seed, uint256 sizeSeed, uint256 callerSeed) external counted {
        if (_records.length == 0) return;
        uint256 n = 1 + (sizeSeed % 6);
        IPaymentEscrow.Payment[] memory batch = new IPaymentEscrow.Payment[](n);
        uint256[] memory index = new uint256[](n);
        bool[] memory tampered = new bool[](n);
        for (uint256 j; j < n; ++j) {
            (, index[j]) = _pickPayment(_rand(seed, j));
            batch[j] = _records[index[j]];
            if (_rand(seed, j + 100) % 8 == 0) {
                tampered[j] = true;
                _tamper(batch[j], _rand(seed, j + 200));
            }
        }
        address caller = [relayer, stranger, batch[0].terms.merchant, batch[0].terms.operator][
            _rand(callerSeed, 0) % 4
        ];

        // The model: which entries must be released, in order (a duplicate is skipped once the first closed it).
        bool[] memory must = new bool[](n);
        uint256 expected;
        for (uint256 j; j < n; ++j) {
            if (tampered[j]) continue;
            Ghost memory g = _ghosts[index[j]];
            bool eligible =
                g.open && !g.disputed && !g.held && (_now() >= batch[j].releaseAfter || _isParty(caller, batch[j]));
            for (uint256 k; k < j && eligible; ++k) {
                if (must[k] && index[k] == index[j]) eligible = false;
            }
            must[j] = eligible;
            if (eligible) ++expected;
        }

        vm.recordLogs();
        vm.prank(caller);
        try escrow.releaseBatch(batch) returns (uint256 released) {
            Vm.Log[] memory logs = vm.getRecordedLogs();
            uint256 seen;
            for (uint256 q; q < logs.length; ++q) {
                if (logs[q].emitter != address(escrow) || logs[q].topics[0] != IPaymentEscrow.PaymentReleased.selector)
                    continue;
                ++seen;
                bool wanted;
                for (uint256 j; j < n; ++j) {
                    if (must[j] && _ghosts[index[j]].paymentId == logs[q].topics[1]) wanted = true;
                }
                if (!wanted) _unexpected("releaseBatch: released an ineligible payment", "", false);
            }
            if (released != seen) ++stateMismatches;
            if (seen < expected) _unexpected("releaseBatch: skipped an eligible payment", "", true);
            if (modelPaused && released > 0) ++settlementsWhilePaused;
            _accepted[keccak256("releaseBatch")] += released;
            _applyLogs(logs);
        } catch (bytes memory err) {
            vm.getRecordedLogs();
            _unexpected("releaseBatch: reverted", err, true);
        }
    }

    /// @notice Partial or full refund by the merchant or operator; others must be refused.
    function refund(uint256 paymentSeed, uint256 callerSeed, uint256 amountSeed) external counted {
        (bool found, uint256 i) = _pickPayment(paymentSeed);
        if (!found) return;
        IPaymentEscrow.Payment memory p = _records[i];
        Ghost memory g = _ghosts[i];
        address caller =
            _rand(callerSeed, 1) % 3 == 0
                ? (_rand(callerSeed, 3) % 2 == 0 ? p.terms.merchant : p.terms.operator)
                : _pickCaller(callerSeed, p);
        uint256 remainingAmount = g.open ? g.paidIn - g.refunded : 0;
        uint256 amount;
        uint256 mode = _rand(amountSeed, 0) % 8;
        if (mode == 0) amount = remainingAmount;
        else if (mode == 1) amount = 0;
        else if (mode == 2) amount = remainingAmount + 1;
        else amount = bound(amountSeed, 1, remainingAmount > 0 ? remainingAmount : g.paidIn);
        Expect memory e = _expectOn(
            i,
            caller,
            g.open && amount > 0 && amount <= remainingAmount,
            _isParty(caller, p),
            false
        );

        vm.recordLogs();
        vm.prank(caller);
        try escrow.refund(p, amount) {
            _settled("refund", e, true, "");
        } catch (bytes memory err) {
            _settled("refund", e, false, err);
        }
    }

    /// @notice The payer disputes before the escrow period ends.
    function dispute(uint256 paymentSeed, uint256 callerSeed) external counted {
        (bool found, uint256 i) = _pickDisputable(paymentSeed);
        if (!found) return;
        IPaymentEscrow.Payment memory p = _records[i];
        Ghost memory g = _ghosts[i];
        address caller = _rand(callerSeed, 1) % 2 == 0 ? p.payer : _pickCaller(callerSeed, p);
        Expect memory e = _expectOn(
            i,
            caller,
            g.open && _now() < p.releaseAfter && !g.disputed,
            caller == p.payer,
            false
        );

        vm.recordLogs();
        vm.prank(caller);
        try escrow.dispute(p) {
            if (g.open) _ghosts[i].disputed = true;
            _settled("dispute", e, true, "");
        } catch (bytes memory err) {
            _settled("dispute", e, false, err);
        }
    }

    /// @notice The operator places or lifts a risk hold.
    function setHold(uint256 paymentSeed, uint256 callerSeed, bool held) external counted {
        (bool found, uint256 i) = held ? _pickPayment(paymentSeed) : _pickFrozen(paymentSeed, true);
        if (!found) return;
        IPaymentEscrow.Payment memory p = _records[i];
        Ghost memory g = _ghosts[i];
        address caller = _rand(callerSeed, 1) % 2 == 0 ? p.terms.operator : _pickCaller(callerSeed, p);
        Expect memory e = _expectOn(i, caller, g.open && g.held != held, caller == p.terms.operator, false);

        vm.recordLogs();
        vm.prank(caller);
        try escrow.setHold(p, held) {
            if (g.open) _ghosts[i].held = held;
            _settled("setHold", e, true, "");
        } catch (bytes memory err) {
            _settled("setHold", e, false, err);
        }
    }

    /// @notice The arbiter splits a disputed or held payment at random.
    function resolve(uint256 paymentSeed, uint256 callerSeed, uint256 splitSeed) external counted {
        (bool found, uint256 i) = _pickFrozen(paymentSeed, false);
        if (!found) return;
        IPaymentEscrow.Payment memory p = _records[i];
        Ghost memory g = _ghosts[i];
        address caller = _rand(callerSeed, 1) % 3 != 0 ? arbiter : _pickCaller(callerSeed, p);
        uint256 remainingAmount = g.open ? g.paidIn - g.refunded : 0;
        uint256 refundAmount;
        uint256 mode = _rand(splitSeed, 0) % 6;
        if (mode == 0) refundAmount = 0;
        else if (mode == 1) refundAmount = remainingAmount;
        else if (mode == 2) refundAmount = remainingAmount / 2;
        else if (mode == 3) refundAmount = remainingAmount + 1;
        else refundAmount = bound(splitSeed, 0, remainingAmount);
        Expect memory e = _expectOn(
            i,
            caller,
            g.open && (g.disputed || g.held) && refundAmount <= remainingAmount,
            caller == arbiter,
            true
        );

        vm.recordLogs();
        vm.prank(caller);
        try escrow.resolve(p, refundAmount) {
            _settled("resolve", e, true, "");
        } catch (bytes memory err) {
            _settled("resolve", e, false, err);
        }
    }

    /// @notice Anyone (the account itself, a relayer such as Pier's keeper, a stranger, a merchant) triggers the
    ///         withdrawal of an account's credit (a payout its token refused). It must pay exactly that credit to that
    ///         account and nowhere else, and must fail, keeping the credit, while the token still refuses the account.
    function withdraw(uint256 accountSeed, uint256 tokenSeed, uint256 callerSeed) external counted {
        // Prefer an (account, token) pair with a credit, starting from random positions. `_people` are the first
        // entries of `_watched`, so their ledger slots are `tokenIndex * _watched.length + personIndex`.
        uint256 people = _people.length;
        uint256 start = _rand(accountSeed, 0);
        uint256 tokenStart = _rand(tokenSeed, 0);
        uint256 t = tokenStart % _tokens.length;
        uint256 p = start % people;
        for (uint256 k; k < people * _tokens.length; ++k) {
            uint256 candidateToken = (tokenStart + k / people) % _tokens.length;
            uint256 candidate = (start + k) % people;
            if (_expectedCredits[candidateToken * _watched.length + candidate] > 0) {
                (t, p) = (candidateToken, candidate);
                break;
            }
        }
        address token = _tokens[t];
        address account = _people[p];
        address caller = [account, relayer, stranger, merchant][_rand(callerSeed, 0) % 4];
        uint256 amount = expectedCredit(token, account);
        bool accountRefused = token == address(blk) && blk.blacklisted(account);
        Expect memory e = _expect(amount > 0 && !accountRefused, true, false);

        vm.recordLogs();
        vm.prank(caller);
        try escrow.withdraw(token, account) {
            if (e.ok) {
                _expectedCredits[_slot(token, account)] = 0;
                expectedCreditTotal[token] -= amount;
                _expectedBalances[_slot(token, account)] += amount;
                ++creditsWithdrawn;
            }
            _settled("withdraw", e, true, "");
        } catch (bytes memory err) {
            _settled("withdraw", e, false, err);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Actions: environment and admin
    // ------------------------------------------------------------------------------------------------

    /// @notice Moves time forward: at random, or exactly to an open payment's release time.
    function warp(uint256 seed) external counted {
        if (_openList.length > 0 && seed % 4 == 0) {
            uint64 releaseAfter = _records[_openList[_rand(seed, 0) % _openList.length]].releaseAfter;
            if (releaseAfter > _now()) {
                vm.warp(releaseAfter);
                return;
            }
        }
        vm.warp(_now() + bound(seed, 1, 10 days));
    }

    /// @notice The owner pauses (1 in 3) or resumes new payments; anyone else must be refused.
    function setPaused(uint256 seed) external counted {
        bool pause = _rand(seed, 0) % 3 == 0;
        address caller = [owner, owner, owner, stranger, operator, arbiter][_rand(seed, 1) % 6];
        Expect memory e = _expect(true, caller == owner, false);
        vm.recordLogs();
        vm.prank(caller);
        try escrow.setPaused(pause) {
            if (e.ok) modelPaused = pause;
            _settled("setPaused", e, true, "");
        } catch (bytes memory err) {
            _settled("setPaused", e, false, err);
        }
    }

    /// @notice The owner moves fees to the other fee recipient; anyone else must be refused.
    function setFeeRecipient(uint256 seed) external counted {
        address next = modelFeeRecipient == feeRecipient ? feeRecipient2 : feeRecipient;
        address caller = [owner, owner, stranger, operator2][_rand(seed, 0) % 4];
        Expect memory e = _expect(true, caller == owner, false);
        vm.recordLogs();
        vm.prank(caller);
        try escrow.setFeeRecipient(next) {
            if (e.ok) modelFeeRecipient = next;
            _settled("setFeeRecipient", e, true, "");
        } catch (bytes memory err) {
            _settled("setFeeRecipient", e, false, err);
        }
    }

    /// @notice Toggles the BlacklistToken's blacklist: half the time for a party of an open payment (its merchant,
    ///         its refund address or the current fee recipient), else for any merchant, fee recipient, payer or the
    ///         bridge. Never the escrow itself.
    function setBlacklisted(uint256 seed, bool blacklisted) external counted {
        address account = _blacklistable[_rand(seed, 0) % _blacklistable.length];
        if (_openList.length > 0 && _rand(seed, 1) % 2 == 0) {
            IPaymentEscrow.Payment storage p = _records[_openList[_rand(seed, 2) % _openList.length]];
            uint256 r = _rand(seed, 3) % 3;
            account = r == 0 ? p.terms.merchant : (r == 1 ? p.refundTo : modelFeeRecipient);
        }
        blk.setBlacklisted(account, blacklisted);
    }

    // ------------------------------------------------------------------------------------------------
    // Actions: attacks that must always fail
    // ------------------------------------------------------------------------------------------------

    /// @notice Replays an operator signature on another chain, another escrow or another order, with tampered
    ///         terms, under the wrong operator, or on an order already paid; and replays an ERC-3009
    ///         authorization for another order. Every attempt is otherwise valid (fresh order, deadline ahead,
    ///         fee under the cap, funded and approved payer, not paused), so only the signature can make it fail.
    function replaySignature(uint256 seed, uint256 kindSeed) external counted {
        if (modelPaused) return;
        PayCtx memory c = _newPayment(seed, _rand(seed, 10), _rand(seed, 11), _rand(seed, 12), true, false);
        if (_indexOf[c.paymentId] != 0) return;
        bytes memory signature = _signTerms(c.operatorKey, c.terms, address(escrow), block.chainid);
        _fundAndApprove(c.terms.token, c.payer, c.terms.amount + 1);
        ++replayAttempts;

        uint256 kind = kindSeed % 8;
        if (kind == 0) {
            // Signed for this escrow on another chain, submitted here.
            uint256 otherChain = block.chainid + 1 + (seed % 1000);
            _replay(escrow, c, _signTerms(c.operatorKey, c.terms, address(escrow), otherChain), true);
        } else if (kind == 1) {
            // Signed here, submitted to this escrow after a switch to another chain id; then the control: the same
            // signature works on its own chain.
            // The chain id to come back to is the one fixed at construction: compiled via IR, a `block.chainid` kept
            // in a local across the `vm.chainId` call may be re-read after it (and so never restore anything).
            vm.chainId(_homeChainId + 1 + (seed % 1000));
            _replay(escrow, c, signature, true);
            vm.chainId(_homeChainId);
            _payWithAllowance(c, signature);
        } else if (kind == 2) {
            // Signed for another escrow deployment, submitted here; and signed here, submitted there.
            _replay(escrow, c, _signTerms(c.operatorKey, c.terms, address(otherEscrow), block.chainid), true);
            _replay(otherEscrow, c, signature, true);
            _payWithAllowance(c, signature);
        } else if (kind == 3) {
            // Signed for one order, submitted for another order id.
            PayCtx memory other = _copy(c);
            other.terms.orderId = keccak256(abi.encode("replayed-order", ++_orderNonce));
            _replay(escrow, other, signature, true);
            _payWithAllowance(c, signature);
        } else if (kind == 4) {
            // An order that was already paid (or closed), with its original, valid signature.
            if (_records.length == 0) return;
            IPaymentEscrow.Payment memory p = _records[_rand(seed, 13) % _records.length];
            PayCtx memory again = _copy(c);
            again.terms = p.terms;
            _fundAndApprove(p.terms.token, c.payer, p.terms.amount);
            _replay(
                escrow,
                again,
                _signTerms(_keyOf[p.terms.operator], p.terms, address(escrow), block.chainid),
                false
            );
        } else if (kind == 5) {
            // Terms naming one operator, signed by the other.
            uint256 wrongKey = c.operatorKey == OPERATOR_KEY ? OPERATOR2_KEY : OPERATOR_KEY;
            _replay(escrow, c, _signTerms(wrongKey, c.terms, address(escrow), block.chainid), true);
        } else if (kind == 6) {
            // Signed terms tampered with after signing.
            PayCtx memory forged = _copy(c);
            uint256 field = _rand(seed, 14) % 5;
            if (field == 0) forged.terms.amount += 1;
            else if (field == 1) forged.terms.merchant = _otherMerchant(c.terms.merchant, seed);
            else if (field == 2) forged.terms.escrowPeriod = c.terms.escrowPeriod == 0 ? 1 : 0;
            else if (field == 3) forged.terms.fee = c.terms.fee == 0 ? 0 : c.terms.fee - 1;
            else forged.terms.deadline += 1;
            if (field == 3 && c.terms.fee == 0) forged.terms.token = _otherPermitToken(c.terms.token);
            _fundAndApprove(forged.terms.token, c.payer, forged.terms.amount);
            _replay(escrow, forged, signature, true);
            _payWithAllowance(c, signature);
        } else {
            // An ERC-3009 authorization signed for one order, submitted with another order's (validly signed)
            // terms: the nonce binds it to the first order, so the token must refuse it.
            PayCtx memory other = _copy(c);
            other.terms.orderId = keccak256(abi.encode("authorized-order", ++_orderNonce));
            uint256 validBefore = _now() + 1 hours;
            (uint8 v, bytes32 r, bytes32 s) = _receiveAuthorization(
                c.terms.token,
                c.payerKey,
                address(escrow),
                c.terms.amount,
                validBefore,
                _digest(c.terms, address(escrow), block.chainid)
            );
            bytes memory otherSignature = _signTerms(c.operatorKey, other.terms, address(escrow), block.chainid);
            vm.prank(relayer);
            try escrow.payWithAuthorization(other.terms, otherSignature, c.payer, 0, validBefore, v, r, s) {
                ++replaySuccesses;
            } catch {}
        }
    }

    /// @notice Someone calls with a forged copy of an open payment's record, to take its funds, redirect them,
    ///         skip its fee or escrow period, or act as its operator or payer. The escrow must refuse every one.
    function forgeRecord(uint256 paymentSeed, uint256 kindSeed) external counted {
        if (_openList.length == 0) return;
        uint256 i = _openList[_rand(paymentSeed, 0) % _openList.length];
        IPaymentEscrow.Payment memory p = _records[i];
        IPaymentEscrow.Payment memory f = _records[i];
        uint256 remainingAmount = _ghosts[i].paidIn - _ghosts[i].refunded;
        address caller;
        bytes memory data;
        uint256 kind = kindSeed % 9;
        if (kind == 0) {
            // Another operator claims the order as its own and refunds it.
            f.terms.operator = caller = _otherOperator(p.terms.operator);
            data = abi.encodeCall(escrow.refund, (f, remainingAmount));
        } else if (kind == 1) {
            // Another merchant names itself as payee and releases early.
            f.terms.merchant = caller = _otherMerchant(p.terms.merchant, kindSeed);
            data = abi.encodeCall(escrow.release, (f));
        } else if (kind == 2) {
            // The merchant redirects a refund to a third party.
            f.refundTo = stranger;
            caller = p.terms.merchant;
            data = abi.encodeCall(escrow.refund, (f, remainingAmount));
        } else if (kind == 3) {
            // A stranger poses as the payer to freeze the payment.
            f.payer = caller = stranger;
            data = abi.encodeCall(escrow.dispute, (f));
        } else if (kind == 4) {
            // A stranger shortens the escrow period to release early.
            f.releaseAfter = p.releaseAfter == 0 ? 1 : p.releaseAfter - 1;
            caller = stranger;
            data = abi.encodeCall(escrow.release, (f));
        } else if (kind == 5) {
            // The merchant inflates the amount to refund more than was paid (other payments' funds).
            f.terms.amount = p.terms.amount * 2;
            caller = p.terms.merchant;
            data = abi.encodeCall(escrow.refund, (f, f.terms.amount));
        } else if (kind == 6) {
            // The merchant drops the fee and releases.
            f.terms.fee = p.terms.fee == 0 ? 1 : 0;
            caller = p.terms.merchant;
            data = abi.encodeCall(escrow.release, (f));
        } else if (kind == 7) {
            // The operator refunds the same amount in another token.
            f.terms.token = p.terms.token == address(usdc) ? address(eurc) : address(usdc);
            caller = p.terms.operator;
            data = abi.encodeCall(escrow.refund, (f, remainingAmount));
        } else {
            // Another operator claims the order and places a hold on it.
            f.terms.operator = caller = _otherOperator(p.terms.operator);
            data = abi.encodeCall(escrow.setHold, (f, !_ghosts[i].held));
        }
        ++forgeryAttempts;
        ++unauthorizedAttempts;
        vm.recordLogs();
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, ) = address(escrow).call(data);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (ok) {
            _applyLogs(logs);
            ++unauthorizedSuccesses;
            lastUnexpectedOp = "forgeRecord: a forged record was accepted";
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------------------------------------

    function escrowUnderTest() external view returns (PaymentEscrow) {
        return escrow;
    }

    function tokenList() external view returns (address[] memory) {
        return _tokens;
    }

    /// @notice How many calls of operation `op` ("release", "releaseBatch" counts payments, "refund", "dispute",
    ///         "setHold", "resolve", "withdraw", "setPaused", "setFeeRecipient") were accepted as expected.
    function accepted(string calldata op) external view returns (uint256) {
        return _accepted[keccak256(bytes(op))];
    }

    /// @notice How many payments the model considers open.
    function openCount() external view returns (uint256) {
        return _openList.length;
    }

    /// @notice The model of every payment made so far, open and closed, in payment order.
    function ghosts() external view returns (Ghost[] memory) {
        return _ghosts;
    }

    /// @notice The model's expected token balance and escrow credit of every watched account, flattened as
    ///         `[tokenIndex * accounts.length + accountIndex]` (one call instead of hundreds per invariant check).
    function expectedLedger()
        external
        view
        returns (
            address[] memory tokens,
            address[] memory accounts,
            uint256[] memory balances,
            uint256[] memory credits
        )
    {
        return (_tokens, _watched, _expectedBalances, _expectedCredits);
    }

    function expectedBalance(address token, address account) public view returns (uint256) {
        return _expectedBalances[_slot(token, account)];
    }

    function expectedCredit(address token, address account) public view returns (uint256) {
        return _expectedCredits[_slot(token, account)];
    }

    // ------------------------------------------------------------------------------------------------
    // Internals: paying
    // ------------------------------------------------------------------------------------------------

    /// @dev Random valid terms: a fresh order id (or, 1 in 5, an order id already used, under a random operator:
    ///      the same operator must get AlreadyPaid, the other one must succeed), amount tiny or realistic, fee
    ///      anywhere up to the cap, escrow period 0 (1 in 5: a charge, settled and closed by the paying call) to
    ///      30 days, deadline 1 s to 2 h ahead.
    function _newPayment(
        uint256 seed,
        uint256 amountSeed,
        uint256 feeSeed,
        uint256 periodSeed,
        bool permitToken,
        bool onBehalf
    ) internal returns (PayCtx memory c) {
        address op = _operators[_rand(seed, 1) % _operators.length];
        uint256 amount = amountSeed % 4 == 0 ? bound(amountSeed, 1, 1_000) : bound(amountSeed, 1e6, MAX_AMOUNT);
        bytes32 orderId = keccak256(abi.encode("order", ++_orderNonce));
        if (_records.length > 0 && _rand(seed, 2) % 5 == 0) {
            orderId = _records[_rand(seed, 3) % _records.length].terms.orderId;
        }
        c.terms = IPaymentEscrow.PaymentTerms({
            orderId: orderId,
            merchant: _merchants[_rand(seed, 4) % _merchants.length],
            token: permitToken ? _tokens[_rand(seed, 5) % 2] : _tokens[_rand(seed, 5) % _tokens.length],
            amount: amount,
            fee: bound(feeSeed, 0, (amount * MAX_FEE_BPS) / 10_000),
            // The earliest valid deadline is the next second: payments land strictly before it.
            deadline: _now() + bound(_rand(seed, 6), 1, 2 hours),
            escrowPeriod: periodSeed % 5 == 0 ? 0 : bound(periodSeed, 1, MAX_ESCROW_PERIOD),
            operator: op
        });
        c.operatorKey = _keyOf[op];
        if (onBehalf) {
            c.payer = treasury;
            c.refundTo = bridge;
        } else {
            c.payer = _payers[_rand(seed, 7) % _payers.length];
            c.payerKey = _keyOf[c.payer];
            c.refundTo = c.payer;
        }
        c.paymentId = keccak256(abi.encode(op, orderId));
    }

    function _payWithAllowance(PayCtx memory c, bytes memory signature) internal {
        _fundAndApprove(c.terms.token, c.payer, c.terms.amount);
        vm.recordLogs();
        vm.prank(c.payer);
        try escrow.pay(c.terms, signature) returns (bytes32 id) {
            _paid(c, c.payer, IPaymentEscrow.PayMethod.Allowance, true, id, "");
        } catch (bytes memory err) {
            _paid(c, c.payer, IPaymentEscrow.PayMethod.Allowance, false, 0, err);
        }
    }

    /// @dev Compares a pay attempt's outcome with the model and records a new payment. `submitter` made the call with
    ///      `method`. A charge (escrow period 0) must be settled by that same call: its `PaymentReleased` pays the
    ///      whole amount net of the signed fee and closes it, exactly as a release would (and is applied like one).
    function _paid(
        PayCtx memory c,
        address submitter,
        IPaymentEscrow.PayMethod method,
        bool ok,
        bytes32 returnedId,
        bytes memory err
    ) internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool payerRefuses = c.terms.token == address(blk) && blk.blacklisted(c.payer);
        bool mustPass = !modelPaused && _indexOf[c.paymentId] == 0 && !payerRefuses;
        if (!ok) {
            if (mustPass) _unexpected("pay: refused", err, true);
            return;
        }
        if (modelPaused) ++paidWhilePaused;
        if (_indexOf[c.paymentId] != 0) ++successesOnClosed;
        if (!mustPass) _unexpected("pay: accepted", "", false);
        if (returnedId != c.paymentId) ++stateMismatches;

        IPaymentEscrow.Payment memory record = IPaymentEscrow.Payment({
            terms: c.terms,
            payer: c.payer,
            refundTo: c.refundTo,
            releaseAfter: uint64(_now() + c.terms.escrowPeriod)
        });
        _records.push(record);
        Ghost storage g = _ghosts.push();
        g.paymentId = c.paymentId;
        g.recordHash = keccak256(abi.encode(record));
        g.token = c.terms.token;
        g.signedFee = c.terms.fee;
        g.paidIn = c.terms.amount;
        g.open = true;
        uint256 index = _records.length - 1;
        _indexOf[c.paymentId] = index + 1;
        _openList.push(index);
        _openPos[index] = _openList.length;
        _expectedBalances[_slot(c.terms.token, c.payer)] -= c.terms.amount;
        ++payments;

        bool charge = c.terms.escrowPeriod == 0;
        _checkPayEvents(record, c.paymentId, submitter, method, logs);
        // A charge's payouts go where a release's would: the merchant's net and the fee, each transferred or credited.
        _applyLogs(logs);
        if (_ghosts[index].open == charge) ++stateMismatches;
        if (charge) ++charges;
    }

    /// @dev A successful pay call must emit exactly one `PaymentEscrowed` (for this payment, every field as the model
    ///      has it), and then one `PaymentReleased` for a charge (the whole net, the signed fee, the current fee
    ///      recipient, the submitter as caller, not early) or none for an escrowed payment. A charge's record is never
    ///      stored (CLOSED at once), so the event is the only place its payer, refund address and time show.
    function _checkPayEvents(
        IPaymentEscrow.Payment memory record,
        bytes32 paymentId,
        address submitter,
        IPaymentEscrow.PayMethod method,
        Vm.Log[] memory logs
    ) internal {
        IPaymentEscrow.PaymentTerms memory t = record.terms;
        uint256 escrowed;
        uint256 released;
        for (uint256 q; q < logs.length; ++q) {
            Vm.Log memory log = logs[q];
            if (log.emitter != address(escrow) || log.topics.length != 4) continue;
            if (log.topics[0] == IPaymentEscrow.PaymentEscrowed.selector) {
                ++escrowed;
                EscrowedData memory d = abi.decode(log.data, (EscrowedData));
                bool same =
                    log.topics[1] == paymentId &&
                        log.topics[2] == t.orderId &&
                        log.topics[3] == bytes32(uint256(uint160(t.merchant))) &&
                        d.operator == t.operator &&
                        d.payer == record.payer &&
                        d.refundTo == record.refundTo &&
                        d.token == t.token &&
                        d.amount == t.amount &&
                        d.fee == t.fee &&
                        d.releaseAfter == record.releaseAfter &&
                        d.method == uint256(method);
                if (!same) ++stateMismatches;
            } else if (log.topics[0] == IPaymentEscrow.PaymentReleased.selector) {
                ++released;
                ReleasedData memory d = abi.decode(log.data, (ReleasedData));
                bool same =
                    log.topics[1] == paymentId &&
                        log.topics[2] == t.orderId &&
                        log.topics[3] == bytes32(uint256(uint160(t.merchant))) &&
                        d.token == t.token &&
                        d.merchantAmount == t.amount - t.fee &&
                        d.feeAmount == t.fee &&
                        d.feeRecipient == modelFeeRecipient &&
                        d.caller == submitter &&
                        !d.early;
                if (!same) ++stateMismatches;
            }
        }
        if (escrowed != 1 || released != (t.escrowPeriod == 0 ? 1 : 0)) ++stateMismatches;
    }

    /// @dev Tries a replayed or forged payment; any success is a replay. `mustBeSignature`: the only thing wrong
    ///      with the attempt is the signature, so the escrow must refuse it for exactly that reason.
    function _replay(PaymentEscrow target, PayCtx memory c, bytes memory signature, bool mustBeSignature) internal {
        if (address(target) != address(escrow))
            _fundAndApprove(c.terms.token, c.payer, c.terms.amount, address(target));
        vm.prank(c.payer);
        try target.pay(c.terms, signature) {
            ++replaySuccesses;
            lastUnexpectedOp = "replay: accepted";
        } catch (bytes memory err) {
            if (mustBeSignature && bytes4(err) != IPaymentEscrow.InvalidOperatorSignature.selector) {
                ++replayWrongReason;
                lastUnexpectedOp = "replay: refused for another reason";
                lastUnexpectedError = err;
            }
        }
    }

    /// @dev ERC-3009 `ReceiveWithAuthorization` signature by `key` on `token` (a TestStablecoin), valid from 0.
    function _receiveAuthorization(
        address token,
        uint256 key,
        address to,
        uint256 value,
        uint256 validBefore,
        bytes32 nonce
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        bytes32 structHash = keccak256(
            abi.encode(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, vm.addr(key), to, value, 0, validBefore, nonce)
        );
        return
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", IERC20Permit(token).DOMAIN_SEPARATOR(), structHash)));
    }

    /// @dev Mints what `account` lacks (skipped when the token refuses it), keeping the model in step.
    function _fund(address token, address account, uint256 amount) internal {
        uint256 balance = IERC20(token).balanceOf(account);
        if (balance >= amount) return;
        if (token == address(blk) && blk.blacklisted(account)) return;
        _mint(token, account, amount - balance);
        _expectedBalances[_slot(token, account)] += amount - balance;
    }

    function _fundAndApprove(address token, address account, uint256 amount) internal {
        _fundAndApprove(token, account, amount, address(escrow));
    }

    function _fundAndApprove(address token, address account, uint256 amount, address spender) internal {
        _fund(token, account, amount);
        vm.prank(account);
        IERC20(token).approve(spender, amount);
    }

    // ------------------------------------------------------------------------------------------------
    // Internals: outcomes and events
    // ------------------------------------------------------------------------------------------------

    function _expect(bool valid, bool authorized, bool open) internal returns (Expect memory e) {
        e.ok = valid && authorized;
        e.unauthorized = valid && !authorized;
        e.onClosed = !open;
        if (e.unauthorized) ++unauthorizedAttempts;
    }

    /// @dev {_expect} for an operation on payment `i` by `caller`: also the revert data the escrow must give if the
    ///      payment is closed (closed by a settlement, or a charge, closed from the start).
    function _expectOn(
        uint256 i,
        address caller,
        bool valid,
        bool authorized,
        bool arbiterOnly
    ) internal returns (Expect memory e) {
        Ghost storage g = _ghosts[i];
        e = _expect(valid, authorized, g.open);
        e.closedErr =
            arbiterOnly && caller != arbiter
                ? abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, caller)
                : abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, g.paymentId);
    }

    /// @dev Compares a settling call's outcome with the model; applies the payouts of an accepted call.
    function _settled(string memory op, Expect memory e, bool ok, bytes memory err) internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (!ok) {
            if (e.ok) _unexpected(op, err, true);
            else if (e.onClosed && e.closedErr.length != 0 && keccak256(err) != keccak256(e.closedErr)) {
                ++closedWrongReason;
                lastUnexpectedOp = string.concat(op, ": a closed payment refused for another reason");
                lastUnexpectedError = err;
            }
            return;
        }
        _applyLogs(logs);
        if (e.ok) {
            ++_accepted[keccak256(bytes(op))];
            if (modelPaused) ++settlementsWhilePaused;
        } else if (e.unauthorized) {
            ++unauthorizedSuccesses;
            lastUnexpectedOp = op;
        } else if (e.onClosed) {
            ++successesOnClosed;
            lastUnexpectedOp = op;
        } else {
            _unexpected(op, "", false);
        }
    }

    function _unexpected(string memory op, bytes memory err, bool reverted) internal {
        if (reverted) {
            ++unexpectedReverts;
            if (modelPaused) ++pausedTraps;
        } else {
            ++unexpectedSuccesses;
        }
        lastUnexpectedOp = op;
        lastUnexpectedError = err;
    }

    /// @dev Applies the payouts the escrow's events report to the ghost totals, and routes each amount to the
    ///      recipient the model says is entitled: transferred, or credited when the token refuses that recipient.
    function _applyLogs(Vm.Log[] memory logs) internal {
        for (uint256 q; q < logs.length; ++q) {
            Vm.Log memory log = logs[q];
            if (log.emitter != address(escrow) || log.topics.length < 2) continue;
            bytes32 topic = log.topics[0];
            if (
                topic != IPaymentEscrow.PaymentReleased.selector &&
                topic != IPaymentEscrow.PaymentRefunded.selector &&
                topic != IPaymentEscrow.DisputeResolved.selector
            ) continue;
            uint256 indexPlusOne = _indexOf[log.topics[1]];
            if (indexPlusOne == 0) {
                ++stateMismatches;
                continue;
            }
            uint256 i = indexPlusOne - 1;
            IPaymentEscrow.Payment memory p = _records[i];
            Ghost storage g = _ghosts[i];
            if (!g.open) ++g.payoutsAfterClose;

            if (topic == IPaymentEscrow.PaymentReleased.selector) {
                (, uint256 merchantAmount, uint256 feeAmount, , , ) = abi.decode(
                    log.data,
                    (address, uint256, uint256, address, address, bool)
                );
                g.merchantPaid += merchantAmount;
                g.feePaid += feeAmount;
                _route(p.terms.token, p.terms.merchant, merchantAmount);
                _route(p.terms.token, modelFeeRecipient, feeAmount);
                ++g.closings;
                _close(i);
            } else if (topic == IPaymentEscrow.PaymentRefunded.selector) {
                (, uint256 amount, uint256 totalRefunded, bool closed, ) = abi.decode(
                    log.data,
                    (address, uint256, uint256, bool, address)
                );
                g.refunded += amount;
                _route(p.terms.token, p.refundTo, amount);
                bool empty = g.refunded >= g.paidIn;
                if (closed != empty || totalRefunded != g.refunded) ++stateMismatches;
                if (empty) {
                    ++g.closings;
                    _close(i);
                }
            } else {
                (, uint256 refundAmount, uint256 merchantAmount, uint256 feeAmount, ) = abi.decode(
                    log.data,
                    (address, uint256, uint256, uint256, address)
                );
                g.refunded += refundAmount;
                g.merchantPaid += merchantAmount;
                g.feePaid += feeAmount;
                _route(p.terms.token, p.refundTo, refundAmount);
                _route(p.terms.token, p.terms.merchant, merchantAmount);
                _route(p.terms.token, modelFeeRecipient, feeAmount);
                ++g.closings;
                _close(i);
            }
        }
    }

    /// @dev Position of (token, account) in the flat ledger; every account the model pays or debits is watched.
    function _slot(address token, address account) internal view returns (uint256) {
        uint256 t = _tokenIndex[token];
        uint256 a = _watchedIndex[account];
        if (t == 0 || a == 0) revert Unwatched(token, account);
        return (t - 1) * _watched.length + (a - 1);
    }

    function _route(address token, address to, uint256 amount) internal {
        if (amount == 0) return;
        if (token == address(blk) && blk.blacklisted(to)) {
            _expectedCredits[_slot(token, to)] += amount;
            expectedCreditTotal[token] += amount;
        } else {
            _expectedBalances[_slot(token, to)] += amount;
        }
    }

    function _close(uint256 i) internal {
        Ghost storage g = _ghosts[i];
        if (!g.open) return;
        g.open = false;
        g.disputed = false;
        g.held = false;
        uint256 position = _openPos[i] - 1;
        uint256 last = _openList[_openList.length - 1];
        _openList[position] = last;
        _openPos[last] = position + 1;
        _openList.pop();
        delete _openPos[i];
    }

    // ------------------------------------------------------------------------------------------------
    // Internals: picking
    // ------------------------------------------------------------------------------------------------

    function _rand(uint256 seed, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    /// @dev 4 in 5 an open payment (when there is one), else any payment ever made (closed ones included).
    function _pickPayment(uint256 seed) internal view returns (bool found, uint256 index) {
        if (_records.length == 0) return (false, 0);
        uint256 r = _rand(seed, 0);
        if (_openList.length > 0 && r % 5 != 0) return (true, _openList[(r / 5) % _openList.length]);
        return (true, (r / 5) % _records.length);
    }

    /// @dev An open payment that is held (or, when `heldOnly` is false, disputed or held), else any payment.
    function _pickFrozen(uint256 seed, bool heldOnly) internal view returns (bool found, uint256 index) {
        uint256 count = _openList.length;
        uint256 start = _rand(seed, 1);
        for (uint256 k; k < count; ++k) {
            uint256 i = _openList[(start + k) % count];
            Ghost storage g = _ghosts[i];
            if (g.held || (!heldOnly && g.disputed)) return (true, i);
        }
        return _pickPayment(seed);
    }

    /// @dev 3 in 4 an open payment still in its dispute window and not disputed (when there is one), else as
    ///      `_pickPayment`.
    function _pickDisputable(uint256 seed) internal view returns (bool found, uint256 index) {
        uint256 count = _openList.length;
        uint256 start = _rand(seed, 1);
        if (start % 4 != 0) {
            for (uint256 k; k < count; ++k) {
                uint256 i = _openList[(start + k) % count];
                if (!_ghosts[i].disputed && _now() < _records[i].releaseAfter) return (true, i);
            }
        }
        return _pickPayment(seed);
    }

    /// @dev The payment's merchant or operator 6 in 10, else its payer, a stranger, another merchant or the other
    ///      operator.
    function _pickCaller(uint256 seed, IPaymentEscrow.Payment memory p) internal view returns (address) {
        uint256 r = _rand(seed, 2) % 10;
        if (r < 3) return p.terms.merchant;
        if (r < 6) return p.terms.operator;
        if (r == 6) return p.payer;
        if (r == 7) return stranger;
        if (r == 8) return _otherMerchant(p.terms.merchant, seed);
        return _otherOperator(p.terms.operator);
    }

    function _isParty(address caller, IPaymentEscrow.Payment memory p) internal pure returns (bool) {
        return caller == p.terms.merchant || caller == p.terms.operator;
    }

    function _otherMerchant(address m, uint256 seed) internal view returns (address) {
        for (uint256 k; k < _merchants.length; ++k) {
            if (_merchants[k] == m) return _merchants[(k + 1 + (seed % 2)) % _merchants.length];
        }
        return merchant;
    }

    function _otherOperator(address op) internal view returns (address) {
        return op == operator ? operator2 : operator;
    }

    function _otherPermitToken(address token) internal view returns (address) {
        return token == address(usdc) ? address(eurc) : address(usdc);
    }

    /// @dev Alters one field of a record so it no longer matches the stored hash.
    function _tamper(IPaymentEscrow.Payment memory p, uint256 r) internal view {
        uint256 field = r % 5;
        if (field == 0) p.releaseAfter = p.releaseAfter == 0 ? 1 : p.releaseAfter - 1;
        else if (field == 1) p.terms.merchant = _otherMerchant(p.terms.merchant, r);
        else if (field == 2) p.refundTo = stranger;
        else if (field == 3) p.terms.fee = p.terms.fee == 0 ? 1 : 0;
        else p.terms.amount += 1;
    }

    /// @dev A deep copy (memory structs are references).
    function _copy(PayCtx memory c) internal pure returns (PayCtx memory) {
        return
            PayCtx({
                terms: IPaymentEscrow.PaymentTerms({
                    orderId: c.terms.orderId,
                    merchant: c.terms.merchant,
                    token: c.terms.token,
                    amount: c.terms.amount,
                    fee: c.terms.fee,
                    deadline: c.terms.deadline,
                    escrowPeriod: c.terms.escrowPeriod,
                    operator: c.terms.operator
                }),
                operatorKey: c.operatorKey,
                payerKey: c.payerKey,
                payer: c.payer,
                refundTo: c.refundTo,
                paymentId: c.paymentId
            });
    }
}
