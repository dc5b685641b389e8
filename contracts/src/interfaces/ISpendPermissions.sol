// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "./IPaymentEscrow.sol";

/// @title ISpendPermissions
/// @notice Recurring payments (subscriptions) into the {IPaymentEscrow}: a payer signs once a bounded permission for a
///         merchant's plan (at most `allowance` of `token` per `period`, from `start` until `end`), and each charge
///         under it is an ordinary escrowed order, with the escrow's buyer protection, refunds and disputes. The payer
///         can revoke the permission at any time with one call, without Pier.
/// @dev A permission is EIP-712 typed data (`SpendPermission`, domain "Pier SpendPermissions" version "1") signed by
///      `account`, the payer. Its id is its EIP-712 digest ({permissionHash}), unique per chain and contract, so the
///      same signed bytes can never be replayed elsewhere. Periods are `[start + k * period, start + (k+1) * period)`,
///      cut short by `end`; the sum charged in one period is capped at `allowance` on chain.
///
///      Who may charge: only `operator` itself (`msg.sender == operator`). The operator's signed `PaymentTerms` name
///      no payer (a checkout's terms are payable by whoever opens the link), so if anyone could submit a charge,
///      anyone holding some order's terms for the same merchant, token and operator could make another subscriber
///      pay for that order. Requiring the operator as sender binds each charge to the one party the payer trusted.
///
///      Tokens: the payer approves this contract on the token (an ERC-20 allowance, as large as they like: no path
///      pulls more than a permission allows, and only from the permission's own account). Each charge pulls exactly
///      `terms.amount` here, approves the escrow for exactly that and pays through {IPaymentEscrow-payOnBehalf} with
///      refunds to the payer. In the escrow's record `payer` is this contract and `refundTo` the payer's account, so
///      the escrow's payer-only {IPaymentEscrow-dispute} goes through {dispute} here.
interface ISpendPermissions {
    /// @notice What the payer signs (EIP-712 type `SpendPermission`).
    struct SpendPermission {
        /// The payer: whose tokens are charged and who receives refunds. EOA or smart-contract wallet.
        address account;
        /// The Pier operator whose signed `PaymentTerms` may charge this permission; the only allowed caller of
        /// {charge}.
        address operator;
        /// The merchant every charge must pay (`terms.merchant`).
        address merchant;
        /// The ERC-20 token every charge must be in (`terms.token`).
        address token;
        /// Most that may be charged in one period, in token units.
        uint160 allowance;
        /// Length of a period in seconds.
        uint48 period;
        /// Unix time of the first period's start (inclusive).
        uint48 start;
        /// Unix time from which nothing can be charged (exclusive).
        uint48 end;
        /// Any value making otherwise equal permissions distinct (a new plan after a revocation, a second seat).
        uint256 salt;
    }

    /// @notice A permission's mutable state, one storage slot.
    struct PermissionState {
        /// The account approved it (by call or signature).
        bool approved;
        /// The account revoked it; permanent.
        bool revoked;
        /// Index of the period `spent` belongs to.
        uint48 periodIndex;
        /// Charged so far in period `periodIndex`.
        uint160 spent;
    }

    // ------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------

    /// @notice `account` approved a permission; carries every field, so an indexer never reads the contract.
    event SpendPermissionApproved(
        bytes32 indexed permissionHash,
        address indexed account,
        address indexed operator,
        address merchant,
        address token,
        uint160 allowance,
        uint48 period,
        uint48 start,
        uint48 end,
        uint256 salt
    );

    /// @notice `account` revoked a permission: it can never be charged or approved again.
    event SpendPermissionRevoked(bytes32 indexed permissionHash, address indexed account);

    /// @notice A charge under a permission entered the escrow as payment `paymentId`.
    /// @param periodIndex The period charged (`(block.timestamp - start) / period`).
    /// @param spentInPeriod Charged in that period so far, this charge included.
    event SpendPermissionCharged(
        bytes32 indexed permissionHash,
        address indexed account,
        bytes32 indexed paymentId,
        uint256 periodIndex,
        uint256 amount,
        uint256 spentInPeriod
    );

    /// @notice `account` disputed, through this contract, the escrowed charge `paymentId`.
    event ChargeDisputed(bytes32 indexed paymentId, address indexed account);

    // ------------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------------

