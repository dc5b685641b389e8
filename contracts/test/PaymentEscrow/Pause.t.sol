// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice Pausing blocks every way to pay and nothing else: escrowed funds can always leave.
contract PauseTest is EscrowFixture {
    IPaymentEscrow.Payment internal toRelease;
    IPaymentEscrow.Payment internal toRefund;
    IPaymentEscrow.Payment internal toDispute;
    IPaymentEscrow.Payment internal toHold;

    function setUp() public override {
        super.setUp();
        toRelease = _pay(keccak256("release"));
        toRefund = _pay(keccak256("refund"));
        toDispute = _pay(keccak256("dispute"));
        toHold = _pay(keccak256("hold"));
        vm.prank(owner);
        escrow.setPaused(true);
    }

    function test_reverts_when_payingInAnyWay() public {
        IPaymentEscrow.PaymentTerms memory terms = _terms(keccak256("new"));
        bytes memory signature = _signTerms(terms);
        vm.startPrank(payer);
        usdc.approve(address(escrow), AMOUNT);
        vm.expectRevert(IPaymentEscrow.PaymentsPaused.selector);
        escrow.pay(terms, signature);
        vm.expectRevert(IPaymentEscrow.PaymentsPaused.selector);
        escrow.payWithPermit(terms, signature, _now(), 27, bytes32(0), bytes32(0));
        vm.expectRevert(IPaymentEscrow.PaymentsPaused.selector);
        escrow.payWithAuthorization(terms, signature, payer, 0, _now() + 1, 27, bytes32(0), bytes32(0));
        vm.expectRevert(IPaymentEscrow.PaymentsPaused.selector);
        escrow.payOnBehalf(terms, signature, bridge);
        vm.stopPrank();
    }

    function test_succeeds_everythingElseKeepsWorking() public {
        // release (single and batch), refund, dispute, hold, resolve
        vm.prank(merchant);
        escrow.release(toRelease);
        vm.prank(merchant);
        escrow.refund(toRefund, AMOUNT);
        vm.prank(payer);
        escrow.dispute(toDispute);
        vm.prank(operator);
        escrow.setHold(toHold, true);
        vm.prank(arbiter);
        escrow.resolve(toDispute, AMOUNT);
        vm.prank(operator);
        escrow.setHold(toHold, false);
        _warpToRelease(toHold);
        IPaymentEscrow.Payment[] memory batch = new IPaymentEscrow.Payment[](1);
        batch[0] = toHold;
        assertEq(escrow.releaseBatch(batch), 1);

        assertEq(_balance(address(usdc), address(escrow)), 0, "everything left the escrow while paused");
        assertEq(_balance(address(usdc), merchant), 2 * (AMOUNT - FEE));
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE - 2 * AMOUNT);
    }
}
