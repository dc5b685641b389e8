// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {executionGas, instrumentedForCoverage} from "../base/GasMeasure.sol";
import {DaiLikeFixture} from "../base/DaiLikeFixture.sol";

/// @dev The `(v, r, s)` pay functions alone: {IPaymentEscrow} overloads them with `bytes` signatures, which makes
///      `abi.encodeCall(IPayWithVrs.payWithPermit, ...)` ambiguous.
interface IPayWithVrs {
    function payWithAuthorization(
        IPaymentEscrow.PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32);

    function payWithPermit(
        IPaymentEscrow.PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32);
}

/// @notice Gas budgets of the hot paths, measured the way the targets are defined: a transaction's gas used minus
///         21,000 and its calldata cost, in a warm state where the payer, merchant, fee recipient and escrow already
///         hold token balances. Each test runs in isolation mode (every top-level call is its own transaction), so
///         storage is cold at the start of the measured call as it would be on chain. The escrow and the tokens are
///         deployed from their build artifacts: the bytecode the project ships (IR pipeline, optimized), not the copies
///         compiled with the tests. Under `--coverage` the contracts are instrumented (extra calls to Hardhat's coverage
///         marker), so these tests skip themselves.
contract GasTest is DaiLikeFixture {
    uint256 internal constant PAY_WITH_AUTHORIZATION_BUDGET = 105_000;
    uint256 internal constant PAY_WITH_PERMIT_BUDGET = 120_000;
    uint256 internal constant PAY_WITH_DAI_PERMIT_BUDGET = 125_000;
    uint256 internal constant RELEASE_BUDGET = 50_000;
    uint256 internal constant REFUND_FULL_BUDGET = 40_000;
    uint256 internal constant RELEASE_BATCH_PER_PAYMENT_BUDGET = 25_000;

    function _deployArtifacts() internal pure override returns (bool) {
        return true;
    }

    function setUp() public override {
        super.setUp();
        vm.skip(instrumentedForCoverage(address(escrow)));
        // Warm state: merchant and fee recipient hold balances, the escrow holds an open payment.
        IPaymentEscrow.Payment memory warm = _pay(keccak256("warm-1"));
        vm.prank(merchant);
        escrow.release(warm);
        _pay(keccak256("warm-2"));
    }

    /// @dev Execution gas of the last top-level call (GasMeasure.sol's definition).
    function _executionGas(bytes memory callData) internal view returns (uint256) {
        return executionGas(vm.lastCallGas(), callData);
    }

    /// hardhat-config: isolate = true
    function test_succeeds_payWithAuthorizationWithinBudget() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("gas-3009"));
        bytes memory signature = _signTerms(terms);
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            0,
            validBefore,
            _digest(terms, address(escrow), block.chainid)
        );
        vm.prank(relayer);
        escrow.payWithAuthorization(terms, signature, payer, 0, validBefore, v, r, s);
        uint256 used = _executionGas(
            abi.encodeCall(IPayWithVrs.payWithAuthorization, (terms, signature, payer, 0, validBefore, v, r, s))
        );
        assertLe(used, PAY_WITH_AUTHORIZATION_BUDGET, string.concat("payWithAuthorization: ", vm.toString(used)));
    }

    /// hardhat-config: isolate = true
    function test_succeeds_payWithPermitWithinBudget() public {
        // payer2 has never used a permit: its nonce slot goes from zero to one (the most expensive case).
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("gas-permit"));
        bytes memory signature = _signTerms(terms);
        uint256 permitDeadline = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(
            address(usdc),
            PAYER2_KEY,
            address(escrow),
            AMOUNT,
            permitDeadline
        );
        vm.prank(payer2);
        escrow.payWithPermit(terms, signature, permitDeadline, v, r, s);
        uint256 used = _executionGas(
            abi.encodeCall(IPayWithVrs.payWithPermit, (terms, signature, permitDeadline, v, r, s))
        );
        assertLe(used, PAY_WITH_PERMIT_BUDGET, string.concat("payWithPermit: ", vm.toString(used)));
    }

    /// hardhat-config: isolate = true
    function test_succeeds_payWithDaiPermitWithinBudget() public {
        // Warm state in DAI: the escrow already holds DAI. payer2 has never used a DAI permit: its nonce goes from
        // zero to one and its allowance from zero to unlimited, where it stays (no refund, unlike an EIP-2612 permit
        // whose exact allowance is used up).
        _payAs(_daiTerms(keccak256("warm-dai")), payer);
        IPaymentEscrow.PaymentTerms memory terms = _daiTerms(keccak256("gas-dai-permit"));
        bytes memory signature = _signTerms(terms);
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER2_KEY, address(escrow), 0, terms.deadline, true);
        vm.prank(payer2);
        escrow.payWithDaiPermit(terms, signature, 0, terms.deadline, v, r, s);
        uint256 used = _executionGas(
            abi.encodeCall(IPaymentEscrow.payWithDaiPermit, (terms, signature, 0, terms.deadline, v, r, s))
        );
        assertLe(used, PAY_WITH_DAI_PERMIT_BUDGET, string.concat("payWithDaiPermit: ", vm.toString(used)));
    }

    /// hardhat-config: isolate = true
    function test_succeeds_releaseWithFeeWithinBudget() public {
        IPaymentEscrow.Payment memory payment = _pay(keccak256("gas-release"));
        _warpToRelease(payment);
        vm.prank(relayer);
        escrow.release(payment);
        uint256 used = _executionGas(abi.encodeCall(IPaymentEscrow.release, (payment)));
        assertLe(used, RELEASE_BUDGET, string.concat("release: ", vm.toString(used)));
    }

    /// hardhat-config: isolate = true
    function test_succeeds_refundFullWithinBudget() public {
        IPaymentEscrow.Payment memory payment = _pay(keccak256("gas-refund"));
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        uint256 used = _executionGas(abi.encodeCall(IPaymentEscrow.refund, (payment, AMOUNT)));
        assertLe(used, REFUND_FULL_BUDGET, string.concat("refund: ", vm.toString(used)));
    }

    /// hardhat-config: isolate = true
    function test_succeeds_releaseBatchOfTenWithinBudget() public {
        _assertBatchWithinBudget(false);
    }

    /// hardhat-config: isolate = true
    function test_succeeds_releaseBatchOfTenMerchantsWithinBudget() public {
        _assertBatchWithinBudget(true);
    }

    function _assertBatchWithinBudget(bool distinctMerchants) internal {
        IPaymentEscrow.Payment[] memory ps = new IPaymentEscrow.Payment[](10);
        for (uint256 i; i < 10; ++i) {
            IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256(abi.encode("gas-batch", i)));
            if (distinctMerchants) {
                terms.merchant = address(uint160(0x1000 + i));
                usdc.mint(terms.merchant, 1); // each merchant already holds a balance
            }
            ps[i] = _pay(terms);
        }
        _warpToRelease(ps[9]);
        vm.prank(relayer);
        escrow.releaseBatch(ps);
        uint256 perPayment = _executionGas(abi.encodeCall(IPaymentEscrow.releaseBatch, (ps))) / 10;
        assertEq(escrow.remaining(ps[9]), 0, "released");
        assertLe(perPayment, RELEASE_BATCH_PER_PAYMENT_BUDGET, string.concat("per payment: ", vm.toString(perPayment)));
    }
}
