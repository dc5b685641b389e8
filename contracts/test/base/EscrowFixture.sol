// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

import {PaymentEscrow} from "../../src/PaymentEscrow.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {TestStablecoin} from "../../src/tokens/TestStablecoin.sol";
import {TestBase} from "./TestBase.sol";

/// @dev Every test token (TestStablecoin for its owner, the mocks for anyone) has this `mint`.
interface IMintable {
    function mint(address to, uint256 amount) external;
}

/// @title EscrowFixture
/// @notice Shared base for PaymentEscrow tests (unit, fuzz and invariant handlers): deploys the escrow and a
///         TestStablecoin, creates named actors with funded balances, and builds, signs and pays terms in each of
///         the four ways.
/// @dev How to use it:
///      - Inherit it and call `super.setUp()` first if you override `setUp`. Time starts at `START_TIME`.
///      - `_terms(orderId)` gives valid default terms (tUSDC, `AMOUNT`, `FEE`, `ESCROW_PERIOD`, deadline one hour
///        ahead, operator `operator`); change any field, then `_signTerms(terms)` signs it as `operator` with
///        this fixture's own EIP-712 digest (independent of the escrow's `termsDigest`).
///      - `_pay`, `_payAs`, `_payWithPermit`, `_payWithAuthorization`, `_payOnBehalf` pay terms (they sign them
///        themselves; mint and approve as needed) and return the `Payment` record every later call needs.
///      - `_record(terms, payer, refundTo, releaseAfter)` builds a record by hand; `_paymentId(record)` its id.
///      - Actors with keys (`OPERATOR_KEY`, `PAYER_KEY`, `PAYER2_KEY`, `OTHER_KEY`) can sign; the rest are
///        plain addresses. The fixture contract owns the TestStablecoin, so `_mint` works for it and the mocks.
///      - Nothing here pranks persistently: helpers use `vm.startPrank`/`vm.stopPrank` in pairs.
abstract contract EscrowFixture is TestBase {
    // Signing keys (arbitrary; used on the test chain only).
    uint256 internal constant OPERATOR_KEY = 0x0BE2A702;
    uint256 internal constant PAYER_KEY = 0xB0B;
    uint256 internal constant PAYER2_KEY = 0xCA401;
    uint256 internal constant OTHER_KEY = 0xBAD;

    // Defaults.
    uint16 internal constant MAX_FEE_BPS = 1_000; // 10%
    uint256 internal constant AMOUNT = 100e6; // 100 tUSDC
    uint256 internal constant FEE = 2e6; // 2 tUSDC
    uint256 internal constant ESCROW_PERIOD = 7 days;
    uint256 internal constant PAY_WINDOW = 1 hours;
    uint256 internal constant START_TIME = 1_750_000_000;
    uint256 internal constant INITIAL_BALANCE = 1_000_000e6;

    bytes32 internal constant TERMS_TYPEHASH = keccak256(
        "PaymentTerms(bytes32 orderId,address merchant,address token,uint256 amount,uint256 fee,"
        "uint256 deadline,uint256 escrowPeriod,address operator)"
    );
    bytes32 internal constant EIP712_DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,"
        "uint256 validBefore,bytes32 nonce)"
    );
    bytes32 internal constant CANCEL_AUTHORIZATION_TYPEHASH = keccak256(
        "CancelAuthorization(address authorizer,bytes32 nonce)"
    );

    // Actors.
    address internal owner;
    address internal arbiter;
    address internal feeRecipient;
    address internal operator;
    address internal merchant;
    address internal merchant2;
    address internal payer;
    address internal payer2;
    address internal treasury;
    address internal bridge;
    address internal relayer;
    address internal stranger;

    PaymentEscrow internal escrow;
    TestStablecoin internal usdc;

    function setUp() public virtual {
        // The coverage pass (PIER_COVERAGE=1, ./scripts/test) builds no artifacts to deploy, and its contracts are
        // instrumented anyway: a test that deploys artifacts skips before deploying anything.
        vm.skip(_deployArtifacts() && vm.envOr("PIER_COVERAGE", uint256(0)) == 1);
        vm.warp(START_TIME);

        owner = _actor("owner");
        arbiter = _actor("arbiter");
        feeRecipient = _actor("feeRecipient");
        merchant = _actor("merchant");
        merchant2 = _actor("merchant2");
        treasury = _actor("treasury");
        bridge = _actor("bridge");
        relayer = _actor("relayer");
        stranger = _actor("stranger");
        operator = vm.addr(OPERATOR_KEY);
        payer = vm.addr(PAYER_KEY);
        payer2 = vm.addr(PAYER2_KEY);
        vm.label(operator, "operator");
        vm.label(payer, "payer");
        vm.label(payer2, "payer2");

        escrow = PaymentEscrow(
            _deploy(
                "PaymentEscrow.sol:PaymentEscrow",
                type(PaymentEscrow).creationCode,
                abi.encode(owner, arbiter, feeRecipient, MAX_FEE_BPS)
            )
        );
        vm.label(address(escrow), "PaymentEscrow");
        usdc = TestStablecoin(
            _deploy("TestStablecoin.sol:TestStablecoin", type(TestStablecoin).creationCode, abi.encode(address(this)))
        );
        vm.label(address(usdc), "tUSDC");

        usdc.mint(payer, INITIAL_BALANCE);
        usdc.mint(payer2, INITIAL_BALANCE);
        usdc.mint(treasury, INITIAL_BALANCE);
    }

    /// @dev True to deploy the contracts the project ships (their build artifacts: the IR pipeline, optimized) rather
    ///      than the copies compiled with the tests (legacy pipeline, no optimizer: a fraction of the compile time).
    ///      The gas tests measure the shipped bytecode; everything else tests behaviour, which is the same in both.
    function _deployArtifacts() internal pure virtual returns (bool) {
        return false;
    }

    /// @dev Deploys `artifact` (`File.sol:Contract`, a project source) with ABI-encoded constructor `args`: from its build
    ///      artifact if `_deployArtifacts()`, else from `testCopy` (its `type(C).creationCode`).
    function _deploy(
        string memory artifact,
        bytes memory testCopy,
        bytes memory args
    ) internal returns (address deployed) {
        bytes memory code = bytes.concat(_deployArtifacts() ? vm.getCode(artifact) : testCopy, args);
        assembly ("memory-safe") {
            deployed := create(0, add(code, 0x20), mload(code))
        }
        require(deployed != address(0), string.concat("deploying ", artifact, " failed"));
    }

    // ------------------------------------------------------------------------------------------------
    // Terms and signatures
    // ------------------------------------------------------------------------------------------------

    /// @dev The on-chain order id of an API order id, as contracts/lib/terms.ts `onchainOrderId` computes it.
    function _orderId(string memory ref) internal pure returns (bytes32) {
        return keccak256(bytes(ref));
    }

    /// @dev Valid default terms for `orderId`, in tUSDC.
    function _terms(bytes32 orderId) internal view returns (IPaymentEscrow.PaymentTerms memory) {
        return _terms(orderId, address(usdc), AMOUNT, FEE);
    }

    function _terms(
        bytes32 orderId,
        address token,
        uint256 amount,
        uint256 fee
    ) internal view returns (IPaymentEscrow.PaymentTerms memory) {
        return
            IPaymentEscrow.PaymentTerms({
                orderId: orderId,
                merchant: merchant,
                token: token,
                amount: amount,
                fee: fee,
                deadline: _now() + PAY_WINDOW,
                escrowPeriod: ESCROW_PERIOD,
                operator: operator
            });
    }

    /// @dev EIP-712 domain separator of a PaymentEscrow at `verifyingContract` on `chainId`, computed here.
    function _domainSeparator(address verifyingContract, uint256 chainId) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    EIP712_DOMAIN_TYPEHASH,
                    keccak256("Pier PaymentEscrow"),
                    keccak256("1"),
                    chainId,
                    verifyingContract
                )
            );
    }

    /// @dev EIP-712 digest of `terms` for a PaymentEscrow at `verifyingContract` on `chainId`, computed here.
    function _digest(
        IPaymentEscrow.PaymentTerms memory terms,
        address verifyingContract,
        uint256 chainId
    ) internal pure returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                TERMS_TYPEHASH,
                terms.orderId,
                terms.merchant,
                terms.token,
                terms.amount,
                terms.fee,
                terms.deadline,
                terms.escrowPeriod,
                terms.operator
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(verifyingContract, chainId), structHash));
    }

    /// @dev `terms` signed by the default operator for `escrow` on the current chain.
    function _signTerms(IPaymentEscrow.PaymentTerms memory terms) internal view returns (bytes memory) {
        return _signTerms(OPERATOR_KEY, terms, address(escrow), block.chainid);
    }

    function _signTerms(
        uint256 key,
        IPaymentEscrow.PaymentTerms memory terms,
        address verifyingContract,
        uint256 chainId
    ) internal pure returns (bytes memory) {
        return _sign(key, _digest(terms, verifyingContract, chainId));
    }

    /// @dev A 65-byte (r, s, v) ECDSA signature of `digest`.
    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev EIP-2612 permit signature by `key` for `spender` on an ERC20Permit token.
    function _permitSignature(
        address token,
        uint256 key,
        address spender,
        uint256 value,
        uint256 deadline
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        address holder = vm.addr(key);
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, holder, spender, value, IERC20Permit(token).nonces(holder), deadline)
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", IERC20Permit(token).DOMAIN_SEPARATOR(), structHash));
        return vm.sign(key, digest);
    }

    /// @dev ERC-3009 `ReceiveWithAuthorization` signature by `key` on the TestStablecoin.
    function _authorizationSignature(
        uint256 key,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        bytes32 structHash = keccak256(
            abi.encode(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, vm.addr(key), to, value, validAfter, validBefore, nonce)
        );
        return vm.sign(key, keccak256(abi.encodePacked("\x19\x01", usdc.DOMAIN_SEPARATOR(), structHash)));
    }

    // ------------------------------------------------------------------------------------------------
    // Records
    // ------------------------------------------------------------------------------------------------

    function _record(
        IPaymentEscrow.PaymentTerms memory terms,
        address payer_,
        address refundTo,
        uint256 releaseAfter
    ) internal pure returns (IPaymentEscrow.Payment memory) {
        return
            IPaymentEscrow.Payment({
                terms: terms,
                payer: payer_,
                refundTo: refundTo,
                releaseAfter: uint64(releaseAfter)
            });
    }

    function _paymentId(IPaymentEscrow.Payment memory payment) internal pure returns (bytes32) {
        return keccak256(abi.encode(payment.terms.operator, payment.terms.orderId));
    }

    function _recordHash(IPaymentEscrow.Payment memory payment) internal pure returns (bytes32) {
        return keccak256(abi.encode(payment));
    }

    // ------------------------------------------------------------------------------------------------
    // Paying
    // ------------------------------------------------------------------------------------------------

    /// @dev Pays `terms` from `payer`'s allowance (signing the terms as `operator`).
    function _pay(IPaymentEscrow.PaymentTerms memory terms) internal returns (IPaymentEscrow.Payment memory) {
        return _payAs(terms, payer);
    }

    /// @dev Pays the default terms of `orderId` from `payer`'s allowance.
    function _pay(bytes32 orderId) internal returns (IPaymentEscrow.Payment memory) {
        return _payAs(_terms(orderId), payer);
    }

    /// @dev Approves and pays `terms` from `from` (minting to `from` first if its balance is short).
    function _payAs(
        IPaymentEscrow.PaymentTerms memory terms,
        address from
    ) internal returns (IPaymentEscrow.Payment memory payment) {
        bytes memory signature = _signTerms(terms);
        _ensureBalance(terms.token, from, terms.amount);
        vm.startPrank(from);
        IERC20(terms.token).approve(address(escrow), terms.amount);
        escrow.pay(terms, signature);
        vm.stopPrank();
        payment = _record(terms, from, from, _now() + terms.escrowPeriod);
    }

    /// @dev Pays `terms` with a permit signed by `payerKey`, submitted by the payer.
    function _payWithPermit(
        IPaymentEscrow.PaymentTerms memory terms,
        uint256 payerKey
    ) internal returns (IPaymentEscrow.Payment memory payment) {
        address from = vm.addr(payerKey);
        bytes memory signature = _signTerms(terms);
        uint256 permitDeadline = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            terms.token,
            payerKey,
            address(escrow),
            terms.amount,
            permitDeadline
        );
        vm.prank(from);
        escrow.payWithPermit(terms, signature, permitDeadline, v, r, s);
        payment = _record(terms, from, from, _now() + terms.escrowPeriod);
    }

    /// @dev Pays `terms` with an ERC-3009 authorization signed by `payerKey` (nonce = terms digest), submitted by
    ///      `submitter`.
    function _payWithAuthorization(
        IPaymentEscrow.PaymentTerms memory terms,
        uint256 payerKey,
        address submitter
    ) internal returns (IPaymentEscrow.Payment memory payment) {
        address from = vm.addr(payerKey);
        bytes memory signature = _signTerms(terms);
        uint256 validBefore = _now() + 1 hours;
        bytes32 nonce = _digest(terms, address(escrow), block.chainid);
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            payerKey,
            address(escrow),
            terms.amount,
            0,
            validBefore,
            nonce
        );
        vm.prank(submitter);
        escrow.payWithAuthorization(terms, signature, from, 0, validBefore, v, r, s);
        payment = _record(terms, from, from, _now() + terms.escrowPeriod);
    }

    /// @dev Pays `terms` from `from`'s allowance on behalf of a customer, refunds to `refundTo`.
    function _payOnBehalf(
        IPaymentEscrow.PaymentTerms memory terms,
        address from,
        address refundTo
    ) internal returns (IPaymentEscrow.Payment memory payment) {
        bytes memory signature = _signTerms(terms);
        _ensureBalance(terms.token, from, terms.amount);
        vm.startPrank(from);
        IERC20(terms.token).approve(address(escrow), terms.amount);
        escrow.payOnBehalf(terms, signature, refundTo);
        vm.stopPrank();
        payment = _record(terms, from, refundTo, _now() + terms.escrowPeriod);
    }

    // ------------------------------------------------------------------------------------------------
    // Misc
    // ------------------------------------------------------------------------------------------------

    function _mint(address token, address to, uint256 amount) internal {
        IMintable(token).mint(to, amount);
    }

    function _ensureBalance(address token, address account, uint256 amount) internal {
        uint256 balance = IERC20(token).balanceOf(account);
        if (balance < amount) _mint(token, account, amount - balance);
    }

    function _balance(address token, address account) internal view returns (uint256) {
        return IERC20(token).balanceOf(account);
    }

    /// @dev Moves time to the first second anyone may release `payment`.
    function _warpToRelease(IPaymentEscrow.Payment memory payment) internal {
        vm.warp(payment.releaseAfter);
    }

    function _actor(string memory name) internal returns (address account) {
        account = address(uint160(uint256(keccak256(bytes(name)))));
        vm.label(account, name);
    }
}
