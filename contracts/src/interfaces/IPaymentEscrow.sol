// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @title IPaymentEscrow
/// @notice Holds stablecoin payments for merchant orders until the buyer-protection window ends, then
///         settles them to the merchant net of the platform fee. Refunds, payer disputes, operator
///         risk holds and arbiter resolution happen while funds are escrowed.
/// @dev Payment terms are EIP-712 typed data signed by an operator (Pier's API signer). A payment is
///      identified by `paymentId = keccak256(abi.encode(operator, orderId))`, so one operator can never
///      claim or block another operator's order ids. Storage holds only a hash of the immutable
///      payment record plus its mutable state; every later call passes the record back, and events
///      carry every field so an indexer never needs to call the contract.
interface IPaymentEscrow {
    /// @notice What the operator signs (EIP-712 type `PaymentTerms`).
    struct PaymentTerms {
        /// Pier's on-chain order id (derived from the API's `ord_...` id).
        bytes32 orderId;
        /// Where the merchant's proceeds go.
        address merchant;
        /// The ERC-20 settlement token.
        address token;
        /// Exact amount the payer must pay, in token units.
        uint256 amount;
        /// Platform fee taken from `amount` at release, in token units; at most `amount` and the fee cap.
        uint256 fee;
        /// Pay-before time (unix seconds): a payment must land in a block strictly before it
        /// (`block.timestamp < deadline`), the rule of ERC-3009's `validBefore`, so an authorization signed with
        /// `validBefore = deadline` and the terms expire together. An EIP-2612 permit with
        /// `permitDeadline = deadline` is valid through `deadline` itself, so it never expires first.
        uint256 deadline;
        /// Buyer-protection window in seconds, counted from the payment. Zero makes the payment a charge: it is
        /// settled to the merchant (and the fee recipient) in the paying transaction and closed at once, so it can
        /// never be refunded, disputed or released through the escrow.
        uint256 escrowPeriod;
        /// Signer of these terms; may refund, hold and release early.
        address operator;
    }

    /// @notice The immutable record of an escrowed payment, passed back to every later operation.
    struct Payment {
        PaymentTerms terms;
        /// Who paid (the allowance/permit sender, the ERC-3009 authorizer, or the treasury).
        address payer;
        /// Where refunds go: the payer, or the fiat bridge for treasury-funded payments.
        address refundTo;
        /// Unix time from which anyone may release.
        uint64 releaseAfter;
    }

    /// @notice How a payment was collected.
    enum PayMethod {
        Allowance,
        Permit,
        Authorization,
        OnBehalf,
        /// DAI's own permit ({payWithDaiPermit}); appended last so the earlier values keep their numbers.
        DaiPermit
    }

    /// @notice Mutable state of a payment while it is open.
    struct PaymentState {
        /// keccak256(abi.encode(Payment)) while open; CLOSED once released, refunded in full or resolved (and
        /// from the start for a charge, escrow period 0); zero if never paid.
        bytes32 recordHash;
        /// Total refunded so far (partial refunds).
        uint128 refunded;
        /// The payer opened a dispute; release waits for the arbiter.
        bool disputed;
        /// The operator placed a risk hold; release waits until it is lifted or resolved.
        bool held;
    }

    // ------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------

    /// @notice A payment entered escrow. For a charge (escrow period 0, `releaseAfter` = the block's time) it is
    ///         followed in the same transaction by its `PaymentReleased`.
    event PaymentEscrowed(
        bytes32 indexed paymentId,
        bytes32 indexed orderId,
        address indexed merchant,
        address operator,
        address payer,
        address refundTo,
        address token,
        uint256 amount,
        uint256 fee,
        uint64 releaseAfter,
        PayMethod method
    );

    /// @notice Escrowed funds went to the merchant (net of fee) and the fee recipient.
    /// @param early True when the merchant or operator released before `releaseAfter`.
    event PaymentReleased(
        bytes32 indexed paymentId,
        bytes32 indexed orderId,
        address indexed merchant,
        address token,
        uint256 merchantAmount,
        uint256 feeAmount,
        address feeRecipient,
        address caller,
        bool early
    );

