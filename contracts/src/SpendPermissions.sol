// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {CounterfactualDeployer} from "./CounterfactualDeployer.sol";
import {IPaymentEscrow} from "./interfaces/IPaymentEscrow.sol";
import {ISpendPermissions} from "./interfaces/ISpendPermissions.sol";

/// @title SpendPermissions
/// @notice Subscriptions for Pier: payer-signed, per-period capped permissions whose charges are paid into the
///         {PaymentEscrow} like any order. See {ISpendPermissions} for every operation, event and error.
/// @dev One storage slot per permission ({PermissionState}): approval, revocation and the current period's spend,
///      so a recurring charge reads and writes it once. Every external state-changing function is `nonReentrant`
///      and follows validate -> write state -> emit -> move tokens. This contract keeps no tokens between
///      transactions, but payers' allowances point at it: it pulls only from a permission's own account, within
///      that permission's cap, and never calls a contract a signature names (ERC-6492 factories are called by the
///      escrow's {CounterfactualDeployer}, which no one has approved).
contract SpendPermissions is ISpendPermissions, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice EIP-712 type hash of `SpendPermission` (mirrored in contracts/lib/spendPermission.ts).
    bytes32 public constant SPEND_PERMISSION_TYPEHASH = keccak256(
        "SpendPermission(address account,address operator,address merchant,address token,uint160 allowance,"
        "uint48 period,uint48 start,uint48 end,uint256 salt)"
    );

    /// @dev ERC-6492's magic suffix, as in the escrow.
    bytes32 private constant ERC6492_SUFFIX = 0x6492649264926492649264926492649264926492649264926492649264926492;

    /// @inheritdoc ISpendPermissions
    IPaymentEscrow public immutable escrow;

    /// @inheritdoc ISpendPermissions
    address public immutable counterfactualDeployer;

    mapping(bytes32 permissionHash => PermissionState) private _states;

    /// @param escrow_ The PaymentEscrow every charge is paid into.
    constructor(IPaymentEscrow escrow_) EIP712("Pier SpendPermissions", "1") {
        if (address(escrow_) == address(0)) revert ZeroAddress();
        escrow = escrow_;
        // The escrow's deployer holds nothing and has no allowances, so calling any factory through it is harmless.
        counterfactualDeployer = escrow_.counterfactualDeployer();
    }

    // ------------------------------------------------------------------------------------------------
    // Approving and revoking
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ISpendPermissions
    function approveWithSignature(SpendPermission calldata permission, bytes calldata signature) external nonReentrant {
        bytes32 hash = _permissionHash(permission);
        PermissionState memory state = _states[hash];
        if (state.revoked) revert PermissionRevoked(hash);
        if (state.approved) return;
        _checkFields(permission);
        _checkSignature(permission.account, hash, signature);

        _states[hash].approved = true;
        _emitApproved(hash, permission);
    }

    /// @inheritdoc ISpendPermissions
    function approve(SpendPermission calldata permission) external nonReentrant {
        if (msg.sender != permission.account) revert Unauthorized(msg.sender);
        bytes32 hash = _permissionHash(permission);
        PermissionState memory state = _states[hash];
        if (state.revoked) revert PermissionRevoked(hash);
        if (state.approved) return;
        _checkFields(permission);

        _states[hash].approved = true;
        _emitApproved(hash, permission);
    }

    /// @inheritdoc ISpendPermissions
    function revoke(SpendPermission calldata permission) external nonReentrant {
        if (msg.sender != permission.account) revert Unauthorized(msg.sender);
        bytes32 hash = _permissionHash(permission);
        if (_states[hash].revoked) revert PermissionRevoked(hash);

        _states[hash].revoked = true;
        emit SpendPermissionRevoked(hash, msg.sender);
    }

    // ------------------------------------------------------------------------------------------------
    // Charging and disputing
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ISpendPermissions
    function charge(
        SpendPermission calldata permission,
        bytes calldata permissionSignature,
        IPaymentEscrow.PaymentTerms calldata terms,
        bytes calldata operatorSignature
    ) external nonReentrant returns (bytes32 paymentId) {
        if (msg.sender != permission.operator) revert Unauthorized(msg.sender);
        paymentId = _recordCharge(permission, permissionSignature, terms);
        _collectAndPay(permission, terms, operatorSignature);
    }

    /// @inheritdoc ISpendPermissions
    function dispute(IPaymentEscrow.Payment calldata payment) external nonReentrant {
        if (payment.payer != address(this)) revert NotAPermissionCharge(payment.payer);
        // The escrow checks `payment` against its stored record, so `refundTo` is the account that was charged.
        if (msg.sender != payment.refundTo) revert Unauthorized(msg.sender);

        emit ChargeDisputed(keccak256(abi.encode(payment.terms.operator, payment.terms.orderId)), msg.sender);
        escrow.dispute(payment);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ISpendPermissions
    function permissionHash(SpendPermission calldata permission) external view returns (bytes32) {
        return _permissionHash(permission);
    }

    /// @inheritdoc ISpendPermissions
    function permissionState(bytes32 hash) external view returns (PermissionState memory) {
        return _states[hash];
    }

    /// @inheritdoc ISpendPermissions
    function isValid(SpendPermission calldata permission) external view returns (bool) {
        PermissionState memory state = _states[_permissionHash(permission)];
        return state.approved && !state.revoked && _isActive(permission);
    }

    /// @inheritdoc ISpendPermissions
    function currentPeriod(
        SpendPermission calldata permission
    ) external view returns (uint48 start, uint48 end, uint160 spent) {
        // Charges never see a zero period (it cannot be approved), but this view takes any permission.
        if (permission.period == 0) revert ZeroPeriod();
        uint48 periodIndex = _periodIndex(permission);
        uint256 periodStart = uint256(permission.start) + uint256(periodIndex) * permission.period;
        uint256 periodEnd = periodStart + permission.period;
        // Cannot truncate: periodStart <= block.timestamp < end, and periodEnd is capped at end, both uint48.
        start = uint48(periodStart);
        end = periodEnd < permission.end ? uint48(periodEnd) : permission.end;
        PermissionState memory state = _states[_permissionHash(permission)];
        spent = state.periodIndex == periodIndex ? state.spent : 0;
    }

    /// @inheritdoc ISpendPermissions
    function remainingInPeriod(SpendPermission calldata permission) external view returns (uint256) {
        PermissionState memory state = _states[_permissionHash(permission)];
        if (state.revoked || !_isActive(permission)) return 0;
        uint48 periodIndex = _periodIndex(permission);
        uint256 spent = state.periodIndex == periodIndex ? state.spent : 0;
        return permission.allowance - spent;
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    /// @dev The validate, write and emit steps of {charge}: approves with `permissionSignature` when needed, checks the
    ///      window, the terms and the cap, and records the spend in one write.
    function _recordCharge(
        SpendPermission calldata permission,
        bytes calldata permissionSignature,
        IPaymentEscrow.PaymentTerms calldata terms
    ) private returns (bytes32 paymentId) {
        bytes32 hash = _permissionHash(permission);
        PermissionState memory state = _states[hash];
        if (state.revoked) revert PermissionRevoked(hash);
        bool approving = !state.approved;
        if (approving) {
            if (permissionSignature.length == 0) revert PermissionNotApproved(hash);
            _checkFields(permission);
            _checkSignature(permission.account, hash, permissionSignature);
        }
        uint48 periodIndex = _periodIndex(permission);
        if (terms.operator != permission.operator) revert OperatorMismatch(permission.operator, terms.operator);
        if (terms.merchant != permission.merchant) revert MerchantMismatch(permission.merchant, terms.merchant);
        if (terms.token != permission.token) revert TokenMismatch(permission.token, terms.token);
        if (terms.escrowPeriod == 0) revert NoBuyerProtection();
        uint256 amount = terms.amount;
        // A new period starts from zero; the stored spend belongs to an earlier one.
        uint256 spent = state.periodIndex == periodIndex ? state.spent : 0;
        uint256 left = permission.allowance - spent;
        if (amount > left) revert AllowanceExceeded(amount, left);
        spent += amount;

        // Cannot truncate: spent <= allowance, a uint160.
        _states[hash] = PermissionState({
            approved: true,
            revoked: false,
            periodIndex: periodIndex,
            spent: uint160(spent)
        });
        if (approving) _emitApproved(hash, permission);
        // The escrow's id, computed as it does, so the event precedes the token moves.
        paymentId = keccak256(abi.encode(terms.operator, terms.orderId));
        emit SpendPermissionCharged(hash, permission.account, paymentId, periodIndex, amount, spent);
    }

    /// @dev The token moves of {charge}: pulls exactly `terms.amount` from the account, then pays it into the escrow
    ///      with refunds to the account.
    function _collectAndPay(
        SpendPermission calldata permission,
        IPaymentEscrow.PaymentTerms calldata terms,
        bytes calldata operatorSignature
    ) private {
        IERC20 token = IERC20(permission.token);
        uint256 amount = terms.amount;
        uint256 balanceBefore = token.balanceOf(address(this));
        token.safeTransferFrom(permission.account, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - balanceBefore;
        if (received != amount) revert TokenTransferMismatch(amount, received);
        // Exactly this charge: the escrow pulls it all, leaving no allowance behind.
        token.forceApprove(address(escrow), amount);
        escrow.payOnBehalf(terms, operatorSignature, permission.account);
    }

    function _permissionHash(SpendPermission calldata permission) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SPEND_PERMISSION_TYPEHASH, permission)));
    }

    /// @dev The index of the period `block.timestamp` falls in, reverting outside `[start, end)`. A permission with a
    ///      zero period never gets here: it cannot be approved.
    function _periodIndex(SpendPermission calldata permission) private view returns (uint48) {
        if (block.timestamp < permission.start) revert PermissionNotStarted(permission.start, block.timestamp);
        if (block.timestamp >= permission.end) revert PermissionExpired(permission.end, block.timestamp);
        // Cannot truncate: the quotient is below end - start, which fits in uint48.
        return uint48((block.timestamp - permission.start) / permission.period);
    }

    function _isActive(SpendPermission calldata permission) private view returns (bool) {
        return permission.period != 0 && block.timestamp >= permission.start && block.timestamp < permission.end;
    }

    function _checkFields(SpendPermission calldata permission) private pure {
        if (
            permission.account == address(0) ||
            permission.operator == address(0) ||
            permission.merchant == address(0) ||
            permission.token == address(0)
        ) revert ZeroAddress();
        if (permission.allowance == 0) revert ZeroAllowance();
        if (permission.period == 0) revert ZeroPeriod();
        if (permission.start >= permission.end) revert InvalidWindow(permission.start, permission.end);
    }

    /// @dev `signature` must be `account`'s signature of `hash`. Its key is tried first, then ERC-1271: a key that
    ///      signs for its own address is that address's authority even with delegated code (EIP-7702), as in the
    ///      escrow. An ERC-6492-wrapped signature is unwrapped, deploying `account` through the counterfactual
    ///      deployer if it has no code yet.
    function _checkSignature(address account, bytes32 hash, bytes calldata signature) private {
        bytes memory inner = signature;
        uint256 length = signature.length;
        if (length >= 32 && bytes32(signature[length - 32:]) == ERC6492_SUFFIX) {
            address factory;
            bytes memory factoryCalldata;
            (factory, factoryCalldata, inner) = abi.decode(signature[:length - 32], (address, bytes, bytes));
            if (account.code.length == 0) {
                CounterfactualDeployer(counterfactualDeployer).deploy(account, factory, factoryCalldata);
            }
        }
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, inner);
        if (err == ECDSA.RecoverError.NoError && recovered == account) return;
        if (!SignatureChecker.isValidERC1271SignatureNow(account, hash, inner)) {
            revert InvalidPermissionSignature(account);
        }
    }

    function _emitApproved(bytes32 hash, SpendPermission calldata permission) private {
        emit SpendPermissionApproved(
            hash,
            permission.account,
            permission.operator,
            permission.merchant,
            permission.token,
            permission.allowance,
            permission.period,
            permission.start,
            permission.end,
            permission.salt
        );
    }
}
