// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {BlacklistToken} from "../../src/mocks/BlacklistToken.sol";
import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice `withdraw`: a credit (a payout the token refused) is paid to the credited account and nowhere else;
///         anyone may trigger it once the token accepts the transfer again.
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

    function test_succeeds_payingTheAccountWhenAnyoneTriggers() public {
        _creditMerchant(keccak256("a"));
        token.setBlacklisted(merchant, false);

        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.CreditWithdrawn(address(token), merchant, relayer, AMOUNT - FEE);
        vm.prank(relayer); // e.g. Pier's keeper sweeping credits after the issuer lifted the freeze
        escrow.withdraw(address(token), merchant);

        assertEq(_balance(address(token), merchant), AMOUNT - FEE, "paid to the credited account");
        assertEq(_balance(address(token), relayer), 0, "nothing to the caller");
        assertEq(escrow.credits(address(token), merchant), 0);
        assertEq(_balance(address(token), address(escrow)), 0);
    }

    function test_succeeds_whenTheAccountItselfTriggers() public {
        _creditMerchant(keccak256("a"));
        token.setBlacklisted(merchant, false);
        vm.expectEmit(address(escrow));
        emit IPaymentEscrow.CreditWithdrawn(address(token), merchant, merchant, AMOUNT - FEE);
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
        token.setBlacklisted(merchant, false);
        escrow.withdraw(address(token), merchant);
        assertEq(_balance(address(token), merchant), 2 * (AMOUNT - FEE));
    }

    function test_succeeds_whenPaused() public {
        _creditMerchant(keccak256("a"));
        token.setBlacklisted(merchant, false);
        vm.prank(owner);
        escrow.setPaused(true);
        vm.prank(stranger);
        escrow.withdraw(address(token), merchant);
        assertEq(_balance(address(token), merchant), AMOUNT - FEE);
    }

    function test_succeeds_payingTheRefundAddressOfAFiatPaymentOnly() public {
        // payOnBehalf: the treasury paid, refunds belong to the bridge. A refund the token refused is the bridge's
        // credit: the treasury cannot take it, and it goes to the bridge once the bridge can receive again.
        IPaymentEscrow.Payment memory payment = _payOnBehalf(
            _terms(keccak256("fiat"), address(token), AMOUNT, FEE),
            treasury,
            bridge
        );
        token.setBlacklisted(bridge, true);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        assertEq(escrow.credits(address(token), bridge), AMOUNT);

        vm.prank(treasury);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(token), treasury));
        escrow.withdraw(address(token), treasury);
        vm.prank(bridge);
        vm.expectRevert(abi.encodeWithSelector(BlacklistToken.Blacklisted.selector, bridge));
        escrow.withdraw(address(token), bridge);

        token.setBlacklisted(bridge, false);
        vm.prank(stranger);
        escrow.withdraw(address(token), bridge);
        assertEq(_balance(address(token), bridge), AMOUNT, "refund reached the bridge");
        assertEq(_balance(address(token), treasury), 0, "never the payer of record");
    }

    function test_reverts_when_aCreditedAccountTriesToRedirectItsCredit() public {
        // A blacklisted merchant must not be able to route its escrowed funds to a clean address through Pier: the
        // only argument is whose credit to pay, and naming another account finds no credit there.
        _creditMerchant(keccak256("a"));
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(token), merchant2));
        escrow.withdraw(address(token), merchant2);
        assertEq(_balance(address(token), merchant2), 0, "nothing reached the other address");
        assertEq(escrow.credits(address(token), merchant), AMOUNT - FEE, "credit kept");
    }

    function test_reverts_when_stillBlacklistedKeepingTheCredit() public {
        _creditMerchant(keccak256("a"));
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(BlacklistToken.Blacklisted.selector, merchant));
        escrow.withdraw(address(token), merchant);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(BlacklistToken.Blacklisted.selector, merchant));
        escrow.withdraw(address(token), merchant);
        assertEq(escrow.credits(address(token), merchant), AMOUNT - FEE, "credit kept");
        assertEq(_balance(address(token), address(escrow)), AMOUNT - FEE);
    }

    function test_reverts_when_nothingCredited() public {
        vm.prank(merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(token), merchant));
        escrow.withdraw(address(token), merchant);
    }

    function test_reverts_when_withdrawnTwice() public {
        _creditMerchant(keccak256("a"));
        token.setBlacklisted(merchant, false);
        escrow.withdraw(address(token), merchant);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(token), merchant));
        escrow.withdraw(address(token), merchant);
        assertEq(_balance(address(token), merchant), AMOUNT - FEE, "paid once");
    }

    function test_reverts_when_accountHasNoCreditEvenIfOthersDo() public {
        _creditMerchant(keccak256("a"));
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(token), stranger));
        escrow.withdraw(address(token), stranger);
    }

    function test_reverts_when_creditIsInAnotherToken() public {
        _creditMerchant(keccak256("a"));
        token.setBlacklisted(merchant, false);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.NothingToWithdraw.selector, address(usdc), merchant));
        escrow.withdraw(address(usdc), merchant);
    }
}
