// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC3009} from "@openzeppelin/contracts/interfaces/draft-IERC3009.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {CounterfactualDeployer} from "./CounterfactualDeployer.sol";
import {IDaiPermit} from "./interfaces/IDaiPermit.sol";
import {IERC20PermitBytes, IERC3009Bytes} from "./interfaces/ITokenBytesSignatures.sol";
import {IPaymentEscrow} from "./interfaces/IPaymentEscrow.sol";

/// @title PaymentEscrow
/// @notice Pier's escrow: accepts operator-signed payments for merchant orders, holds them through the
///         buyer-protection window and settles them to the merchant net of the platform fee. See
///         {IPaymentEscrow} for the behaviour of every operation, its events and its errors.
/// @dev Storage per payment is two slots (`PaymentState`). Paying writes only the record hash; every later
///      operation takes the full `Payment` record as calldata and checks it against that hash. Once a payment
///      is closed (released, refunded in full or resolved) its state becomes `{CLOSED, 0, false, false}`: the
///      totals live in the events, and the sentinel keeps the order id from ever being paid again.
///
///      Every external state-changing function is `nonReentrant` and follows validate -> write state -> emit ->
///      move tokens. The only state written after a token move is a credit for a payout that failed (see
///      {_payout}), which the reentrancy guard keeps safe.
contract PaymentEscrow is IPaymentEscrow, EIP712, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice EIP-712 type hash of `PaymentTerms` (mirrored in contracts/lib/terms.ts).
    bytes32 public constant PAYMENT_TERMS_TYPEHASH = keccak256(
        "PaymentTerms(bytes32 orderId,address merchant,address token,uint256 amount,uint256 fee,"
        "uint256 deadline,uint256 escrowPeriod,address operator)"
    );

    /// @notice `PaymentState.recordHash` of a closed payment (never a keccak256 output in practice).
    bytes32 public constant CLOSED = bytes32(uint256(1));

    /// @notice ERC-6492's magic suffix: a signature ending in it wraps (factory, factory calldata, signature) of a
    ///         wallet that may not be deployed yet.
    bytes32 private constant ERC6492_SUFFIX = 0x6492649264926492649264926492649264926492649264926492649264926492;

    /// @inheritdoc IPaymentEscrow
    address public immutable counterfactualDeployer;

    /// @notice 100% in basis points: the highest fee cap the owner can set.
    uint16 public constant MAX_BPS = 10_000;

    /// @dev Everything the pay and release paths read, packed in one slot so each reads it with one SLOAD.
    struct Config {
        address feeRecipient;
        uint16 maxFeeBps;
        bool paused;
    }

    Config private _config;

    /// @inheritdoc IPaymentEscrow
    address public arbiter;

    mapping(bytes32 paymentId => PaymentState) private _states;

    /// @inheritdoc IPaymentEscrow
    mapping(address token => mapping(address recipient => uint256 amount)) public credits;

    /// @param initialOwner Admin (two-step transfer); sets the arbiter, fee recipient, fee cap and pause.
    /// @param initialArbiter Resolves disputed and held payments.
    /// @param initialFeeRecipient Receives platform fees.
    /// @param initialMaxFeeBps Cap on a payment's signed fee, in basis points of its amount.
    constructor(
        address initialOwner,
        address initialArbiter,
        address initialFeeRecipient,
        uint16 initialMaxFeeBps
    ) EIP712("Pier PaymentEscrow", "1") Ownable(initialOwner) {
        counterfactualDeployer = address(new CounterfactualDeployer());
        _setArbiter(initialArbiter);
        _setFeeRecipient(initialFeeRecipient);
        _setMaxFeeBps(initialMaxFeeBps);
    }

    // ------------------------------------------------------------------------------------------------
    // Paying
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IPaymentEscrow
    function pay(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature
    ) external nonReentrant returns (bytes32 paymentId) {
        (paymentId, ) = _escrow(terms, operatorSignature, msg.sender, msg.sender, PayMethod.Allowance);
        _collectFrom(terms, msg.sender);
        _settleCharge(paymentId, terms);
    }

    /// @inheritdoc IPaymentEscrow
    /// @dev The permit must be signed by the caller for exactly `terms.amount`, with this escrow as spender.
    function payWithPermit(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (bytes32 paymentId) {
        (paymentId, ) = _escrow(terms, operatorSignature, msg.sender, msg.sender, PayMethod.Permit);
        // If someone already submitted this permit (front-running), it reverts here but the allowance it set is
        // in place; if the permit is bad and there is no allowance, the transfer below reverts instead.
        try
            IERC20Permit(terms.token).permit(msg.sender, address(this), terms.amount, permitDeadline, v, r, s)
        {} catch {}
        _collectFrom(terms, msg.sender);
        _settleCharge(paymentId, terms);
    }

    /// @inheritdoc IPaymentEscrow
    /// @dev The permit must be the caller's, for this escrow, with `allowed = true`. Its unlimited allowance is safe to
    ///      leave in place: every collection path pulls from `msg.sender` only (or from an ERC-3009 signer with its own
    ///      signature), so no one but the payer can make the escrow spend it.
    function payWithDaiPermit(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        uint256 nonce,
        uint256 expiry,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (bytes32 paymentId) {
        (paymentId, ) = _escrow(terms, operatorSignature, msg.sender, msg.sender, PayMethod.DaiPermit);
        // As in payWithPermit: a front-run permit reverts here but its allowance is in place; a bad permit with no
        // allowance makes the transfer below revert instead.
        try IDaiPermit(terms.token).permit(msg.sender, address(this), nonce, expiry, true, v, r, s) {} catch {}
        _collectFrom(terms, msg.sender);
        _settleCharge(paymentId, terms);
    }

    /// @inheritdoc IPaymentEscrow
    /// @dev The authorization's nonce is always `termsDigest(terms)`: this function takes no nonce, so an
    ///      authorization signed for one order cannot be used for another (the token rejects its signature).
    function payWithAuthorization(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (bytes32 paymentId) {
        if (payer == address(0)) revert ZeroAddress();
        bytes32 digest;
        (paymentId, digest) = _escrow(terms, operatorSignature, payer, payer, PayMethod.Authorization);
        IERC20 token = IERC20(terms.token);
        uint256 balanceBefore = token.balanceOf(address(this));
        _receiveWithAuthorization(terms, payer, validAfter, validBefore, digest, v, r, s);
        _checkReceived(token, terms.amount, balanceBefore);
        _settleCharge(paymentId, terms);
    }

    /// @inheritdoc IPaymentEscrow
    function payWithPermit(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        uint256 permitDeadline,
        bytes calldata permitSignature
    ) external nonReentrant returns (bytes32 paymentId) {
        (paymentId, ) = _escrow(terms, operatorSignature, msg.sender, msg.sender, PayMethod.Permit);
        bytes memory signature = _payerSignature(msg.sender, permitSignature);
        // As in the (v, r, s) variant: a front-run or bad permit is left to the transfer below to judge.
        if (_isPlainSignature(msg.sender, signature)) {
            (uint8 v, bytes32 r, bytes32 s) = _split(signature);
            try
                IERC20Permit(terms.token).permit(msg.sender, address(this), terms.amount, permitDeadline, v, r, s)
            {} catch {}
        } else {
            try
                IERC20PermitBytes(terms.token).permit(
                    msg.sender,
                    address(this),
                    terms.amount,
                    permitDeadline,
                    signature
                )
            {} catch {}
        }
        _collectFrom(terms, msg.sender);
        _settleCharge(paymentId, terms);
    }

    /// @inheritdoc IPaymentEscrow
    function payWithAuthorization(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        bytes calldata signature
    ) external nonReentrant returns (bytes32 paymentId) {
        if (payer == address(0)) revert ZeroAddress();
        bytes32 digest;
        (paymentId, digest) = _escrow(terms, operatorSignature, payer, payer, PayMethod.Authorization);
        bytes memory payerSignature = _payerSignature(payer, signature);
        IERC20 token = IERC20(terms.token);
        uint256 balanceBefore = token.balanceOf(address(this));
        _receiveWithSignature(terms, payer, validAfter, validBefore, digest, payerSignature);
        _checkReceived(token, terms.amount, balanceBefore);
        _settleCharge(paymentId, terms);
    }

    /// @inheritdoc IPaymentEscrow
    function payOnBehalf(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        address refundTo
    ) external nonReentrant returns (bytes32 paymentId) {
        if (refundTo == address(0)) revert ZeroAddress();
        (paymentId, ) = _escrow(terms, operatorSignature, msg.sender, refundTo, PayMethod.OnBehalf);
        _collectFrom(terms, msg.sender);
        _settleCharge(paymentId, terms);
    }

    // ------------------------------------------------------------------------------------------------
    // Settling
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IPaymentEscrow
    function release(Payment calldata payment) external nonReentrant {
        address feeRecipient_ = _config.feeRecipient;
        (, bytes32 paymentId, uint256 feeAmount) = _release(payment, feeRecipient_, true);
        _payout(paymentId, payment.terms.token, feeRecipient_, feeAmount);
    }

    /// @inheritdoc IPaymentEscrow
    /// @dev Fees are summed over each run of consecutive payments in the same token and sent to the fee
    ///      recipient in one transfer per run; if that transfer fails, the credit's `PayoutCredited` event carries
    ///      `paymentId` zero (each payment's own fee is in its `PaymentReleased` event). Order a batch by token to
    ///      save the most gas.
    function releaseBatch(Payment[] calldata payments) external nonReentrant returns (uint256 released) {
        address feeRecipient_ = _config.feeRecipient;
        address runToken;
        uint256 runFee;
        uint256 count = payments.length;
        for (uint256 i; i < count; ++i) {
            Payment calldata payment = payments[i];
            (bool ok, , uint256 feeAmount) = _release(payment, feeRecipient_, false);
            if (!ok) continue;
            ++released;
            address token = payment.terms.token;
            if (token != runToken) {
                _payout(bytes32(0), runToken, feeRecipient_, runFee);
                runToken = token;
                runFee = 0;
            }
            runFee += feeAmount;
        }
        _payout(bytes32(0), runToken, feeRecipient_, runFee);
    }

    /// @inheritdoc IPaymentEscrow
    function refund(Payment calldata payment, uint256 amount) external nonReentrant {
        (bytes32 paymentId, PaymentState memory state) = _open(payment);
        PaymentTerms calldata terms = payment.terms;
        if (msg.sender != terms.merchant && msg.sender != terms.operator) revert Unauthorized(msg.sender);
        uint256 remainingAmount = terms.amount - state.refunded;
        if (amount == 0 || amount > remainingAmount) revert InvalidAmount(amount, remainingAmount);

        uint256 totalRefunded = state.refunded + amount;
        bool closed = amount == remainingAmount;
        if (closed) {
            _close(paymentId, state);
        } else {
            // Cannot truncate: totalRefunded < terms.amount <= type(uint128).max.
            _states[paymentId].refunded = uint128(totalRefunded);
        }
        emit PaymentRefunded(
            paymentId,
            terms.orderId,
            payment.refundTo,
            terms.token,
            amount,
            totalRefunded,
            closed,
            msg.sender
        );
        _payout(paymentId, terms.token, payment.refundTo, amount);
    }

    /// @inheritdoc IPaymentEscrow
    function dispute(Payment calldata payment) external nonReentrant {
        (bytes32 paymentId, PaymentState memory state) = _open(payment);
        if (msg.sender != payment.payer) revert Unauthorized(msg.sender);
        if (block.timestamp >= payment.releaseAfter) revert DisputeWindowClosed(payment.releaseAfter);
        if (state.disputed) revert AlreadyDisputed(paymentId);

        _states[paymentId].disputed = true;
        emit PaymentDisputed(paymentId, payment.terms.orderId, msg.sender);
    }

    /// @inheritdoc IPaymentEscrow
    function setHold(Payment calldata payment, bool held) external nonReentrant {
        (bytes32 paymentId, PaymentState memory state) = _open(payment);
        if (msg.sender != payment.terms.operator) revert Unauthorized(msg.sender);
        if (state.held == held) revert HoldUnchanged(paymentId, held);

        _states[paymentId].held = held;
        emit PaymentHoldChanged(paymentId, payment.terms.orderId, msg.sender, held);
    }

    /// @inheritdoc IPaymentEscrow
    function resolve(Payment calldata payment, uint256 refundAmount) external nonReentrant {
        if (msg.sender != arbiter) revert Unauthorized(msg.sender);
        (bytes32 paymentId, PaymentState memory state) = _open(payment);
        if (!state.disputed && !state.held) revert NotFrozen(paymentId);
        PaymentTerms calldata terms = payment.terms;
        uint256 remainingAmount = terms.amount - state.refunded;
        if (refundAmount > remainingAmount) revert InvalidAmount(refundAmount, remainingAmount);

        (uint256 merchantAmount, uint256 feeAmount) = _split(terms, remainingAmount - refundAmount);
        address feeRecipient_ = _config.feeRecipient;
        _close(paymentId, state);
        emit DisputeResolved(
            paymentId,
            terms.orderId,
            msg.sender,
            terms.token,
            refundAmount,
            merchantAmount,
            feeAmount,
            feeRecipient_
        );
        _payout(paymentId, terms.token, payment.refundTo, refundAmount);
        _payout(paymentId, terms.token, terms.merchant, merchantAmount);
        _payout(paymentId, terms.token, feeRecipient_, feeAmount);
    }

    /// @inheritdoc IPaymentEscrow
    function withdraw(address token, address recipient) external nonReentrant {
        uint256 amount = credits[token][recipient];
        if (amount == 0) revert NothingToWithdraw(token, recipient);

        delete credits[token][recipient];
        emit CreditWithdrawn(token, recipient, msg.sender, amount);
        // Only ever to the credited account. Reverts (keeping the credit) while the token still refuses it.
        IERC20(token).safeTransfer(recipient, amount);
    }

    // ------------------------------------------------------------------------------------------------
    // Admin
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IPaymentEscrow
    function setArbiter(address newArbiter) external onlyOwner nonReentrant {
        _setArbiter(newArbiter);
    }

    /// @inheritdoc IPaymentEscrow
    function setFeeRecipient(address newFeeRecipient) external onlyOwner nonReentrant {
        _setFeeRecipient(newFeeRecipient);
    }

    /// @inheritdoc IPaymentEscrow
    function setMaxFeeBps(uint16 bps) external onlyOwner nonReentrant {
        _setMaxFeeBps(bps);
    }

    /// @inheritdoc IPaymentEscrow
    function setPaused(bool paused_) external onlyOwner nonReentrant {
        _config.paused = paused_;
        emit PausedSet(paused_);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IPaymentEscrow
    function termsDigest(PaymentTerms calldata terms) external view returns (bytes32) {
        return _termsDigest(terms);
    }

    /// @inheritdoc IPaymentEscrow
    function paymentIdOf(address operator, bytes32 orderId) external pure returns (bytes32) {
        return _paymentId(operator, orderId);
    }

    /// @inheritdoc IPaymentEscrow
    function paymentState(bytes32 paymentId) external view returns (PaymentState memory) {
        return _states[paymentId];
    }

    /// @inheritdoc IPaymentEscrow
    function remaining(Payment calldata payment) external view returns (uint256) {
        PaymentState memory state = _states[_paymentId(payment.terms.operator, payment.terms.orderId)];
        if (state.recordHash != _recordHash(payment)) return 0;
        return payment.terms.amount - state.refunded;
    }

    /// @inheritdoc IPaymentEscrow
    function feeRecipient() external view returns (address) {
        return _config.feeRecipient;
    }

    /// @inheritdoc IPaymentEscrow
    function maxFeeBps() external view returns (uint16) {
        return _config.maxFeeBps;
    }

    /// @inheritdoc IPaymentEscrow
    function paused() external view returns (bool) {
        return _config.paused;
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    /// @dev Validates new terms and their signature, stores the record hash and emits `PaymentEscrowed`. The
    ///      caller then collects the tokens.
    function _escrow(
        PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        address payer,
        address refundTo,
        PayMethod method
    ) private returns (bytes32 paymentId, bytes32 digest) {
        Config memory config = _config;
        if (config.paused) revert PaymentsPaused();
        // Strictly before, as ERC-3009's `validBefore`: see {PaymentTerms-deadline}.
        if (block.timestamp >= terms.deadline) revert DeadlinePassed(terms.deadline, block.timestamp);
        uint256 amount = terms.amount;
        if (terms.merchant == address(0)) revert ZeroMerchant();
        if (terms.token == address(0)) revert ZeroToken();
        if (terms.operator == address(0)) revert ZeroOperator();
        if (amount == 0) revert ZeroAmount();
        if (terms.fee > amount) revert FeeAboveAmount(terms.fee, amount);
        // releaseAfter must fit in uint64
        uint256 maxEscrowPeriod = type(uint64).max - block.timestamp;
        if (terms.escrowPeriod > maxEscrowPeriod) revert EscrowPeriodTooLong(terms.escrowPeriod, maxEscrowPeriod);
        if (amount > type(uint128).max) revert AmountTooLarge(amount);
        uint256 maxFee = (amount * config.maxFeeBps) / MAX_BPS;
        if (terms.fee > maxFee) revert FeeAboveCap(terms.fee, maxFee);
        paymentId = _paymentId(terms.operator, terms.orderId);
        if (_states[paymentId].recordHash != 0) revert AlreadyPaid(paymentId);
        digest = _termsDigest(terms);
        if (!_isOperatorSignature(terms.operator, digest, operatorSignature)) {
            revert InvalidOperatorSignature(terms.operator);
        }

        // Cannot truncate: checked against type(uint64).max above.
        uint64 releaseAfter = uint64(block.timestamp + terms.escrowPeriod);
        if (terms.escrowPeriod == 0) {
            // A charge: nothing to protect, so the payment is settled in this transaction and closed at once. The
            // sentinel still keeps the order id from being paid twice.
            _states[paymentId].recordHash = CLOSED;
            _emitEscrowed(paymentId, terms, payer, refundTo, releaseAfter, method);
            _emitCharged(paymentId, terms, config.feeRecipient);
        } else {
            // Same bytes as abi.encode(Payment(terms, payer, refundTo, releaseAfter)): see {_recordHash}.
            _states[paymentId].recordHash = keccak256(abi.encode(terms, payer, refundTo, releaseAfter));
            _emitEscrowed(paymentId, terms, payer, refundTo, releaseAfter, method);
        }
    }

    /// @dev The operator's key recovers first, ERC-1271 is asked only when it does not: Pier's operators are keys, and
    ///      recovering first spares every payment a cold look at the operator's code (2,600 gas). A key that signs
    ///      for its own address is that address's authority whether or not it has delegated code (EIP-7702).
    function _isOperatorSignature(
        address operator,
        bytes32 digest,
        bytes calldata signature
    ) private view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == operator) return true;
        return SignatureChecker.isValidERC1271SignatureNowCalldata(operator, digest, signature);
    }

    /// @dev A charge's release: the whole amount, net of the signed fee, at the payment's own time.
    function _emitCharged(bytes32 paymentId, PaymentTerms calldata terms, address feeRecipient_) private {
        emit PaymentReleased(
            paymentId,
            terms.orderId,
            terms.merchant,
            terms.token,
            terms.amount - terms.fee,
            terms.fee,
            feeRecipient_,
            msg.sender,
            false
        );
    }

    /// @dev Pays out a charge (escrow period 0) once its tokens are in: the merchant's net, then the fee. As at
    ///      release, a recipient that cannot receive is credited instead.
    function _settleCharge(bytes32 paymentId, PaymentTerms calldata terms) private {
        if (terms.escrowPeriod != 0) return;
        address token = terms.token;
        _payout(paymentId, token, terms.merchant, terms.amount - terms.fee);
        _payout(paymentId, token, _config.feeRecipient, terms.fee);
    }

    function _emitEscrowed(
        bytes32 paymentId,
        PaymentTerms calldata terms,
        address payer,
        address refundTo,
        uint64 releaseAfter,
        PayMethod method
    ) private {
        emit PaymentEscrowed(
            paymentId,
            terms.orderId,
            terms.merchant,
            terms.operator,
            payer,
            refundTo,
            terms.token,
            terms.amount,
            terms.fee,
            releaseAfter,
            method
        );
    }

    /// @dev Pulls `terms.amount` from `from`'s allowance and checks the escrow received exactly that.
    function _collectFrom(PaymentTerms calldata terms, address from) private {
        IERC20 token = IERC20(terms.token);
        uint256 balanceBefore = token.balanceOf(address(this));
        token.safeTransferFrom(from, address(this), terms.amount);
        _checkReceived(token, terms.amount, balanceBefore);
    }

    function _receiveWithAuthorization(
        PaymentTerms calldata terms,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private {
        IERC3009(terms.token).receiveWithAuthorization(
            payer,
            address(this),
            terms.amount,
            validAfter,
            validBefore,
            nonce,
            v,
            r,
            s
        );
    }

    /// @dev The payer's own signature: `signature` itself, or, when it is ERC-6492-wrapped, the signature inside, after
    ///      deploying the payer through the wrapped factory call if it has no code yet. The factory is called by the
    ///      {CounterfactualDeployer}, which holds nothing: the escrow never calls a contract a signature names.
    function _payerSignature(address payer, bytes calldata signature) private returns (bytes memory) {
        uint256 length = signature.length;
        if (length < 32 || bytes32(signature[length - 32:]) != ERC6492_SUFFIX) return signature;
        (address factory, bytes memory factoryCalldata, bytes memory inner) = abi.decode(
            signature[:length - 32],
            (address, bytes, bytes)
        );
        if (payer.code.length == 0) {
            CounterfactualDeployer(counterfactualDeployer).deploy(payer, factory, factoryCalldata);
        }
        return inner;
    }

    /// @dev A 65-byte signature of an account without code: what the token's `(v, r, s)` variants take, so tokens
    ///      without `bytes` variants (most ERC-3009 and EIP-2612 tokens) are paid as before.
    function _isPlainSignature(address signer, bytes memory signature) private view returns (bool) {
        return signature.length == 65 && signer.code.length == 0;
    }

    function _split(bytes memory signature) private pure returns (uint8 v, bytes32 r, bytes32 s) {
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
    }

    /// @dev {_receiveWithAuthorization} for a `bytes` signature: the token's `(v, r, s)` variant when it is plain,
    ///      else its `bytes` variant.
    function _receiveWithSignature(
        PaymentTerms calldata terms,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) private {
        if (_isPlainSignature(payer, signature)) {
            (uint8 v, bytes32 r, bytes32 s) = _split(signature);
            _receiveWithAuthorization(terms, payer, validAfter, validBefore, nonce, v, r, s);
        } else {
            IERC3009Bytes(terms.token).receiveWithAuthorization(
                payer,
                address(this),
                terms.amount,
                validAfter,
                validBefore,
                nonce,
                signature
            );
        }
    }

    /// @dev Rejects fee-on-transfer, rebasing and otherwise dishonest tokens.
    function _checkReceived(IERC20 token, uint256 expected, uint256 balanceBefore) private view {
        uint256 received = token.balanceOf(address(this)) - balanceBefore;
        if (received != expected) revert TokenTransferMismatch(expected, received);
    }

    /// @dev Releases one payment: checks it, closes it, emits `PaymentReleased` and pays the merchant. The fee is
    ///      returned for the caller to pay (alone, or summed over a batch). When `strict` is false, a payment that
    ///      cannot be released now returns `released == false` instead of reverting.
    function _release(
        Payment calldata payment,
        address feeRecipient_,
        bool strict
    ) private returns (bool released, bytes32 paymentId, uint256 feeAmount) {
        PaymentTerms calldata terms = payment.terms;
        paymentId = _paymentId(terms.operator, terms.orderId);
        PaymentState memory state = _states[paymentId];
        if (state.recordHash != _recordHash(payment)) {
            if (strict) revert UnknownPayment(paymentId);
            return (false, paymentId, 0);
        }
        if (state.disputed || state.held) {
            if (strict) revert PaymentFrozen(paymentId, state.disputed, state.held);
            return (false, paymentId, 0);
        }
        bool early = block.timestamp < payment.releaseAfter;
        if (early && msg.sender != terms.merchant && msg.sender != terms.operator) {
            if (strict) revert EscrowPeriodActive(payment.releaseAfter);
            return (false, paymentId, 0);
        }

        uint256 merchantAmount;
        (merchantAmount, feeAmount) = _split(terms, terms.amount - state.refunded);
        _close(paymentId, state);
        emit PaymentReleased(
            paymentId,
            terms.orderId,
            terms.merchant,
            terms.token,
            merchantAmount,
            feeAmount,
            feeRecipient_,
            msg.sender,
            early
        );
        _payout(paymentId, terms.token, terms.merchant, merchantAmount);
        return (true, paymentId, feeAmount);
    }

    /// @dev Splits `gross` (what goes to the merchant's side) into the merchant's net and the fee. The fee is the
    ///      signed fee pro rata to `gross / amount`, rounded down: exactly `terms.fee` when nothing was refunded,
    ///      never more.
    function _split(
        PaymentTerms calldata terms,
        uint256 gross
    ) private pure returns (uint256 merchantAmount, uint256 feeAmount) {
        feeAmount = (terms.fee * gross) / terms.amount;
        merchantAmount = gross - feeAmount;
    }

    /// @dev Sends `amount` of `token` to `to`; if the transfer fails (blacklist, `false`, revert), credits `to`
    ///      instead so one recipient can never block a settlement.
    function _payout(bytes32 paymentId, address token, address to, uint256 amount) private {
        if (amount == 0) return;
        if (!IERC20(token).trySafeTransfer(to, amount)) {
            credits[token][to] += amount;
            emit PayoutCredited(paymentId, token, to, amount);
        }
    }

    /// @dev Loads an open payment's state, reverting unless `payment` is its exact record.
    function _open(Payment calldata payment) private view returns (bytes32 paymentId, PaymentState memory state) {
        paymentId = _paymentId(payment.terms.operator, payment.terms.orderId);
        state = _states[paymentId];
        if (state.recordHash != _recordHash(payment)) revert UnknownPayment(paymentId);
    }

    /// @dev Marks a payment closed and clears its mutable state. The second slot is written only when it holds
    ///      something (a partial refund, a dispute or a hold), which also refunds its gas.
    function _close(bytes32 paymentId, PaymentState memory state) private {
        if (state.refunded == 0 && !state.disputed && !state.held) {
            _states[paymentId].recordHash = CLOSED;
        } else {
            _states[paymentId] = PaymentState({recordHash: CLOSED, refunded: 0, disputed: false, held: false});
        }
    }

    function _recordHash(Payment calldata payment) private pure returns (bytes32) {
        return keccak256(abi.encode(payment));
    }

    function _paymentId(address operator, bytes32 orderId) private pure returns (bytes32) {
        return keccak256(abi.encode(operator, orderId));
    }

    function _termsDigest(PaymentTerms calldata terms) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(PAYMENT_TERMS_TYPEHASH, terms)));
    }

    function _setArbiter(address newArbiter) private {
        if (newArbiter == address(0)) revert ZeroAddress();
        address previous = arbiter;
        arbiter = newArbiter;
        emit ArbiterUpdated(previous, newArbiter);
    }

    function _setFeeRecipient(address newFeeRecipient) private {
        if (newFeeRecipient == address(0)) revert ZeroAddress();
        address previous = _config.feeRecipient;
        _config.feeRecipient = newFeeRecipient;
        emit FeeRecipientUpdated(previous, newFeeRecipient);
    }

    function _setMaxFeeBps(uint16 bps) private {
        if (bps > MAX_BPS) revert FeeCapTooHigh(bps);
        uint16 previous = _config.maxFeeBps;
        _config.maxFeeBps = bps;
        emit MaxFeeBpsUpdated(previous, bps);
    }
}
