// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {MockSmartWalletFactory} from "../../src/mocks/MockSmartWallet.sol";
import {RegulatedTokenFixture} from "../base/RegulatedTokenFixture.sol";
import {Vm} from "../base/Vm.sol";

// A handler holds the whole model and one function per action: many state variables and long functions.
// solhint-disable max-states-count, function-max-lines

/// @title IssuerControlsHandler
/// @notice Drives random sequences of escrow operations in an issuer-controlled stablecoin (the FiatToken v2.2 model
///         behind its proxy) while the issuer blacklists and unblacklists the parties (and now and then the escrow
///         itself) and pauses and unpauses the token, for IssuerControls.invariant.t.sol. Keeps a model of what every
///         account must hold and be credited.
/// @dev World: 2 merchants, 2 payers with keys, 2 smart-wallet payers (ERC-1271: one deployed, one counterfactual
///      that its first wrapped ERC-6492 authorization deploys), a treasury paying on behalf of fiat customers with
///      refunds to the bridge, one fee recipient, a relayer and a stranger who trigger withdrawals. Every action
///      bounds its inputs, decides from the model whether the escrow must accept the call, makes it (never reverting
///      itself), and counts any disagreement. Payouts are read from the escrow's events and routed the way the token
///      must route them: transferred when the token is live and neither the escrow nor the recipient is blacklisted,
///      otherwise credited to that recipient. A withdrawal must pay the credited account exactly, and only when the
///      token lets it. About 1 in 5 payments is a charge (escrow period 0): its paying call must settle it the same
///      way, so it enters the model closed, and any later call on it (as on any closed payment) must be refused with
///      `UnknownPayment`. Functions must not start with `test` or `invariant`.
contract IssuerControlsHandler is RegulatedTokenFixture {
    struct Ghost {
        uint256 paidIn;
        uint256 refunded;
        uint256 merchantPaid;
        uint256 feePaid;
        /// Operations that closed the payment: must stay <= 1.
        uint256 closings;
        /// Payout events for the payment after the model had closed it: must stay 0.
        uint256 payoutsAfterClose;
        bool open;
        bool disputed;
    }

    uint256 internal constant MAX_AMOUNT = 10_000e6;
    uint256 internal constant WALLET_OWNER_KEY = 0xA11CE;
    bytes32 internal constant LATE_WALLET_SALT = "late wallet";

    MockSmartWalletFactory internal walletFactory;
    /// A deployed smart wallet, paying by `bytes` authorization.
    address internal wallet;
    /// A counterfactual one: it pays by ERC-6492-wrapped authorizations, the first of which deploys it.
    address internal lateWallet;

    IPaymentEscrow.Payment[] internal _records;
    Ghost[] internal _ghosts;
    mapping(bytes32 paymentId => uint256 indexPlusOne) internal _indexOf;

    /// Accounts whose balances and credits the model follows (everyone who pays, is paid or calls).
    address[] internal _watched;
    /// Accounts the issuer may blacklist (the escrow among them, rarely).
    address[] internal _blacklistable;
    mapping(address account => uint256) public expectedBalance;
    mapping(address account => uint256) public expectedCredit;
    uint256 public expectedCreditTotal;
    /// The balance an account had when the issuer blacklisted it: it must not change until unblacklisted.
    mapping(address account => uint256) public frozenBalance;

    uint256 internal _orderNonce;

    // Outcome counters (asserted by the invariants).
    uint256 public unexpectedReverts;
    uint256 public unexpectedSuccesses;
    uint256 public wrongWithdrawals;
    /// A charge not settled (exactly, once) by its paying call, or an escrowed payment that was.
    uint256 public chargeMismatches;
    /// An operation on a closed payment refused with anything but `UnknownPayment` (its record is no longer stored).
    uint256 public closedWrongReason;
    string public lastUnexpectedOp;
    bytes public lastUnexpectedError;

    // Coverage counters (reported, not asserted).
    uint256 public payments;
    uint256 public charges;
    uint256 public creditedPayouts;
    uint256 public withdrawals;
    uint256 public refusedWhileFrozen;

    constructor() {
        setUp();
        walletFactory = new MockSmartWalletFactory();
        wallet = walletFactory.deploy(vm.addr(WALLET_OWNER_KEY), "wallet");
        lateWallet = walletFactory.addressOf(vm.addr(WALLET_OWNER_KEY), LATE_WALLET_SALT);
        _mint(address(rusdc), wallet, INITIAL_BALANCE);
        _mint(address(rusdc), lateWallet, INITIAL_BALANCE);
        address[11] memory followed = [
            wallet,
            lateWallet,
            merchant,
            merchant2,
            payer,
            payer2,
            treasury,
            bridge,
            feeRecipient,
            relayer,
            stranger
        ];
        for (uint256 i; i < followed.length; ++i) {
            _watched.push(followed[i]);
            expectedBalance[followed[i]] = rusdc.balanceOf(followed[i]);
        }
        address[10] memory freezable = [
            wallet,
            lateWallet,
            merchant,
            merchant2,
            payer,
            payer2,
            treasury,
            bridge,
            feeRecipient,
            address(escrow)
        ];
        for (uint256 i; i < freezable.length; ++i) _blacklistable.push(freezable[i]);
    }

    // ------------------------------------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------------------------------------

    /// @notice A new order paid by allowance, permit, ERC-3009 authorization (relayed), on behalf (treasury), or by a
    ///         smart wallet's relayed `bytes` authorization (method 4: the deployed one, 5: the counterfactual one).
    function pay(uint256 seed, uint256 amountSeed, uint256 feeSeed, uint256 methodSeed) external {
        IPaymentEscrow.PaymentTerms memory terms = _newTerms(seed, amountSeed, feeSeed);
        uint256 method = methodSeed % 6;
        (address from, uint256 key) = (treasury, 0);
        if (method >= 4) (from, key) = (method == 4 ? wallet : lateWallet, WALLET_OWNER_KEY);
        else if (method != 3 && seed % 2 == 0) (from, key) = (payer, PAYER_KEY);
        else if (method != 3) (from, key) = (payer2, PAYER2_KEY);
        bool mustPass = !rusdc.paused() && !rusdc.isBlacklisted(from) && !rusdc.isBlacklisted(address(escrow));

        vm.recordLogs();
        (bool ok, bytes memory err) = _payAttempt(terms, from, key, method);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (ok != mustPass) _unexpected("pay", err, !ok);
        if (!mustPass) ++refusedWhileFrozen;
        if (ok) _recordPaid(terms, from, method == 2 || method >= 4 ? relayer : from, logs);
    }

    function _payAttempt(
        IPaymentEscrow.PaymentTerms memory terms,
        address from,
        uint256 key,
        uint256 method
    ) private returns (bool ok, bytes memory err) {
        if (method >= 4) return _payFromWalletAttempt(terms, from);
        if (method == 1) return _payWithPermitAttempt(terms, from, key);
        if (method == 2) return _payWithAuthorizationAttempt(terms, from, key);
        return _payFromAllowanceAttempt(terms, from);
    }

    /// @dev Books a payment that went through, checking what its call emitted against the model.
    function _recordPaid(
        IPaymentEscrow.PaymentTerms memory terms,
        address from,
        address submitter,
        Vm.Log[] memory logs
    ) private {
        address refundTo = from == treasury ? bridge : from;
        _records.push(_record(terms, from, refundTo, _now() + terms.escrowPeriod));
        Ghost storage g = _ghosts.push();
        g.paidIn = terms.amount;
        g.open = true;
        bytes32 paymentId = _paymentId(_records[_records.length - 1]);
        _indexOf[paymentId] = _records.length;
        expectedBalance[from] -= terms.amount;
        ++payments;

        // A charge (escrow period 0) is settled by the paying call: one `PaymentReleased` for the whole net and the
        // signed fee, by the submitter, not early, whose payouts are routed (or credited) like a release's. An escrowed
        // payment releases nothing yet.
        bool charge = terms.escrowPeriod == 0;
        if (_countCharged(logs, paymentId, terms, submitter) != (charge ? 1 : 0)) ++chargeMismatches;
        _applyLogs(logs);
        if (g.open == charge) ++chargeMismatches;
        if (charge) ++charges;
    }

    /// @notice Release by the keeper once matured, or early by the merchant.
    function release(uint256 paymentSeed, bool early) external {
        (bool found, uint256 i) = _pick(paymentSeed);
        if (!found) return;
        IPaymentEscrow.Payment memory p = _records[i];
        Ghost memory g = _ghosts[i];
        address caller = early ? p.terms.merchant : relayer;
        bool mustPass = g.open && !g.disputed && (early || _now() >= p.releaseAfter);
        vm.recordLogs();
        vm.prank(caller);
        try escrow.release(p) {
            _settledOn("release", i, g.open, mustPass, true, "");
        } catch (bytes memory err) {
            _settledOn("release", i, g.open, mustPass, false, err);
        }
    }

    /// @notice The keeper's batch over a few payments (matured or not, open or not, repeated or not).
    function releaseBatch(uint256 seed, uint256 sizeSeed) external {
        if (_records.length == 0) return;
        uint256 n = 1 + (sizeSeed % 4);
        IPaymentEscrow.Payment[] memory batch = new IPaymentEscrow.Payment[](n);
        uint256[] memory index = new uint256[](n);
        uint256 expected;
        for (uint256 j; j < n; ++j) {
            (, index[j]) = _pick(uint256(keccak256(abi.encode(seed, j))));
            batch[j] = _records[index[j]];
            Ghost memory g = _ghosts[index[j]];
            bool eligible = g.open && !g.disputed && _now() >= batch[j].releaseAfter;
            for (uint256 k; k < j && eligible; ++k) {
                if (index[k] == index[j]) eligible = false; // a repeat is skipped once the first closed it
            }
            if (eligible) ++expected;
        }
        vm.recordLogs();
        vm.prank(relayer);
        try escrow.releaseBatch(batch) returns (uint256 released) {
            if (released != expected) _unexpected("releaseBatch: count", "", false);
            _settled("releaseBatch", true, true, "");
        } catch (bytes memory err) {
            _settled("releaseBatch", true, false, err);
        }
    }

    /// @notice A partial or full refund by the merchant.
    function refund(uint256 paymentSeed, uint256 amountSeed) external {
        (bool found, uint256 i) = _pick(paymentSeed);
        if (!found) return;
        IPaymentEscrow.Payment memory p = _records[i];
        Ghost memory g = _ghosts[i];
        uint256 remainingAmount = g.paidIn - g.refunded;
        uint256 amount =
            amountSeed % 3 == 0 || remainingAmount == 0 ? remainingAmount : bound(amountSeed, 1, remainingAmount);
        bool mustPass = g.open;
        vm.recordLogs();
        vm.prank(p.terms.merchant);
        try escrow.refund(p, amount) {
            _settledOn("refund", i, g.open, mustPass, true, "");
        } catch (bytes memory err) {
            _settledOn("refund", i, g.open, mustPass, false, err);
        }
    }

    /// @notice The payer disputes (only open, undisputed payments within their window are accepted).
    function dispute(uint256 paymentSeed) external {
        (bool found, uint256 i) = _pick(paymentSeed);
        if (!found) return;
        IPaymentEscrow.Payment memory p = _records[i];
        Ghost memory g = _ghosts[i];
        bool mustPass = g.open && !g.disputed && _now() < p.releaseAfter;
        vm.recordLogs();
        vm.prank(p.payer);
        try escrow.dispute(p) {
            _ghosts[i].disputed = true;
            _settledOn("dispute", i, g.open, mustPass, true, "");
        } catch (bytes memory err) {
            _settledOn("dispute", i, g.open, mustPass, false, err);
        }
    }

    /// @notice The arbiter splits a disputed payment.
    function resolve(uint256 paymentSeed, uint256 splitSeed) external {
        (bool found, uint256 i) = _pick(paymentSeed);
        if (!found) return;
        IPaymentEscrow.Payment memory p = _records[i];
        Ghost memory g = _ghosts[i];
        uint256 refundAmount = bound(splitSeed, 0, g.paidIn - g.refunded);
        bool mustPass = g.open && g.disputed;
        vm.recordLogs();
        vm.prank(arbiter);
        try escrow.resolve(p, refundAmount) {
            _settledOn("resolve", i, g.open, mustPass, true, "");
        } catch (bytes memory err) {
            _settledOn("resolve", i, g.open, mustPass, false, err);
        }
    }

    /// @notice Someone (the account, the relayer/keeper or a stranger) triggers the payout of an account's credit.
    ///         It must pay exactly that credit to that account, and only while the token lets the escrow pay it.
    function withdraw(uint256 accountSeed, uint256 callerSeed) external {
        uint256 count = _watched.length;
        address account = _watched[accountSeed % count];
        for (uint256 k; k < count; ++k) {
            address candidate = _watched[((accountSeed % count) + k) % count];
            if (expectedCredit[candidate] > 0) {
                account = candidate;
                break;
            }
        }
        address caller = [account, relayer, stranger][callerSeed % 3];
        uint256 credit = expectedCredit[account];
        bool mustPass = credit > 0 && _transferable(account);
        uint256 before = rusdc.balanceOf(account);
        uint256 callerBefore = rusdc.balanceOf(caller);
        vm.prank(caller);
        try escrow.withdraw(address(rusdc), account) {
            if (!mustPass) {
                _unexpected("withdraw: accepted", "", false);
                return;
            }
            if (rusdc.balanceOf(account) - before != credit) ++wrongWithdrawals;
            if (caller != account && rusdc.balanceOf(caller) != callerBefore) ++wrongWithdrawals;
            expectedCredit[account] = 0;
            expectedCreditTotal -= credit;
            expectedBalance[account] += credit;
            ++withdrawals;
        } catch (bytes memory err) {
            if (mustPass) _unexpected("withdraw: refused", err, true);
        }
    }

    /// @notice The issuer blacklists or unblacklists a party (1 in 8 the escrow itself).
    function setBlacklisted(uint256 seed, bool blacklisted) external {
        address account = _blacklistable[seed % _blacklistable.length];
        bool was = rusdc.isBlacklisted(account);
        if (blacklisted && !was) frozenBalance[account] = rusdc.balanceOf(account);
        vm.prank(issuerBlacklister);
        if (blacklisted) rusdc.blacklist(account);
        else rusdc.unBlacklist(account);
    }

    /// @notice The issuer pauses (1 in 3) or unpauses the token.
    function setTokenPaused(uint256 seed) external {
        vm.prank(issuerPauser);
        if (seed % 3 == 0) rusdc.pause();
        else rusdc.unpause();
    }

    /// @notice Time passes: at random, or to the release time of a payment.
    function warp(uint256 seed) external {
        if (_records.length > 0 && seed % 3 == 0) {
            uint64 releaseAfter = _records[(seed / 3) % _records.length].releaseAfter;
            if (releaseAfter > _now()) {
                vm.warp(releaseAfter);
                return;
            }
        }
        vm.warp(_now() + bound(seed, 1, 10 days));
    }

    // ------------------------------------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------------------------------------

    function escrowAddress() external view returns (address) {
        return address(escrow);
    }

    function tokenAddress() external view returns (address) {
        return address(rusdc);
    }

    function ghosts() external view returns (Ghost[] memory) {
        return _ghosts;
    }

    function paymentIds() external view returns (bytes32[] memory ids) {
        ids = new bytes32[](_records.length);
        for (uint256 i; i < ids.length; ++i) ids[i] = _paymentId(_records[i]);
    }

    function watched() external view returns (address[] memory) {
        return _watched;
    }

    function blacklistable() external view returns (address[] memory) {
        return _blacklistable;
    }

    /// @notice What the escrow must hold: what remains of every open payment, plus every outstanding credit.
    function expectedEscrowBalance() external view returns (uint256 total) {
        for (uint256 i; i < _ghosts.length; ++i) {
            if (_ghosts[i].open) total += _ghosts[i].paidIn - _ghosts[i].refunded;
        }
        total += expectedCreditTotal;
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    /// @dev `pay` by a payer, or `payOnBehalf` by the treasury, after an approval (which the token refuses while
    ///      paused).
    function _payFromAllowanceAttempt(
        IPaymentEscrow.PaymentTerms memory terms,
        address from
    ) internal returns (bool ok, bytes memory err) {
        bytes memory signature = _signTerms(terms);
        vm.prank(from);
        try rusdc.approve(address(escrow), terms.amount) {} catch {}
        vm.prank(from);
        if (from == treasury) {
            try escrow.payOnBehalf(terms, signature, bridge) {
                ok = true;
            } catch (bytes memory e) {
                err = e;
            }
        } else {
            try escrow.pay(terms, signature) {
                ok = true;
            } catch (bytes memory e) {
                err = e;
            }
        }
    }

    function _payWithPermitAttempt(
        IPaymentEscrow.PaymentTerms memory terms,
        address from,
        uint256 key
    ) internal returns (bool ok, bytes memory err) {
        bytes memory signature = _signTerms(terms);
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            address(rusdc),
            key,
            address(escrow),
            terms.amount,
            terms.deadline
        );
        vm.prank(from);
        try escrow.payWithPermit(terms, signature, terms.deadline, v, r, s) {
            ok = true;
        } catch (bytes memory e) {
            err = e;
        }
    }

    function _payWithAuthorizationAttempt(
        IPaymentEscrow.PaymentTerms memory terms,
        address from,
        uint256 key
    ) internal returns (bool ok, bytes memory err) {
        bytes memory signature = _signTerms(terms);
        (uint8 v, bytes32 r, bytes32 s) = _escrowAuthorization(terms, key);
        vm.prank(relayer);
        try escrow.payWithAuthorization(terms, signature, from, 0, terms.deadline, v, r, s) {
            ok = true;
        } catch (bytes memory e) {
            err = e;
        }
    }

    /// @dev A smart wallet's authorization through the `bytes` overload; the counterfactual wallet's is always wrapped
    ///      (ERC-6492), so its first successful one deploys it and later ones skip the factory.
    function _payFromWalletAttempt(
        IPaymentEscrow.PaymentTerms memory terms,
        address from
    ) internal returns (bool ok, bytes memory err) {
        bytes memory signature = _signTerms(terms);
        bytes memory authorization = _escrowAuthorizationBytes(terms, from, WALLET_OWNER_KEY);
        if (from == lateWallet) {
            bytes memory deployCall = abi.encodeCall(
                MockSmartWalletFactory.deploy,
                (vm.addr(WALLET_OWNER_KEY), LATE_WALLET_SALT)
            );
            authorization = _wrap6492(address(walletFactory), deployCall, authorization);
        }
        vm.prank(relayer);
        try escrow.payWithAuthorization(terms, signature, from, 0, terms.deadline, authorization) {
            ok = true;
        } catch (bytes memory e) {
            err = e;
        }
    }

    function _newTerms(
        uint256 seed,
        uint256 amountSeed,
        uint256 feeSeed
    ) internal returns (IPaymentEscrow.PaymentTerms memory terms) {
        uint256 amount = amountSeed % 4 == 0 ? bound(amountSeed, 1, 1_000) : bound(amountSeed, 1e6, MAX_AMOUNT);
        terms = _terms(keccak256(abi.encode("issuer order", ++_orderNonce)), address(rusdc), amount, 0);
        terms.fee = bound(feeSeed, 0, (amount * MAX_FEE_BPS) / 10_000);
        terms.merchant = (seed >> 8) % 2 == 0 ? merchant : merchant2;
        // 1 in 5 a charge (escrow period 0): settled, or credited, by the paying call itself.
        terms.escrowPeriod = (seed >> 16) % 5 == 0 ? 0 : bound(seed >> 24, 1, 30 days);
    }

    /// @dev Whether the escrow can transfer to `to` right now: the token is live and neither is blacklisted.
    function _transferable(address to) internal view returns (bool) {
        return !rusdc.paused() && !rusdc.isBlacklisted(address(escrow)) && !rusdc.isBlacklisted(to);
    }

    /// @dev 4 in 5 an open payment (when there is one), else any payment ever made.
    function _pick(uint256 seed) internal view returns (bool found, uint256 index) {
        uint256 n = _records.length;
        if (n == 0) return (false, 0);
        for (uint256 k; k < n && seed % 5 != 0; ++k) {
            uint256 i = (((seed / 5) % n) + k) % n;
            if (_ghosts[i].open) return (true, i);
        }
        return (true, (seed / 5) % n);
    }

    /// @dev {_settled} for an operation on payment `i`, `wasOpen` before the call: refused while closed, it must be
    ///      refused as an unknown payment.
    function _settledOn(string memory op, uint256 i, bool wasOpen, bool mustPass, bool ok, bytes memory err) internal {
        bytes memory unknown = abi.encodeWithSelector(IPaymentEscrow.UnknownPayment.selector, _paymentId(_records[i]));
        if (!ok && !wasOpen && keccak256(err) != keccak256(unknown)) {
            ++closedWrongReason;
            lastUnexpectedOp = string.concat(op, ": a closed payment refused for another reason");
            lastUnexpectedError = err;
        }
        _settled(op, mustPass, ok, err);
    }

    /// @dev How many `PaymentReleased` for `paymentId` are in `logs`; each must be a charge's: the whole amount net of
    ///      the signed fee, the signed fee to the fee recipient, released by `submitter`, not early.
    function _countCharged(
        Vm.Log[] memory logs,
        bytes32 paymentId,
        IPaymentEscrow.PaymentTerms memory terms,
        address submitter
    ) internal returns (uint256 count) {
        for (uint256 q; q < logs.length; ++q) {
            Vm.Log memory log = logs[q];
            if (log.emitter != address(escrow) || log.topics.length < 2) continue;
            if (log.topics[0] != IPaymentEscrow.PaymentReleased.selector || log.topics[1] != paymentId) continue;
            ++count;
            (
                address token,
                uint256 merchantAmount,
                uint256 feeAmount,
                address feeRecipient_,
                address caller,
                bool early
            ) = abi.decode(log.data, (address, uint256, uint256, address, address, bool));
            bool same =
                token == terms.token &&
                    merchantAmount == terms.amount - terms.fee &&
                    feeAmount == terms.fee &&
                    feeRecipient_ == feeRecipient &&
                    caller == submitter &&
                    !early;
            if (!same) ++chargeMismatches;
        }
    }

    function _settled(string memory op, bool mustPass, bool ok, bytes memory err) internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (ok != mustPass) _unexpected(op, err, !ok);
        if (ok) _applyLogs(logs);
    }

    function _unexpected(string memory op, bytes memory err, bool reverted) internal {
        if (reverted) ++unexpectedReverts;
        else ++unexpectedSuccesses;
        lastUnexpectedOp = op;
        lastUnexpectedError = err;
    }

    /// @dev Applies the payouts the escrow's events report, routing each to the recipient the model says is entitled.
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
            uint256 i = _indexOf[log.topics[1]] - 1;
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
                _route(p.terms.merchant, merchantAmount);
                _route(feeRecipient, feeAmount);
                _close(g);
            } else if (topic == IPaymentEscrow.PaymentRefunded.selector) {
                (, uint256 amount, , bool closed, ) = abi.decode(log.data, (address, uint256, uint256, bool, address));
                g.refunded += amount;
                _route(p.refundTo, amount);
                if (closed) _close(g);
            } else {
                (, uint256 refundAmount, uint256 merchantAmount, uint256 feeAmount, ) = abi.decode(
                    log.data,
                    (address, uint256, uint256, uint256, address)
                );
                g.refunded += refundAmount;
                g.merchantPaid += merchantAmount;
                g.feePaid += feeAmount;
                _route(p.refundTo, refundAmount);
                _route(p.terms.merchant, merchantAmount);
                _route(feeRecipient, feeAmount);
                _close(g);
            }
        }
    }

    function _route(address to, uint256 amount) internal {
        if (amount == 0) return;
        if (_transferable(to)) {
            expectedBalance[to] += amount;
        } else {
            expectedCredit[to] += amount;
            expectedCreditTotal += amount;
            ++creditedPayouts;
        }
    }

    function _close(Ghost storage g) internal {
        ++g.closings;
        g.open = false;
        g.disputed = false;
    }
}