    /// @notice Part or all of the remaining escrow went back to `refundTo`.
    /// @param totalRefunded Refunded so far, this refund included.
    /// @param closed True when nothing remains in escrow for this payment.
    event PaymentRefunded(
        bytes32 indexed paymentId,
        bytes32 indexed orderId,
        address indexed refundTo,
        address token,
        uint256 amount,
        uint256 totalRefunded,
        bool closed,
        address caller
    );

    /// @notice The payer disputed the payment; release is frozen until the arbiter resolves it.
    event PaymentDisputed(bytes32 indexed paymentId, bytes32 indexed orderId, address indexed payer);

    /// @notice The operator placed (`held` true) or lifted (`held` false) a risk hold.
    event PaymentHoldChanged(bytes32 indexed paymentId, bytes32 indexed orderId, address indexed operator, bool held);

    /// @notice The arbiter split the remaining escrow between the payer and the merchant.
    event DisputeResolved(
        bytes32 indexed paymentId,
        bytes32 indexed orderId,
        address indexed arbiter,
        address token,
        uint256 refundAmount,
        uint256 merchantAmount,
        uint256 feeAmount,
        address feeRecipient
    );

    /// @notice A transfer to `recipient` failed (e.g. token blacklist); the amount is credited for withdrawal.
    event PayoutCredited(bytes32 indexed paymentId, address indexed token, address indexed recipient, uint256 amount);

    /// @notice `recipient`'s credit was paid out to `recipient` itself (the only place it can go).
    /// @param caller Who triggered the withdrawal: the recipient, Pier's keeper or anyone else.
    event CreditWithdrawn(address indexed token, address indexed recipient, address indexed caller, uint256 amount);

    event ArbiterUpdated(address indexed previousArbiter, address indexed newArbiter);
    event FeeRecipientUpdated(address indexed previousRecipient, address indexed newRecipient);
    event MaxFeeBpsUpdated(uint16 previousBps, uint16 newBps);
    event PausedSet(bool paused);

    // ------------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------------

    /// @notice The operator's signature does not match the terms.
    error InvalidOperatorSignature(address operator);
    /// @notice The terms' pay-before deadline is reached: `block.timestamp >= deadline`.
    error DeadlinePassed(uint256 deadline, uint256 nowTime);
    /// @notice The order was already paid (or closed) under this operator.
    error AlreadyPaid(bytes32 paymentId);
    /// @notice New payments are paused by the owner.
    error PaymentsPaused();
    /// @notice The terms name no merchant (zero payout address).
    error ZeroMerchant();
    /// @notice The terms name no token (zero address).
    error ZeroToken();
    /// @notice The terms name no operator (zero address): nobody could have signed them.
    error ZeroOperator();
    /// @notice The terms ask for nothing (zero amount).
    error ZeroAmount();
    /// @notice The signed fee is larger than the amount it is taken from.
    error FeeAboveAmount(uint256 fee, uint256 amount);
    /// @notice The escrow period is so long that the release time would not fit in 64-bit unix time.
    /// @param max The longest escrow period accepted at this block (`type(uint64).max - block.timestamp`).
    error EscrowPeriodTooLong(uint256 escrowPeriod, uint256 max);
    /// @notice The signed fee is above the owner's cap for this amount.
    error FeeAboveCap(uint256 fee, uint256 maxFee);
    /// @notice Amount too large for the escrow's accounting (> type(uint128).max).
    error AmountTooLarge(uint256 amount);
    /// @notice The token delivered a different amount than requested (fee-on-transfer, rebasing...).
    error TokenTransferMismatch(uint256 expected, uint256 received);
    /// @notice ERC-3009 authorizations must use the terms digest as nonce, binding them to this order.
    error AuthorizationNonceMismatch(bytes32 expected, bytes32 got);
    /// @notice The payment record passed in does not match the stored one, or the payment is closed.
    error UnknownPayment(bytes32 paymentId);
    /// @notice The caller may not perform this operation on this payment.
    error Unauthorized(address caller);
    /// @notice The escrow period has not ended yet and the caller may not release early.
    error EscrowPeriodActive(uint64 releaseAfter);
    /// @notice The escrow period is over: the payer can no longer dispute.
    error DisputeWindowClosed(uint64 releaseAfter);
    /// @notice Release is frozen by a dispute or a hold.
    error PaymentFrozen(bytes32 paymentId, bool disputed, bool held);
    /// @notice The payment is already disputed.
    error AlreadyDisputed(bytes32 paymentId);
    /// @notice Hold state is already what was asked for.
    error HoldUnchanged(bytes32 paymentId, bool held);
    /// @notice Resolve needs a disputed or held payment.
    error NotFrozen(bytes32 paymentId);
    /// @notice Refund or split larger than what remains in escrow (or zero refund).
    error InvalidAmount(uint256 amount, uint256 remaining);
    /// @notice Zero address where one is required.
    error ZeroAddress();
    /// @notice Fee cap above 100%.
    error FeeCapTooHigh(uint16 bps);
    /// @notice `recipient` has no credit in `token`.
    error NothingToWithdraw(address token, address recipient);

