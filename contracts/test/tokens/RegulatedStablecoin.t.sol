// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {RegulatedStablecoin} from "../../src/mocks/RegulatedStablecoin.sol";
import {RegulatedStablecoinProxy} from "../../src/mocks/RegulatedStablecoinProxy.sol";
import {RegulatedTokenFixture} from "../base/RegulatedTokenFixture.sol";

/// @notice The issuer-controlled stablecoin model (FiatToken v2.2 behaviour) behind its proxy: setup and roles,
///         minting, ERC-20 details, the blacklist (sender, receiver and caller) and the pause. Signatures (EIP-2612,
///         ERC-3009, ERC-1271) are in RegulatedStablecoinSignatures.t.sol.
contract RegulatedStablecoinTest is RegulatedTokenFixture {
    // ------------------------------------------------------------------------------------------------
    // Setup, proxy and roles
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_metadataAndRolesReadThroughTheProxy() public view {
        assertEq(keccak256(bytes(rusdc.name())), keccak256("Regulated USD Coin"));
        assertEq(keccak256(bytes(rusdc.symbol())), keccak256("rUSDC"));
        assertEq(keccak256(bytes(rusdc.currency())), keccak256("USD"));
        assertEq(keccak256(bytes(rusdc.version())), keccak256("2"));
        assertEq(rusdc.decimals(), 6);
        assertEq(rusdc.owner(), issuerOwner);
        assertEq(rusdc.pauser(), issuerPauser);
        assertEq(rusdc.blacklister(), issuerBlacklister);
        assertEq(rusdc.masterMinter(), address(this));
        assertEq(rusdc.totalSupply(), 3 * INITIAL_BALANCE);
        bytes32 expected = keccak256(
            abi.encode(
                EIP712_DOMAIN_TYPEHASH,
                keccak256("Regulated USD Coin"),
                keccak256("2"),
                block.chainid,
                address(rusdc)
            )
        );
        assertEq(rusdc.DOMAIN_SEPARATOR(), expected, "domain: name, version 2, chain id, the proxy's address");
    }

    function test_succeeds_storingEverythingInTheProxy() public view {
        RegulatedStablecoinProxy proxy = RegulatedStablecoinProxy(payable(address(rusdc)));
        assertEq(proxy.implementation(), address(rusdcImplementation));
        assertEq(proxy.admin(), proxyAdmin);
        // The implementation is only code: it holds no token state of its own.
        assertEq(bytes(rusdcImplementation.name()).length, 0);
        assertEq(rusdcImplementation.balanceOf(payer), 0);
        assertEq(rusdc.balanceOf(payer), INITIAL_BALANCE);
    }

    function test_succeeds_domainFollowingTheChainId() public {
        bytes32 before = rusdc.DOMAIN_SEPARATOR();
        vm.chainId(block.chainid + 1);
        assertNotEq(rusdc.DOMAIN_SEPARATOR(), before);
    }

    function test_succeeds_upgradeKeepingBalancesAllowancesAndBlacklist() public {
        vm.prank(payer);
        rusdc.approve(stranger, 5e6);
        _blacklist(merchant);
        RegulatedStablecoin next = new RegulatedStablecoin();
        RegulatedStablecoinProxy proxy = RegulatedStablecoinProxy(payable(address(rusdc)));

        vm.prank(proxyAdmin);
        proxy.upgradeTo(address(next));

        assertEq(proxy.implementation(), address(next));
        assertEq(rusdc.balanceOf(payer), INITIAL_BALANCE);
        assertEq(rusdc.allowance(payer, stranger), 5e6);
        assertTrue(rusdc.isBlacklisted(merchant));
        assertEq(rusdc.owner(), issuerOwner);
    }

    function test_succeeds_upgradeToAndCallRunningAMigrationInTheProxy() public {
        RegulatedStablecoin next = new RegulatedStablecoin();
        RegulatedStablecoinProxy proxy = RegulatedStablecoinProxy(payable(address(rusdc)));
        vm.prank(proxyAdmin);
        proxy.upgradeToAndCall(address(next), abi.encodeCall(RegulatedStablecoin.balanceOf, (payer)));
        assertEq(proxy.implementation(), address(next));
    }

    function test_succeeds_changingTheAdmin() public {
        RegulatedStablecoinProxy proxy = RegulatedStablecoinProxy(payable(address(rusdc)));
        vm.prank(proxyAdmin);
        proxy.changeAdmin(stranger);
        assertEq(proxy.admin(), stranger);
        // The old admin is now an ordinary user of the token.
        vm.prank(proxyAdmin);
        assertEq(rusdc.balanceOf(proxyAdmin), 0);
    }

    function test_reverts_when_theAdminUsesTheToken() public {
        vm.prank(proxyAdmin);
        vm.expectRevert(_reason("Cannot call fallback function from the proxy admin"));
        rusdc.balanceOf(payer);
    }

    function test_reverts_when_theAdminSendsEther() public {
        vm.deal(proxyAdmin, 1 ether);
        vm.prank(proxyAdmin);
        (bool ok, bytes memory err) = address(rusdc).call{value: 1}("");
        assertFalse(ok);
        assertEq(err, _reason("Cannot call fallback function from the proxy admin"));
    }

    function test_reverts_when_etherIsSentToTheToken() public {
        vm.deal(stranger, 1 ether);
        vm.prank(stranger);
        (bool ok, ) = address(rusdc).call{value: 1}("");
        assertFalse(ok, "the token has no receive function");
    }

    function test_reverts_when_someoneElseCallsTheAdminFunctions() public {
        // For anyone but the admin, the call falls through to the token, which has no such function.
        RegulatedStablecoinProxy proxy = RegulatedStablecoinProxy(payable(address(rusdc)));
        RegulatedStablecoin next = new RegulatedStablecoin();
        vm.prank(issuerOwner);
        vm.expectRevert();
        proxy.upgradeTo(address(next));
        vm.prank(issuerOwner);
        vm.expectRevert();
        proxy.changeAdmin(stranger);
        assertEq(proxy.implementation(), address(rusdcImplementation));
    }

    function test_reverts_when_theAdminIsSetToZero() public {
        RegulatedStablecoinProxy proxy = RegulatedStablecoinProxy(payable(address(rusdc)));
        vm.prank(proxyAdmin);
        vm.expectRevert(_reason("Cannot change the admin of a proxy to the zero address"));
        proxy.changeAdmin(address(0));
    }

    function test_reverts_when_initializedTwice() public {
        vm.expectRevert(_reason("FiatToken: contract is already initialized"));
        rusdc.initialize("X", "X", "X", 6, stranger, stranger, stranger, stranger);
        vm.expectRevert(_reason("FiatToken: contract is already initialized"));
        rusdcImplementation.initialize("X", "X", "X", 6, stranger, stranger, stranger, stranger);
    }

    function test_reverts_when_initializedWithAZeroRole() public {
        RegulatedStablecoin implementation = new RegulatedStablecoin();
        string[4] memory reasons = [
            "FiatToken: new masterMinter is the zero address",
            "FiatToken: new pauser is the zero address",
            "FiatToken: new blacklister is the zero address",
            "FiatToken: new owner is the zero address"
        ];
        for (uint256 i; i < 4; ++i) {
            address[4] memory r = [stranger, stranger, stranger, stranger];
            r[i] = address(0);
            bytes memory init = abi.encodeCall(
                RegulatedStablecoin.initialize,
                ("X", "X", "X", 6, r[0], r[1], r[2], r[3])
            );
            vm.expectRevert(_reason(reasons[i]));
            new RegulatedStablecoinProxy(address(implementation), proxyAdmin, init);
        }
    }

    function test_succeeds_ownerReassigningRoles() public {
        vm.startPrank(issuerOwner);
        rusdc.updatePauser(stranger);
        rusdc.updateBlacklister(stranger);
        rusdc.updateMasterMinter(stranger);
        rusdc.transferOwnership(stranger);
        vm.stopPrank();
        assertEq(rusdc.pauser(), stranger);
        assertEq(rusdc.blacklister(), stranger);
        assertEq(rusdc.masterMinter(), stranger);
        assertEq(rusdc.owner(), stranger);
    }

    function test_reverts_when_rolesAreReassignedByOthersOrToZero() public {
        vm.startPrank(stranger);
        vm.expectRevert(_reason("Ownable: caller is not the owner"));
        rusdc.updatePauser(stranger);
        vm.expectRevert(_reason("Ownable: caller is not the owner"));
        rusdc.updateBlacklister(stranger);
        vm.expectRevert(_reason("Ownable: caller is not the owner"));
        rusdc.updateMasterMinter(stranger);
        vm.expectRevert(_reason("Ownable: caller is not the owner"));
        rusdc.transferOwnership(stranger);
        vm.stopPrank();
        vm.startPrank(issuerOwner);
        vm.expectRevert(_reason("Pausable: new pauser is the zero address"));
        rusdc.updatePauser(address(0));
        vm.expectRevert(_reason("Blacklistable: new blacklister is the zero address"));
        rusdc.updateBlacklister(address(0));
        vm.expectRevert(_reason("FiatToken: new masterMinter is the zero address"));
        rusdc.updateMasterMinter(address(0));
        vm.expectRevert(_reason("Ownable: new owner is the zero address"));
        rusdc.transferOwnership(address(0));
        vm.stopPrank();
    }

    // ------------------------------------------------------------------------------------------------
    // Minting
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_mintingWithinTheMinterAllowance() public {
        rusdc.configureMinter(relayer, 10e6);
        assertTrue(rusdc.isMinter(relayer));
        vm.prank(relayer);
        rusdc.mint(stranger, 4e6);
        assertEq(rusdc.balanceOf(stranger), 4e6);
        assertEq(rusdc.minterAllowance(relayer), 6e6);
        vm.prank(relayer);
        vm.expectRevert(_reason("FiatToken: mint amount exceeds minterAllowance"));
        rusdc.mint(stranger, 6e6 + 1);
    }

    function test_reverts_when_mintingWithoutBeingAMinter() public {
        vm.prank(stranger);
        vm.expectRevert(_reason("FiatToken: caller is not a minter"));
        rusdc.mint(stranger, 1);
        rusdc.configureMinter(relayer, 10e6);
        rusdc.removeMinter(relayer);
        assertFalse(rusdc.isMinter(relayer));
        assertEq(rusdc.minterAllowance(relayer), 0);
        vm.prank(relayer);
        vm.expectRevert(_reason("FiatToken: caller is not a minter"));
        rusdc.mint(stranger, 1);
    }

    function test_reverts_when_mintersAreConfiguredByOthers() public {
        vm.startPrank(stranger);
        vm.expectRevert(_reason("FiatToken: caller is not the masterMinter"));
        rusdc.configureMinter(stranger, 1);
        vm.expectRevert(_reason("FiatToken: caller is not the masterMinter"));
        rusdc.removeMinter(address(this));
        vm.stopPrank();
    }

    function test_reverts_when_mintingZeroOrToZero() public {
        vm.expectRevert(_reason("FiatToken: mint to the zero address"));
        rusdc.mint(address(0), 1);
        vm.expectRevert(_reason("FiatToken: mint amount not greater than 0"));
        rusdc.mint(stranger, 0);
    }

    function test_reverts_when_aBalanceWouldReachTheBlacklistBit() public {
        // v2.2 keeps the blacklist flag in the top bit of the balance slot: balances stay below 2^255.
        vm.expectRevert(_reason("FiatTokenV2_2: Balance exceeds (2^255 - 1)"));
        rusdc.mint(stranger, 1 << 255);
    }

    function test_reverts_when_mintingToOrByABlacklistedAccount() public {
        _blacklist(stranger);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.mint(stranger, 1);
        _blacklist(address(this));
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.mint(merchant, 1);
    }

    // ------------------------------------------------------------------------------------------------
    // ERC-20
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_transferAndTransferFromSpendingTheWholeAllowance() public {
        vm.prank(payer);
        assertTrue(rusdc.transfer(merchant, 3e6));
        assertEq(rusdc.balanceOf(merchant), 3e6);

        // No infinite allowance: even the largest approval is spent down.
        vm.prank(payer);
        assertTrue(rusdc.approve(relayer, type(uint256).max));
        vm.prank(relayer);
        assertTrue(rusdc.transferFrom(payer, merchant2, 2e6));
        assertEq(rusdc.allowance(payer, relayer), type(uint256).max - 2e6);
        assertEq(rusdc.balanceOf(merchant2), 2e6);
        assertEq(rusdc.balanceOf(payer), INITIAL_BALANCE - 5e6);
    }

    function test_reverts_when_transferExceedsBalanceOrAllowance() public {
        vm.prank(stranger);
        vm.expectRevert(_reason("ERC20: transfer amount exceeds balance"));
        rusdc.transfer(merchant, 1);
        vm.prank(payer);
        rusdc.approve(relayer, 1e6);
        vm.prank(relayer);
        vm.expectRevert(_reason("ERC20: transfer amount exceeds allowance"));
        rusdc.transferFrom(payer, merchant, 1e6 + 1);
    }

    function test_reverts_when_transferringToZeroOrApprovingZero() public {
        vm.prank(payer);
        vm.expectRevert(_reason("ERC20: transfer to the zero address"));
        rusdc.transfer(address(0), 1);
        vm.prank(payer);
        vm.expectRevert(_reason("ERC20: approve to the zero address"));
        rusdc.approve(address(0), 1);
    }

    // ------------------------------------------------------------------------------------------------
    // Blacklist: sender, receiver and caller
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_blacklistingOnlyByTheBlacklister() public {
        vm.prank(stranger);
        vm.expectRevert(_reason("Blacklistable: caller is not the blacklister"));
        rusdc.blacklist(merchant);
        vm.expectEmit(address(rusdc));
        emit RegulatedStablecoin.Blacklisted(merchant);
        _blacklist(merchant);
        assertTrue(rusdc.isBlacklisted(merchant));
        vm.prank(stranger);
        vm.expectRevert(_reason("Blacklistable: caller is not the blacklister"));
        rusdc.unBlacklist(merchant);
        _unBlacklist(merchant);
        assertFalse(rusdc.isBlacklisted(merchant));
    }

    function test_succeeds_blacklistingTheTokenItselfAtInitialization() public {
        assertTrue(rusdc.isBlacklisted(address(rusdc)));
        vm.prank(payer);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.transfer(address(rusdc), 1);
    }

    function test_reverts_when_aBlacklistedSenderTransfers() public {
        _blacklist(payer);
        vm.prank(payer);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.transfer(merchant, 1);
        assertEq(rusdc.balanceOf(payer), INITIAL_BALANCE, "frozen balance untouched");
    }

    function test_reverts_when_transferringToABlacklistedReceiver() public {
        _blacklist(merchant);
        vm.prank(payer);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.transfer(merchant, 1);
    }

    function test_reverts_when_transferFromInvolvesABlacklistedCallerSenderOrReceiver() public {
        vm.prank(payer);
        rusdc.approve(relayer, 10e6);
        address[3] memory parties = [relayer, payer, merchant]; // caller (spender), from, to
        for (uint256 i; i < 3; ++i) {
            _blacklist(parties[i]);
            vm.prank(relayer);
            vm.expectRevert(_reason(BLACKLISTED));
            rusdc.transferFrom(payer, merchant, 1e6);
            _unBlacklist(parties[i]);
        }
        vm.prank(relayer);
        rusdc.transferFrom(payer, merchant, 1e6);
        assertEq(rusdc.balanceOf(merchant), 1e6, "works once nobody is blacklisted");
    }

    function test_succeeds_approvingWhileBlacklistedButTheAllowanceIsUseless() public {
        // FiatToken v2.2 lets blacklisted accounts approve (and permit); every transfer still checks the blacklist.
        _blacklist(payer);
        _blacklist(relayer);
        vm.prank(payer);
        rusdc.approve(relayer, 10e6);
        assertEq(rusdc.allowance(payer, relayer), 10e6);
        vm.prank(relayer);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.transferFrom(payer, merchant, 1e6);
    }

    function test_succeeds_keepingABlacklistedBalanceUntilUnblacklisted() public {
        _blacklist(payer);
        assertEq(rusdc.balanceOf(payer), INITIAL_BALANCE, "the flag does not show in the balance");
        _blacklist(payer); // twice: still one flag
        assertEq(rusdc.balanceOf(payer), INITIAL_BALANCE);
        vm.prank(payer);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.transfer(merchant, 1e6);
        _unBlacklist(payer);
        vm.prank(payer);
        rusdc.transfer(merchant, 1e6);
        assertEq(rusdc.balanceOf(merchant), 1e6);
    }

    // ------------------------------------------------------------------------------------------------
    // Pause
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_pausingOnlyByThePauser() public {
        vm.prank(stranger);
        vm.expectRevert(_reason("Pausable: caller is not the pauser"));
        rusdc.pause();
        vm.expectEmit(address(rusdc));
        emit RegulatedStablecoin.Pause();
        _pauseToken();
        assertTrue(rusdc.paused());
        vm.prank(stranger);
        vm.expectRevert(_reason("Pausable: caller is not the pauser"));
        rusdc.unpause();
        _unpauseToken();
        assertFalse(rusdc.paused());
    }

    function test_reverts_when_pausedForTransferTransferFromApproveMintAndConfigureMinter() public {
        vm.prank(payer);
        rusdc.approve(relayer, 10e6);
        _pauseToken();
        vm.prank(payer);
        vm.expectRevert(_reason(PAUSED));
        rusdc.transfer(merchant, 1);
        vm.prank(relayer);
        vm.expectRevert(_reason(PAUSED));
        rusdc.transferFrom(payer, merchant, 1);
        vm.prank(payer);
        vm.expectRevert(_reason(PAUSED));
        rusdc.approve(relayer, 1);
        vm.expectRevert(_reason(PAUSED));
        rusdc.mint(merchant, 1);
        vm.expectRevert(_reason(PAUSED));
        rusdc.configureMinter(relayer, 1);

        _unpauseToken();
        vm.prank(relayer);
        rusdc.transferFrom(payer, merchant, 1);
        assertEq(rusdc.balanceOf(merchant), 1, "everything works again after unpause");
    }

    function test_succeeds_blacklistingAndRemovingMintersWhilePaused() public {
        _pauseToken();
        _blacklist(merchant);
        rusdc.removeMinter(address(this));
        assertTrue(rusdc.isBlacklisted(merchant));
        assertFalse(rusdc.isMinter(address(this)));
    }
}
