// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {SpendPermissions} from "../../src/SpendPermissions.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {ISpendPermissions} from "../../src/interfaces/ISpendPermissions.sol";
import {RegulatedTokenFixture} from "./RegulatedTokenFixture.sol";

/// @title SpendPermissionsFixture
/// @notice {RegulatedTokenFixture} (escrow, tUSDC, rUSDC, actors) plus a {SpendPermissions} beside the escrow, and
///         helpers to build, sign, approve and charge subscriptions.
/// @dev How to use it:
///      - `_permission()` is a valid default permission: `payer` pays `merchant` at most `ALLOWANCE` tUSDC per `PERIOD`
///        for `DURATION` from now, charged by `operator`. Change any field, then `_signPermission(key, p)` signs it
///        with this fixture's own EIP-712 digest (independent of the contract's `permissionHash`).
///      - `_allowSpending(account, token)` gives the contract an unlimited token allowance from `account`, as the
///        checkout asks the payer to; `_approveAsAccount(p)` also approves the permission by a plain call.
///      - `_chargeTerms(amount)` builds fresh terms (unique order id) in tUSDC for `amount` with a 2% fee;
///        `_charge(p, signature, terms)` charges them as the operator and returns the escrow's `Payment` record.
///      - Time starts at `START_TIME`; `_warpToPeriod(p, k)` moves to the first second of period `k`.
abstract contract SpendPermissionsFixture is RegulatedTokenFixture {
    uint160 internal constant ALLOWANCE = 250e6;
    uint48 internal constant PERIOD = 30 days;
    uint48 internal constant DURATION = 365 days;

    bytes32 internal constant SPEND_PERMISSION_TYPEHASH = keccak256(
        "SpendPermission(address account,address operator,address merchant,address token,uint160 allowance,"
        "uint48 period,uint48 start,uint48 end,uint256 salt)"
    );

    SpendPermissions internal permissions;
    uint256 internal orderCount;

    function setUp() public virtual override {
        super.setUp();
        permissions = SpendPermissions(
            _deploy(
                "SpendPermissions.sol:SpendPermissions",
                type(SpendPermissions).creationCode,
                abi.encode(address(escrow))
            )
        );
        vm.label(address(permissions), "SpendPermissions");
    }

    // ------------------------------------------------------------------------------------------------
    // Permissions and signatures
    // ------------------------------------------------------------------------------------------------

    function _permission() internal view returns (ISpendPermissions.SpendPermission memory) {
        return
            ISpendPermissions.SpendPermission({
                account: payer,
                operator: operator,
                merchant: merchant,
                token: address(usdc),
                allowance: ALLOWANCE,
                period: PERIOD,
                start: uint48(_now()),
                end: uint48(_now() + DURATION),
                salt: 0
            });
    }

    function _permissionDomainSeparator(address verifyingContract, uint256 chainId) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    EIP712_DOMAIN_TYPEHASH,
                    keccak256("Pier SpendPermissions"),
                    keccak256("1"),
                    chainId,
                    verifyingContract
                )
            );
    }

    /// @dev EIP-712 digest of `p` for a SpendPermissions at `verifyingContract` on `chainId`, computed field by field.
    function _permissionDigest(
        ISpendPermissions.SpendPermission memory p,
        address verifyingContract,
        uint256 chainId
    ) internal pure returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                SPEND_PERMISSION_TYPEHASH,
                p.account,
                p.operator,
                p.merchant,
                p.token,
                p.allowance,
                p.period,
                p.start,
                p.end,
                p.salt
            )
        );
        return
            keccak256(abi.encodePacked("\x19\x01", _permissionDomainSeparator(verifyingContract, chainId), structHash));
    }

    function _permissionDigest(ISpendPermissions.SpendPermission memory p) internal view returns (bytes32) {
        return _permissionDigest(p, address(permissions), block.chainid);
    }

    /// @dev `p` signed by `key` for `permissions` on the current chain.
    function _signPermission(
        uint256 key,
        ISpendPermissions.SpendPermission memory p
    ) internal view returns (bytes memory) {
        return _sign(key, _permissionDigest(p));
    }

    // ------------------------------------------------------------------------------------------------
    // Approving and charging
    // ------------------------------------------------------------------------------------------------

    function _allowSpending(address account, address token) internal {
        vm.prank(account);
        IERC20(token).approve(address(permissions), type(uint256).max);
    }

    /// @dev The token allowance and the permission, both by the account's own calls.
    function _approveAsAccount(ISpendPermissions.SpendPermission memory p) internal {
        _allowSpending(p.account, p.token);
        vm.prank(p.account);
        permissions.approve(p);
    }

    /// @dev Fresh terms (a new order id each call) for `amount` of tUSDC with a 2% fee.
    function _chargeTerms(uint256 amount) internal returns (IPaymentEscrow.PaymentTerms memory) {
        return _chargeTerms(address(usdc), amount);
    }

    function _chargeTerms(address token, uint256 amount) internal returns (IPaymentEscrow.PaymentTerms memory) {
        ++orderCount;
        return _terms(keccak256(abi.encode("sub", orderCount)), token, amount, (amount * 2) / 100);
    }

    /// @dev Charges `terms` under `p` as its operator (signing the terms), returning the escrow's record.
    function _charge(
        ISpendPermissions.SpendPermission memory p,
        bytes memory permissionSignature,
        IPaymentEscrow.PaymentTerms memory terms
    ) internal returns (IPaymentEscrow.Payment memory) {
        bytes memory operatorSignature = _signTerms(terms);
        vm.prank(p.operator);
        permissions.charge(p, permissionSignature, terms, operatorSignature);
        return _chargeRecord(p, terms);
    }

    /// @dev Charges `amount` of `p.token` under an approved `p`.
    function _charge(
        ISpendPermissions.SpendPermission memory p,
        uint256 amount
    ) internal returns (IPaymentEscrow.Payment memory) {
        return _charge(p, "", _chargeTerms(p.token, amount));
    }

    /// @dev The escrow's record of a charge made now: paid by the contract, refunds to the account.
    function _chargeRecord(
        ISpendPermissions.SpendPermission memory p,
        IPaymentEscrow.PaymentTerms memory terms
    ) internal view returns (IPaymentEscrow.Payment memory) {
        return _record(terms, address(permissions), p.account, _now() + terms.escrowPeriod);
    }

    /// @dev Expects `charge` of `terms` under `p` as the operator to revert with `err`, and checks nothing moved.
    function _expectChargeReverts(
        ISpendPermissions.SpendPermission memory p,
        bytes memory permissionSignature,
        IPaymentEscrow.PaymentTerms memory terms,
        bytes memory err
    ) internal {
        bytes memory operatorSignature = _signTerms(terms);
        bytes32 hash = _permissionDigest(p);
        ISpendPermissions.PermissionState memory before = permissions.permissionState(hash);
        uint256 accountBalance = _balance(p.token, p.account);
        vm.prank(p.operator);
        vm.expectRevert(err);
        permissions.charge(p, permissionSignature, terms, operatorSignature);
        ISpendPermissions.PermissionState memory afterwards = permissions.permissionState(hash);
        assertEq(afterwards.spent, before.spent, "spent unchanged");
        assertEq(afterwards.approved, before.approved, "approval unchanged");
        assertEq(_balance(p.token, p.account), accountBalance, "account balance unchanged");
        assertEq(escrow.paymentState(escrow.paymentIdOf(terms.operator, terms.orderId)).recordHash, bytes32(0));
    }

    function _warpToPeriod(ISpendPermissions.SpendPermission memory p, uint256 k) internal {
        vm.warp(uint256(p.start) + k * p.period);
    }
}
