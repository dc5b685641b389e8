// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {PaymentEscrow} from "../../src/PaymentEscrow.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice Views: the EIP-712 digest (cross-checked against contracts/lib/terms.ts), ids, state and getters.
contract ViewsTest is EscrowFixture {
    function test_succeeds_termsDigestMatchesIndependentComputation() public view {
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("ord_digest"));
        assertEq(escrow.termsDigest(terms), _digest(terms, address(escrow), block.chainid));
    }

    /// @dev Vector computed with contracts/lib/terms.ts (viem `hashTypedData`): chain 31337, escrow 0x4444...,
    ///      orderId = onchainOrderId("ord_test_vector"). Keeps the Solidity and TypeScript halves in step.
    function test_succeeds_termsDigestMatchesTypeScriptVector() public {
        IPaymentEscrow.PaymentTerms memory terms = IPaymentEscrow.PaymentTerms({
            orderId: _orderId("ord_test_vector"),
            merchant: 0x1111111111111111111111111111111111111111,
            token: 0x2222222222222222222222222222222222222222,
            amount: 123456789,
            fee: 1234567,
            deadline: 1750003600,
            escrowPeriod: 604800,
            operator: 0x3333333333333333333333333333333333333333
        });
        assertEq(terms.orderId, 0x51e1eb084aef577a150d9240ec83093ae11f999e8800d83cc2dfa39e59986a21, "orderId");
        bytes32 expected = 0xd9bd825d1545d7257568a339e2bb2842c67fa47a2961689eec500b8b04033c99;

        address at = 0x4444444444444444444444444444444444444444;
        vm.etch(at, address(escrow).code);
        vm.chainId(31337);
        assertEq(PaymentEscrow(at).termsDigest(terms), expected, "escrow digest");
        assertEq(_digest(terms, at, 31337), expected, "fixture digest");
        assertEq(
            escrow.paymentIdOf(terms.operator, terms.orderId),
            0x4477d8bd06bdf9325008eb70f246853e2f7657a96cb420c9328d02b63a04426f,
            "paymentId"
        );
    }

    function test_succeeds_typehashAndDomain() public view {
        assertEq(escrow.PAYMENT_TERMS_TYPEHASH(), TERMS_TYPEHASH);
        (, string memory name, string memory version, uint256 chainId, address verifyingContract, , ) = escrow
            .eip712Domain();
        assertEq(keccak256(bytes(name)), keccak256("Pier PaymentEscrow"), "name");
        assertEq(keccak256(bytes(version)), keccak256("1"), "version");
        assertEq(chainId, block.chainid);
        assertEq(verifyingContract, address(escrow));
    }

    function test_succeeds_termsDigestFollowsChainId() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("ord_digest"));
        bytes32 before = escrow.termsDigest(terms);
        // The new chain id is kept in a local: compiled via IR, `block.chainid` read after `vm.chainId` in the same
        // function may be the value from before the switch.
        uint256 otherChain = block.chainid + 1;
        vm.chainId(otherChain);
        assertNotEq(escrow.termsDigest(terms), before);
        assertEq(escrow.termsDigest(terms), _digest(terms, address(escrow), otherChain));
    }

    function test_succeeds_paymentIdOf() public view {
        bytes32 orderId = keccak256("ord_id");
        assertEq(escrow.paymentIdOf(operator, orderId), keccak256(abi.encode(operator, orderId)));
        assertNotEq(escrow.paymentIdOf(operator, orderId), escrow.paymentIdOf(stranger, orderId));
    }

    function test_succeeds_paymentStateOfUnknownIsZero() public view {
        IPaymentEscrow.PaymentState memory state = escrow.paymentState(keccak256("nothing"));
        assertEq(state.recordHash, bytes32(0));
        assertEq(state.refunded, 0);
        assertFalse(state.disputed);
        assertFalse(state.held);
    }

    function test_succeeds_remainingThroughTheLifecycle() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("ord_remaining"));
        IPaymentEscrow.Payment memory expected = _record(terms, payer, payer, _now() + ESCROW_PERIOD);
        assertEq(escrow.remaining(expected), 0, "unpaid");

        IPaymentEscrow.Payment memory payment = _pay(terms);
        assertEq(escrow.remaining(payment), AMOUNT, "open");

        IPaymentEscrow.Payment memory forged = _record(terms, payer, stranger, payment.releaseAfter);
        assertEq(escrow.remaining(forged), 0, "wrong record");

        vm.prank(merchant);
        escrow.refund(payment, 1e6);
        assertEq(escrow.remaining(payment), AMOUNT - 1e6, "after partial refund");

        vm.prank(merchant);
        escrow.release(payment);
        assertEq(escrow.remaining(payment), 0, "closed");
    }

    function test_succeeds_getters() public view {
        assertEq(escrow.arbiter(), arbiter);
        assertEq(escrow.feeRecipient(), feeRecipient);
        assertEq(escrow.maxFeeBps(), MAX_FEE_BPS);
        assertFalse(escrow.paused());
        assertEq(escrow.credits(address(usdc), merchant), 0);
        assertEq(escrow.owner(), owner);
        assertEq(escrow.MAX_BPS(), 10_000);
        assertNotEq(escrow.CLOSED(), bytes32(0));
    }
}