    // ------------------------------------------------------------------------------------------------
    // Paying
    // ------------------------------------------------------------------------------------------------

    /// @notice Pay `terms` from the caller's allowance.
    /// @param operatorSignature The operator's EIP-712 signature of `terms` (EOA or ERC-1271).
    /// @return paymentId keccak256(abi.encode(terms.operator, terms.orderId)).
    function pay(PaymentTerms calldata terms, bytes calldata operatorSignature) external returns (bytes32 paymentId);

    /// @notice Pay `terms` from the caller with an EIP-2612 permit in the same transaction. A permit that
    ///         was already submitted by someone else (front-run) does not block the payment.
    function payWithPermit(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 paymentId);

    /// @notice Pay `terms` from the caller with a DAI-style permit (DAI's `permit(holder, spender, nonce, expiry,
    ///         allowed, v, r, s)`, not EIP-2612) in the same transaction. The permit must be signed by the caller with
    ///         this escrow as spender and `allowed = true`. A permit that was already submitted by someone else
    ///         (front-run) does not block the payment; a bad permit with no allowance in place reverts in the transfer.
    /// @dev DAI's permit has no amount: it grants this escrow an unlimited allowance over the caller's tokens, which
    ///      stays after the payment (the escrow collects exactly `terms.amount`). That is safe here because no path of
    ///      the escrow ever pulls tokens from anyone but `msg.sender` (`pay`, `payWithPermit`, `payWithDaiPermit`,
    ///      `payOnBehalf`) or an ERC-3009 signer by that signer's own authorization (`payWithAuthorization`): nobody
    ///      else can make the escrow spend the payer's leftover allowance, and the payer spends it only by paying
    ///      terms an operator signed. A payer who wants it gone signs `allowed = false` or approves zero.
    /// @param nonce The caller's current DAI permit nonce (`nonces(msg.sender)` at the token).
    /// @param expiry Last second the permit is valid (inclusive), or 0 for never.
    function payWithDaiPermit(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        uint256 nonce,
        uint256 expiry,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 paymentId);

    /// @notice Pay `terms` with an ERC-3009 `receiveWithAuthorization` signed by `payer`; anyone (a relayer)
    ///         may submit. The authorization nonce must equal `termsDigest(terms)`.
    function payWithAuthorization(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 paymentId);

    /// @notice {payWithPermit} with the permit signature as `bytes`, for payers that are smart-contract wallets: a
    ///         65-byte signature from an account without code goes to the token's `(v, r, s)` permit, anything else
    ///         to its `bytes` permit (USDC v2.2), which checks a contract account with ERC-1271. An ERC-6492-wrapped
    ///         signature is unwrapped first (the caller has code by the time it calls, so nothing is deployed).
    function payWithPermit(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        uint256 permitDeadline,
        bytes calldata permitSignature
    ) external returns (bytes32 paymentId);

