// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {ISpendPermissions} from "../../src/interfaces/ISpendPermissions.sol";
import {SpendPermissionsFixture} from "../base/SpendPermissionsFixture.sol";

// A handler holds the whole model and one function per action.
// solhint-disable max-states-count, function-max-lines

/// @title SpendPermissionsHandler
/// @notice Drives random sequences of subscription operations for SpendPermissions.invariant.t.sol and keeps a model
///         of what each permission may still charge and what each payer should hold.
/// @dev World: three permissions (two payers, tUSDC and rUSDC, different periods and windows, one starting later, one
///      approved only by the signature its first charge carries), charged by the operator with amounts up to 1.25x
///      the allowance, at random times; strangers trying to charge; revocations; merchant refunds, payer disputes
///      through the contract and releases; escrow pauses and an rUSDC blacklist of the payer.
///
///      Every action computes from the model whether the call must succeed, makes it, and counts disagreements
///      (`unexpectedSuccesses`, `unexpectedReverts`); the invariants assert those stay zero, so the handler itself
///      never reverts. Functions here must not start with `test` or `invariant`.
contract SpendPermissionsHandler is SpendPermissionsFixture {
    struct Charge {
        IPaymentEscrow.Payment payment;
        uint256 refunded;
        bool open;
        bool disputed;
    }

    ISpendPermissions.SpendPermission[] internal _perms;
    uint256[] internal _keys;
    bool[] internal _revoked;
    bool[] internal _approved;
    Charge[] internal _charges;

    /// @dev permission index => period index => charged in it (successful charges only).
    mapping(uint256 => mapping(uint256 => uint256)) public chargedIn;
    /// @dev (permission index, period index) pairs that were charged, for the invariants to walk.
    uint256[2][] internal _touched;
    /// @dev account => token => charged, refunded.
    mapping(address => mapping(address => uint256)) public chargedFrom;
    mapping(address => mapping(address => uint256)) public refundedTo;

    bool public modelPaused;
    bool public payerBlacklisted;

    uint256 public unexpectedSuccesses;
    uint256 public unexpectedReverts;
    uint256 public chargesOutsideValidity;
    uint256 public unauthorizedSuccesses;
    uint256 public calls;
    uint256 public successfulCharges;

    constructor() {
        setUp();
        _allowSpending(payer, address(usdc));
        _allowSpending(payer, address(rusdc));
        _allowSpending(payer2, address(usdc));

        ISpendPermissions.SpendPermission memory p = _permission();
        p.period = 7 days;
        p.end = uint48(_now() + 60 days);
        _add(p, PAYER_KEY);
        vm.prank(payer);
        permissions.approve(p);
        _approved[0] = true;

        p = _permission();
        p.account = payer2;
        p.allowance = 50e6;
        p.period = 1 days;
        p.start = uint48(_now() + 2 days);
        p.end = p.start + 20 days;
        _add(p, PAYER2_KEY);
        vm.prank(payer2);
        permissions.approve(p);
        _approved[1] = true;

        p = _permission();
        p.token = address(rusdc);
        p.period = 10 days;
        p.end = uint48(_now() + 45 days);
        p.salt = 7;
        _add(p, PAYER_KEY);
    }

    function _add(ISpendPermissions.SpendPermission memory p, uint256 key) internal {
        _perms.push(p);
        _keys.push(key);
        _revoked.push(false);
        _approved.push(false);
    }

    modifier counted() {
        ++calls;
        _;
    }

    // ------------------------------------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------------------------------------

    function charge(uint256 which, uint256 amountSeed, bool withSignature) external counted {
        uint256 i = which % _perms.length;
        ISpendPermissions.SpendPermission memory p = _perms[i];
        uint256 amount = bound(amountSeed, 1, uint256(p.allowance) + p.allowance / 4);
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(p.token, amount);
        bytes memory operatorSignature = _signTerms(terms);
        bytes memory signature = withSignature ? _signPermission(_keys[i], p) : bytes("");

        uint256 t = _now();
        bool inWindow = t >= p.start && t < p.end;
        uint256 period = inWindow ? (t - p.start) / p.period : 0;
        bool expected =
            !_revoked[i] &&
                (_approved[i] || withSignature) &&
                inWindow &&
                chargedIn[i][period] + amount <= p.allowance &&
                !modelPaused &&
                !(payerBlacklisted && p.token == address(rusdc) && p.account == payer) &&
                _balance(p.token, p.account) >= amount;

        vm.prank(operator);
        try permissions.charge(p, signature, terms, operatorSignature) {
            if (!expected) ++unexpectedSuccesses;
            if (_revoked[i] || !inWindow) ++chargesOutsideValidity;
            ++successfulCharges;
            _approved[i] = true;
            if (chargedIn[i][period] == 0) _touched.push([i, period]);
            chargedIn[i][period] += amount;
            chargedFrom[p.account][p.token] += amount;
            _charges.push(Charge({payment: _chargeRecord(p, terms), refunded: 0, open: true, disputed: false}));
        } catch {
            if (expected) ++unexpectedReverts;
        }
    }

    /// @dev Anyone but the operator holding valid terms: must never charge.
    function chargeAsStranger(uint256 which, uint256 amountSeed, uint256 callerSeed) external counted {
        ISpendPermissions.SpendPermission memory p = _perms[which % _perms.length];
        IPaymentEscrow.PaymentTerms memory terms = _chargeTerms(p.token, bound(amountSeed, 1, p.allowance));
        bytes memory operatorSignature = _signTerms(terms);
        address[4] memory callers = [stranger, merchant, payer2, relayer];
        vm.prank(callers[callerSeed % callers.length]);
        try permissions.charge(p, _signPermission(_keys[which % _perms.length], p), terms, operatorSignature) {
            ++unauthorizedSuccesses;
        } catch {}
    }

    function approve(uint256 which) external counted {
        uint256 i = which % _perms.length;
        vm.prank(_perms[i].account);
        try permissions.approve(_perms[i]) {
            if (_revoked[i]) ++unexpectedSuccesses;
            _approved[i] = true;
        } catch {
            if (!_revoked[i]) ++unexpectedReverts;
        }
    }

    function revoke(uint256 which) external counted {
        uint256 i = which % _perms.length;
        vm.prank(_perms[i].account);
        try permissions.revoke(_perms[i]) {
            if (_revoked[i]) ++unexpectedSuccesses;
            _revoked[i] = true;
        } catch {
            if (!_revoked[i]) ++unexpectedReverts;
        }
    }

    function refund(uint256 which, uint256 amountSeed) external counted {
        if (_charges.length == 0) return;
        Charge storage c = _charges[which % _charges.length];
        uint256 left = c.payment.terms.amount - c.refunded;
        uint256 amount = bound(amountSeed, 1, left == 0 ? 1 : left);
        vm.prank(merchant);
        try escrow.refund(c.payment, amount) {
            if (!c.open) ++unexpectedSuccesses;
            c.refunded += amount;
            if (c.refunded == c.payment.terms.amount) c.open = false;
            refundedTo[c.payment.refundTo][c.payment.terms.token] += amount;
        } catch {
            if (c.open) ++unexpectedReverts;
        }
    }

    function dispute(uint256 which) external counted {
        if (_charges.length == 0) return;
        Charge storage c = _charges[which % _charges.length];
        bool expected = c.open && !c.disputed && _now() < c.payment.releaseAfter;
        vm.prank(c.payment.refundTo);
        try permissions.dispute(c.payment) {
            if (!expected) ++unexpectedSuccesses;
            c.disputed = true;
        } catch {
            if (expected) ++unexpectedReverts;
        }
    }

    function release(uint256 which) external counted {
        if (_charges.length == 0) return;
        Charge storage c = _charges[which % _charges.length];
        bool expected = c.open && !c.disputed && _now() >= c.payment.releaseAfter;
        vm.prank(relayer);
        try escrow.release(c.payment) {
            if (!expected) ++unexpectedSuccesses;
            c.open = false;
        } catch {
            if (expected) ++unexpectedReverts;
        }
    }

    function warp(uint256 seed) external counted {
        vm.warp(_now() + bound(seed, 1, 5 days));
    }

    function setPaused(bool paused) external counted {
        vm.prank(owner);
        escrow.setPaused(paused);
        modelPaused = paused;
    }

    function setBlacklisted(bool listed) external counted {
        if (listed == payerBlacklisted) return;
        if (listed) _blacklist(payer);
        else _unBlacklist(payer);
        payerBlacklisted = listed;
    }

    // ------------------------------------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------------------------------------

    function permissionCount() external view returns (uint256) {
        return _perms.length;
    }

    function permissionAt(uint256 i) external view returns (ISpendPermissions.SpendPermission memory) {
        return _perms[i];
    }

    function touched() external view returns (uint256[2][] memory) {
        return _touched;
    }

    function charges() external view returns (Charge[] memory) {
        return _charges;
    }

    function permissionsUnderTest() external view returns (address) {
        return address(permissions);
    }

    function escrowUnderTest() external view returns (address) {
        return address(escrow);
    }

    function tokens() external view returns (address[2] memory) {
        return [address(usdc), address(rusdc)];
    }

    function payers() external view returns (address[2] memory) {
        return [payer, payer2];
    }

    /// @dev What each payer started with in each token.
    function initialBalance() external pure returns (uint256) {
        return INITIAL_BALANCE;
    }
}