    /// @notice Zero address where one is required (the escrow, or a permission's account, operator, merchant, token).
    error ZeroAddress();
    /// @notice The permission allows nothing per period.
    error ZeroAllowance();
    /// @notice The permission's period is zero seconds long.
    error ZeroPeriod();
    /// @notice The permission ends at or before it starts.
    error InvalidWindow(uint48 start, uint48 end);
    /// @notice The signature is not `account`'s signature of the permission on this chain and contract.
    error InvalidPermissionSignature(address account);
    /// @notice The caller may not do this (not the permission's account, its operator, or the charge's payer).
    error Unauthorized(address caller);
    /// @notice The permission was revoked.
    error PermissionRevoked(bytes32 permissionHash);
    /// @notice The permission is not approved and the charge carries no signature to approve it with.
    error PermissionNotApproved(bytes32 permissionHash);
    /// @notice The permission's first period has not begun: `block.timestamp < start`.
    error PermissionNotStarted(uint48 start, uint256 nowTime);
    /// @notice The permission has ended: `block.timestamp >= end`.
    error PermissionExpired(uint48 end, uint256 nowTime);
    /// @notice The terms' operator is not the permission's.
    error OperatorMismatch(address expected, address actual);
    /// @notice The terms' merchant is not the permission's.
    error MerchantMismatch(address expected, address actual);
    /// @notice The terms' token is not the permission's.
    error TokenMismatch(address expected, address actual);
    /// @notice The terms have no buyer-protection window (escrow period 0): a charge under a permission must stay
    ///         refundable and disputable in the escrow.
    error NoBuyerProtection();
    /// @notice The charge is more than what remains of this period's allowance.
    error AllowanceExceeded(uint256 amount, uint256 remaining);
    /// @notice The token delivered a different amount than requested (fee-on-transfer, rebasing...).
    error TokenTransferMismatch(uint256 expected, uint256 received);
    /// @notice The payment was not paid by this contract, so it is not a charge under a permission.
    error NotAPermissionCharge(address payer);

    // ------------------------------------------------------------------------------------------------
    // Operations
    // ------------------------------------------------------------------------------------------------

    /// @notice Approve `permission` with its account's EIP-712 signature; anyone may submit. The signature may be an
    ///         EOA's, a deployed contract wallet's (ERC-1271) or an undeployed wallet's wrapped in ERC-6492, which
    ///         deploys the wallet first (through {counterfactualDeployer}, never by this contract). A no-op when
    ///         already approved.
    function approveWithSignature(SpendPermission calldata permission, bytes calldata signature) external;

    /// @notice Approve `permission` as its account (`msg.sender == account`). A no-op when already approved.
    function approve(SpendPermission calldata permission) external;

    /// @notice Revoke `permission` as its account, whether approved yet or not (a signature given at checkout can be
    ///         revoked before anyone submits it). Permanent: the same permission can never be approved again; a new
    ///         `salt` makes a new one.
    function revoke(SpendPermission calldata permission) external;

    /// @notice Charge `terms` under `permission` into the escrow. Only `permission.operator` may call. When the
    ///         permission is not approved yet and `permissionSignature` is not empty, approves it with that signature
    ///         first, so the first charge is one transaction. Requires `start <= block.timestamp < end`, the terms'
    ///         operator, merchant and token equal to the permission's, an escrow period above zero, and at most the
    ///         rest of this period's allowance. Pulls `terms.amount` from the account (which must have approved this
    ///         contract on the token) and pays it with {IPaymentEscrow-payOnBehalf}, refunds to the account; the escrow
    ///         checks the operator's signature, the deadline and that the order is paid once.
    /// @param permissionSignature The account's signature of the permission, or empty once it is approved.
    /// @param operatorSignature The operator's EIP-712 signature of `terms` for the escrow.
    /// @return paymentId The escrow's id of the payment: keccak256(abi.encode(terms.operator, terms.orderId)).
    function charge(
        SpendPermission calldata permission,
        bytes calldata permissionSignature,
        IPaymentEscrow.PaymentTerms calldata terms,
        bytes calldata operatorSignature
    ) external returns (bytes32 paymentId);

    /// @notice Dispute a charge in the escrow, as the account it was charged from (`msg.sender == payment.refundTo`).
    ///         The escrow lets only a payment's `payer` dispute, and for charges that is this contract. The escrow's
    ///         rules apply: open payment, before `releaseAfter`, not already disputed.
    function dispute(IPaymentEscrow.Payment calldata payment) external;

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @notice The escrow every charge is paid into.
    function escrow() external view returns (IPaymentEscrow);

    /// @notice The escrow's deployer of ERC-6492 counterfactual wallets, which this contract uses too.
    function counterfactualDeployer() external view returns (address);

    /// @notice The permission's id: its EIP-712 digest under this contract's domain, what the account signs.
    function permissionHash(SpendPermission calldata permission) external view returns (bytes32);

    /// @notice The stored state of the permission `hash`.
    function permissionState(bytes32 hash) external view returns (PermissionState memory);

    /// @notice True when `permission` is approved, not revoked and `start <= block.timestamp < end`.
    function isValid(SpendPermission calldata permission) external view returns (bool);

    /// @notice The current period's bounds (`end` cut to the permission's end) and what was charged in it. Reverts
    ///         outside `[start, end)`, with the error {charge} would give.
    function currentPeriod(
        SpendPermission calldata permission
    ) external view returns (uint48 start, uint48 end, uint160 spent);

    /// @notice What a charge could take now: the rest of this period's allowance, or zero when revoked or outside
    ///         `[start, end)`. Does not require approval (the first charge may carry the signature).
    function remainingInPeriod(SpendPermission calldata permission) external view returns (uint256);
}
