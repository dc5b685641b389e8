// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {CounterfactualDeployer} from "../../src/CounterfactualDeployer.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {ISpendPermissions} from "../../src/interfaces/ISpendPermissions.sol";
import {MockSmartWallet, MockSmartWalletFactory} from "../../src/mocks/MockSmartWallet.sol";
import {SpendPermissionsFixture} from "../base/SpendPermissionsFixture.sol";

/// @notice Smart-contract wallets as subscribers: a deployed wallet approves by ERC-1271 signature or by its own call,
///         revokes by its own call, and receives refunds; an undeployed wallet's ERC-6492-wrapped signature deploys it
///         through the escrow's deployer. Broken or lying wallets, a factory that does not deploy the account, and a
///         wrapped call aimed at a payer's allowance are refused.
contract SmartWalletsTest is SpendPermissionsFixture {
    uint256 internal constant WALLET_OWNER_KEY = 0xA11CE;

    address internal walletOwner;
    MockSmartWalletFactory internal factory;
    MockSmartWallet internal wallet;

    function setUp() public override {
        super.setUp();
        walletOwner = vm.addr(WALLET_OWNER_KEY);
        factory = new MockSmartWalletFactory();
        wallet = MockSmartWallet(factory.deploy(walletOwner, bytes32("deployed")));
        vm.label(address(wallet), "smart wallet");
        _mint(address(usdc), address(wallet), INITIAL_BALANCE);
    }

    function _walletPermission(address account) internal view returns (ISpendPermissions.SpendPermission memory p) {
        p = _permission();
        p.account = account;
    }

    /// @dev The wallet's owner makes it approve this contract on tUSDC.
    function _walletAllowsSpending(MockSmartWallet w) internal {
        vm.prank(walletOwner);
        w.execute(address(usdc), abi.encodeCall(IERC20.approve, (address(permissions), type(uint256).max)));
    }

    function _wrapDeploy(bytes32 salt, bytes memory inner) internal view returns (bytes memory) {
        return _wrap6492(address(factory), abi.encodeCall(MockSmartWalletFactory.deploy, (walletOwner, salt)), inner);
    }

    function test_succeeds_erc1271SignatureApprovesAndCharges() public {
        ISpendPermissions.SpendPermission memory p = _walletPermission(address(wallet));
        _walletAllowsSpending(wallet);
        // The first charge carries the wallet's signature: one transaction.
        IPaymentEscrow.Payment memory payment = _charge(p, _signPermission(WALLET_OWNER_KEY, p), _chargeTerms(AMOUNT));
        assertTrue(permissions.isValid(p));
        assertEq(_balance(address(usdc), address(wallet)), INITIAL_BALANCE - AMOUNT);
        vm.prank(merchant);
        escrow.refund(payment, AMOUNT);
        assertEq(_balance(address(usdc), address(wallet)), INITIAL_BALANCE, "refunded to the wallet");
    }

    function test_succeeds_walletApprovesAndRevokesByItsOwnCall() public {
        ISpendPermissions.SpendPermission memory p = _walletPermission(address(wallet));
        vm.prank(walletOwner);
        wallet.execute(address(permissions), abi.encodeCall(ISpendPermissions.approve, (p)));
        assertTrue(permissions.permissionState(_permissionDigest(p)).approved);
        vm.prank(walletOwner);
        wallet.execute(address(permissions), abi.encodeCall(ISpendPermissions.revoke, (p)));
        assertTrue(permissions.permissionState(_permissionDigest(p)).revoked);
    }

    function test_succeeds_walletDisputesItsCharge() public {
        ISpendPermissions.SpendPermission memory p = _walletPermission(address(wallet));
        _walletAllowsSpending(wallet);
        IPaymentEscrow.Payment memory payment = _charge(p, _signPermission(WALLET_OWNER_KEY, p), _chargeTerms(AMOUNT));
        vm.prank(walletOwner);
        wallet.execute(address(permissions), abi.encodeCall(ISpendPermissions.dispute, (payment)));
        assertTrue(escrow.paymentState(_paymentId(payment)).disputed);
    }

    function test_succeeds_erc6492SignatureDeploysTheWallet() public {
        bytes32 salt = bytes32("late");
        address late = factory.addressOf(walletOwner, salt);
        assertEq(late.code.length, 0);
        ISpendPermissions.SpendPermission memory p = _walletPermission(late);
        bytes memory signature = _wrapDeploy(salt, _signPermission(WALLET_OWNER_KEY, p));
        vm.prank(relayer);
        permissions.approveWithSignature(p, signature);
        assertGt(late.code.length, 0);
        assertTrue(permissions.permissionState(_permissionDigest(p)).approved);
        // Once deployed, the wallet gives the token allowance and is charged like any other.
        _mint(address(usdc), late, AMOUNT);
        _walletAllowsSpending(MockSmartWallet(late));
        _charge(p, AMOUNT);
        assertEq(_balance(address(usdc), late), 0);
    }

    function test_succeeds_erc6492SignatureOfADeployedWalletIsUnwrapped() public {
        ISpendPermissions.SpendPermission memory p = _walletPermission(address(wallet));
        bytes memory signature = _wrapDeploy(bytes32("deployed"), _signPermission(WALLET_OWNER_KEY, p));
        permissions.approveWithSignature(p, signature);
        assertTrue(permissions.permissionState(_permissionDigest(p)).approved);
    }

    function test_reverts_when_walletSignerIsAnotherKey() public {
        ISpendPermissions.SpendPermission memory p = _walletPermission(address(wallet));
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.InvalidPermissionSignature.selector, address(wallet)));
        permissions.approveWithSignature(p, _signPermission(OTHER_KEY, p));
    }

    function test_reverts_when_walletSignatureCheckReverts() public {
        ISpendPermissions.SpendPermission memory p = _walletPermission(address(wallet));
        bytes memory signature = _signPermission(WALLET_OWNER_KEY, p);
        vm.prank(walletOwner);
        wallet.setBehaviour(MockSmartWallet.Behaviour.Reverts);
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.InvalidPermissionSignature.selector, address(wallet)));
        permissions.approveWithSignature(p, signature);
    }

    function test_reverts_when_walletAnswersAWrongMagic() public {
        ISpendPermissions.SpendPermission memory p = _walletPermission(address(wallet));
        bytes memory signature = _signPermission(WALLET_OWNER_KEY, p);
        vm.prank(walletOwner);
        wallet.setBehaviour(MockSmartWallet.Behaviour.WrongMagic);
        vm.expectRevert(abi.encodeWithSelector(ISpendPermissions.InvalidPermissionSignature.selector, address(wallet)));
        permissions.approveWithSignature(p, signature);
    }

    function test_reverts_when_factoryDoesNotDeployTheAccount() public {
        address late = factory.addressOf(walletOwner, bytes32("late"));
        ISpendPermissions.SpendPermission memory p = _walletPermission(late);
        // The wrapped call deploys a wallet, but another one.
        bytes memory signature = _wrapDeploy(bytes32("other"), _signPermission(WALLET_OWNER_KEY, p));
        vm.expectRevert(abi.encodeWithSelector(CounterfactualDeployer.CounterfactualDeployFailed.selector, late));
        permissions.approveWithSignature(p, signature);
        assertEq(late.code.length, 0);
    }

    function test_reverts_when_wrappedCallAimsAtAPayersAllowance() public {
        // payer has approved this contract; a wrapped "factory call" to the token runs from the deployer, which no one
        // has approved, so it cannot move the payer's tokens.
        _allowSpending(payer, address(usdc));
        address late = factory.addressOf(walletOwner, bytes32("late"));
        ISpendPermissions.SpendPermission memory p = _walletPermission(late);
        bytes memory signature = _wrap6492(
            address(usdc),
            abi.encodeCall(IERC20.transferFrom, (payer, stranger, AMOUNT)),
            _signPermission(WALLET_OWNER_KEY, p)
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector,
                permissions.counterfactualDeployer(),
                0,
                AMOUNT
            )
        );
        permissions.approveWithSignature(p, signature);
        assertEq(_balance(address(usdc), payer), INITIAL_BALANCE);
    }
}