    /// @notice {payWithAuthorization} with the authorization signature as `bytes`, for payers that are smart-contract
    ///         wallets, deployed or not: an ERC-6492-wrapped signature from a payer without code deploys it first
    ///         through its factory (by {counterfactualDeployer}, never by the escrow itself), then the token checks
    ///         the inner signature with ERC-1271. A 65-byte signature from an account without code goes to the token's
    ///         `(v, r, s)` variant, anything else to its `bytes` variant. Same guarantees: exact amount, once, before
    ///         the deadline, nonce = `termsDigest(terms)`.
    function payWithAuthorization(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        bytes calldata signature
    ) external returns (bytes32 paymentId);

    /// @notice Pay `terms` from the caller's allowance on behalf of a customer (the fiat bridge's treasury);
    ///         refunds go to `refundTo`.
    function payOnBehalf(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        address refundTo
    ) external returns (bytes32 paymentId);

    // ------------------------------------------------------------------------------------------------
    // Settling
    // ------------------------------------------------------------------------------------------------

    /// @notice Release the remaining escrow to the merchant (net of fee) and the fee recipient. Anyone may
    ///         call after `releaseAfter`; the merchant or the operator may call earlier.
    function release(Payment calldata payment) external;

    /// @notice Release many payments in one transaction. Payments that cannot be released right now
    ///         (not matured, frozen, closed, wrong record) are skipped, not reverted.
    /// @return released How many were released.
    function releaseBatch(Payment[] calldata payments) external returns (uint256 released);

    /// @notice Refund `amount` of the remaining escrow to `refundTo`. Merchant or operator only.
    function refund(Payment calldata payment, uint256 amount) external;

    /// @notice The payer disputes before `releaseAfter`; release is frozen until the arbiter resolves.
    function dispute(Payment calldata payment) external;

    /// @notice The operator places or lifts a risk hold. A held payment cannot be released.
    function setHold(Payment calldata payment, bool held) external;

    /// @notice The arbiter splits the remaining escrow of a disputed or held payment: `refundAmount` to
    ///         `refundTo`, the rest to the merchant net of the proportional fee.
    function resolve(Payment calldata payment, uint256 refundAmount) external;

    /// @notice Pay `recipient`'s credit in `token` (payouts its token refused, e.g. while the issuer had it
    ///         blacklisted or the token paused) to `recipient` itself, and only to it: the escrow never helps a
    ///         frozen party move funds elsewhere. Anyone may trigger it (the recipient, or Pier's keeper sweeping
    ///         credits once an issuer lifts a freeze or a pause). While the token still refuses the transfer the
    ///         call reverts and the credit stays.
    function withdraw(address token, address recipient) external;

    // ------------------------------------------------------------------------------------------------
    // Admin (owner, two-step transfer)
    // ------------------------------------------------------------------------------------------------

    function setArbiter(address arbiter) external;
    function setFeeRecipient(address feeRecipient) external;
    function setMaxFeeBps(uint16 bps) external;
    /// @notice Pause or resume new payments. Release, refund, dispute and resolution keep working.
    function setPaused(bool paused) external;

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @notice The contract that deploys ERC-6492 counterfactual payers (created by this escrow's constructor).
    function counterfactualDeployer() external view returns (address);

    /// @notice EIP-712 digest of `terms` under this contract's domain (what the operator signs).
    function termsDigest(PaymentTerms calldata terms) external view returns (bytes32);
    function paymentIdOf(address operator, bytes32 orderId) external pure returns (bytes32);
    function paymentState(bytes32 paymentId) external view returns (PaymentState memory);
    /// @notice Amount still escrowed for an open payment (0 when closed or unknown record).
    function remaining(Payment calldata payment) external view returns (uint256);
    function credits(address token, address recipient) external view returns (uint256);
    function arbiter() external view returns (address);
    function feeRecipient() external view returns (address);
    function maxFeeBps() external view returns (uint16);
    function paused() external view returns (bool);
}
