// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {PaymentEscrow} from "../../src/PaymentEscrow.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice Construction, owner-only settings and two-step ownership.
contract AdminTest is EscrowFixture {
    // ------------------------------------------------------------------------------------------------
    // Constructor
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_constructorSetsEverythingAndEmits() public {
        vm.expectEmit();
        emit IPaymentEscrow.ArbiterUpdated(address(0), arbiter);
        vm.expectEmit();
        emit IPaymentEscrow.FeeRecipientUpdated(address(0), feeRecipient);
        vm.expectEmit();
        emit IPaymentEscrow.MaxFeeBpsUpdated(0, 250);
        PaymentEscrow fresh = new PaymentEscrow(owner, arbiter, feeRecipient, 250);

        assertEq(fresh.owner(), owner);
        assertEq(fresh.pendingOwner(), address(0));
        assertEq(fresh.arbiter(), arbiter);
        assertEq(fresh.feeRecipient(), feeRecipient);
        assertEq(fresh.maxFeeBps(), 250);
        assertFalse(fresh.paused());
    }

    function test_reverts_when_constructedWithZeroOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new PaymentEscrow(address(0), arbiter, feeRecipient, MAX_FEE_BPS);
    }

    function test_reverts_when_constructedWithZeroArbiter() public {
        vm.expectRevert(IPaymentEscrow.ZeroAddress.selector);
        new PaymentEscrow(owner, address(0), feeRecipient, MAX_FEE_BPS);
    }

    function test_reverts_when_constructedWithZeroFeeRecipient() public {
        vm.expectRevert(IPaymentEscrow.ZeroAddress.selector);
        new PaymentEscrow(owner, arbiter, address(0), MAX_FEE_BPS);
    }

    function test_reverts_when_constructedWithFeeCapAbove100Percent() public {
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.FeeCapTooHigh.selector, 10_001));
        new PaymentEscrow(owner, arbiter, feeRecipient, 10_001);
    }

    // ------------------------------------------------------------------------------------------------
    // Arbiter
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_setArbiter() public {
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.ArbiterUpdated(arbiter, stranger);
        vm.prank(owner);
        escrow.setArbiter(stranger);
        assertEq(escrow.arbiter(), stranger);
    }

    function test_succeeds_newArbiterResolvesOldOneCannot() public {
        IPaymentEscrow.Payment memory payment = _pay(keccak256("ord"));
        vm.prank(payer);
        escrow.dispute(payment);
        vm.prank(owner);
        escrow.setArbiter(stranger);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.Unauthorized.selector, arbiter));
        escrow.resolve(payment, 0);
        vm.prank(stranger);
        escrow.resolve(payment, 0);
    }

    function test_reverts_when_setArbiterToZero() public {
        vm.prank(owner);
        vm.expectRevert(IPaymentEscrow.ZeroAddress.selector);
        escrow.setArbiter(address(0));
    }

    function test_reverts_when_setArbiterByNonOwner() public {
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, arbiter));
        escrow.setArbiter(stranger);
    }

    // ------------------------------------------------------------------------------------------------
    // Fee recipient
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_setFeeRecipient() public {
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.FeeRecipientUpdated(feeRecipient, stranger);
        vm.prank(owner);
        escrow.setFeeRecipient(stranger);
        assertEq(escrow.feeRecipient(), stranger);
        // Packed with the cap and the pause flag: neither changes.
        assertEq(escrow.maxFeeBps(), MAX_FEE_BPS);
        assertFalse(escrow.paused());
    }

    function test_reverts_when_setFeeRecipientToZero() public {
        vm.prank(owner);
        vm.expectRevert(IPaymentEscrow.ZeroAddress.selector);
        escrow.setFeeRecipient(address(0));
    }

    function test_reverts_when_setFeeRecipientByNonOwner() public {
        vm.prank(feeRecipient);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, feeRecipient));
        escrow.setFeeRecipient(stranger);
    }

    // ------------------------------------------------------------------------------------------------
    // Fee cap
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_setMaxFeeBps() public {
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.MaxFeeBpsUpdated(MAX_FEE_BPS, 10_000);
        vm.prank(owner);
        escrow.setMaxFeeBps(10_000);
        assertEq(escrow.maxFeeBps(), 10_000);
        assertEq(escrow.feeRecipient(), feeRecipient);
    }

    function test_succeeds_loweringCapDoesNotTouchEscrowedFees() public {
        IPaymentEscrow.Payment memory payment = _pay(keccak256("ord"));
        vm.prank(owner);
        escrow.setMaxFeeBps(0);
        _warpToRelease(payment);
        escrow.release(payment);
        assertEq(_balance(address(usdc), feeRecipient), FEE, "signed fee honoured");
    }

    function test_reverts_when_setMaxFeeBpsAbove100Percent() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.FeeCapTooHigh.selector, 10_001));
        escrow.setMaxFeeBps(10_001);
    }

    function test_reverts_when_setMaxFeeBpsByNonOwner() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        escrow.setMaxFeeBps(1);
    }

    // ------------------------------------------------------------------------------------------------
    // Pause
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_setPausedAndUnpause() public {
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PausedSet(true);
        vm.prank(owner);
        escrow.setPaused(true);
        assertTrue(escrow.paused());
        assertEq(escrow.feeRecipient(), feeRecipient);
        assertEq(escrow.maxFeeBps(), MAX_FEE_BPS);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.PausedSet(false);
        vm.prank(owner);
        escrow.setPaused(false);
        assertFalse(escrow.paused());
        _pay(keccak256("after unpause"));
    }

    function test_reverts_when_setPausedByNonOwner() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, operator));
        escrow.setPaused(true);
    }

    // ------------------------------------------------------------------------------------------------
    // Two-step ownership
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_twoStepOwnershipTransfer() public {
        address newOwner = stranger;
        vm.prank(owner);
        escrow.transferOwnership(newOwner);
        assertEq(escrow.owner(), owner, "unchanged until accepted");
        assertEq(escrow.pendingOwner(), newOwner);

        // The pending owner has no rights yet.
        vm.prank(newOwner);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, newOwner));
        escrow.setPaused(true);

        vm.prank(newOwner);
        escrow.acceptOwnership();
        assertEq(escrow.owner(), newOwner);
        assertEq(escrow.pendingOwner(), address(0));

        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, owner));
        escrow.setPaused(true);
        vm.prank(newOwner);
        escrow.setPaused(true);
        assertTrue(escrow.paused());
    }

    function test_reverts_when_acceptOwnershipByOther() public {
        vm.prank(owner);
        escrow.transferOwnership(stranger);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, arbiter));
        escrow.acceptOwnership();
    }

    function test_reverts_when_transferOwnershipByNonOwner() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        escrow.transferOwnership(stranger);
    }

    function test_succeeds_pendingTransferCanBeReplaced() public {
        vm.prank(owner);
        escrow.transferOwnership(stranger);
        vm.prank(owner);
        escrow.transferOwnership(arbiter);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        escrow.acceptOwnership();
        vm.prank(arbiter);
        escrow.acceptOwnership();
        assertEq(escrow.owner(), arbiter);
    }
}
