// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {BlacklistToken} from "../../src/mocks/BlacklistToken.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `withdraw`: a recipient whose payout failed takes its credit to an address of its choice.
contract WithdrawTest is EscrowFixture {
    BlacklistToken internal token;

    function setUp() public override {
        super.setUp();
        token = new BlacklistToken();
    }

    /// @dev Pays and releases one payment in `token` while `merchant` is blacklisted, so the merchant is credited.
    function _creditMerchant(bytes32 orderId) internal returns (IPaymentEscrow.Payment memory payment) {
        payment = _pay(_terms(orderId, address(token), AMOUNT, FEE));
        token.setBlacklisted(merchant, true);
        _warpToRelease(payment);
        escrow.release(payment);
    }

    function test_succeeds_toAnotherAddress() public {
        _creditMerchant(keccak256("a"));
        assertEq(escrow.credits(address(token), merchant), AMOUNT - FEE);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.CreditWithdrawn(address(token), merchant, merchant2, AMOUNT - FEE);
        vm.prank(merchant);
        escrow.withdraw(address(token), merchant2);

        assertEq(_balance(address(token), merchant2), AMOUNT - FEE);
        assertEq(escrow.credits(address(token), merchant), 0);
        assertEq(_balance(address(token), address(escrow)), 0);
    }

    function test_succeeds_toSelfOnceUnblocked() public {
        _creditMerchant(keccak256("a"));
        token.setBlacklisted(merchant, false);
        vm.prank(merchant);
        escrow.withdraw(address(token), merchant);
        assertEq(_balance(address(token), merchant), AMOUNT - FEE);
    }

    function test_succeeds_withAccumulatedCredits() public {
        _creditMerchant(keccak256("a"));
        IPaymentEscrow.Payment memory second = _pay(_terms(keccak256("b"), address(token), AMOUNT, FEE));
        _warpToRelease(second);
        escrow.release(second);
        assertEq(escrow.credits(address(token), merchant), 2 * (AMOUNT - FEE));
        vm.prank(merchant);
        escrow.withdraw(address(token), merchant2);
        assertEq(_balance(address(token), merchant2), 2 * (AMOUNT - FEE));
    }

    function test_succeeds_whenPaused() public {
        _creditMerchant(keccak256("a"));
        vm.prank(owner);
        escrow.setPaused(true);
        vm.prank(merchant);
        escrow.withdraw(address(token), merchant2);
        assertEq(_balance(address(token), merchant2), AMOUNT - FEE);
    }

    function test_reverts_when_nothingCredited() public {
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(token), merchant));
        escrow.withdraw(address(token), merchant);
    }

    function test_reverts_when_withdrawnTwice() public {
        _creditMerchant(keccak256("a"));
        vm.prank(merchant);
        escrow.withdraw(address(token), merchant2);
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(token), merchant));
        escrow.withdraw(address(token), merchant2);
    }

    function test_reverts_when_callerHasNoCreditEvenIfOthersDo() public {
        _creditMerchant(keccak256("a"));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(token), stranger));
        escrow.withdraw(address(token), stranger);
    }

    function test_reverts_when_toIsZero() public {
        _creditMerchant(keccak256("a"));
        vm.prank(merchant);
        vm.expectRevert(IPaymentEscrow.ZeroAddress.selector);
        escrow.withdraw(address(token), address(0));
    }

    function test_reverts_when_transferStillFailsKeepingTheCredit() public {
        _creditMerchant(keccak256("a"));
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(BlacklistToken.Blacklisted.selector, merchant));
        escrow.withdraw(address(token), merchant);
        assertEq(escrow.credits(address(token), merchant), AMOUNT - FEE, "credit kept");
    }
}
