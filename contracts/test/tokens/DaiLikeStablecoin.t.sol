// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {DaiLikeStablecoin} from "../../src/mocks/DaiLikeStablecoin.sol";
import {DaiLikeFixture} from "../base/DaiLikeFixture.sol";

/// @notice The DAI model on its own: metadata and domain, ward auth and minting, transfers with DAI's messages and its
///         unlimited allowance, and DAI's permit (unlimited or zero allowance, nonce, expiry, replay, signer).
contract DaiLikeStablecoinTest is DaiLikeFixture {
    uint256 internal constant MAX = type(uint256).max;

    // ------------------------------------------------------------------------------------------------
    // Metadata, domain, auth
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_metadataAndDomain() public view {
        assertEq(keccak256(bytes(dai.name())), keccak256("Dai Stablecoin"));
        assertEq(keccak256(bytes(dai.symbol())), keccak256("DAI"));
        assertEq(keccak256(bytes(dai.version())), keccak256("1"));
        assertEq(dai.decimals(), 18);
        assertEq(dai.totalSupply(), 3 * DAI_BALANCE);
        assertEq(
            dai.PERMIT_TYPEHASH(),
            0xea2aa0a1be11a07ed86d755c93467f4f82362b452371d1ba94d1715123511acb,
            "DAI's mainnet PERMIT_TYPEHASH"
        );
        bytes32 expected = keccak256(
            abi.encode(EIP712_DOMAIN_TYPEHASH, keccak256("Dai Stablecoin"), keccak256("1"), block.chainid, address(dai))
        );
        assertEq(dai.DOMAIN_SEPARATOR(), expected);
    }

    function test_succeeds_domainFixedAtDeployment() public {
        // As DAI's: stored at deployment, not recomputed on another chain id (a fork keeps the old domain).
        bytes32 before = dai.DOMAIN_SEPARATOR();
        vm.chainId(block.chainid + 1);
        assertEq(dai.DOMAIN_SEPARATOR(), before);
    }

    function test_succeeds_wardsRelyDenyAndMint() public {
        assertEq(dai.wards(address(this)), 1, "the deployer is a ward");
        assertEq(dai.wards(stranger), 0);
        dai.rely(stranger);
        vm.prank(stranger);
        dai.mint(merchant, 5e18);
        assertEq(dai.balanceOf(merchant), 5e18);
        assertEq(dai.totalSupply(), 3 * DAI_BALANCE + 5e18);

        dai.deny(stranger);
        vm.prank(stranger);
        vm.expectRevert(_daiReason("Dai/not-authorized"));
        dai.mint(merchant, 1);
    }

    function test_reverts_when_notAWard() public {
        vm.startPrank(stranger);
        vm.expectRevert(_daiReason("Dai/not-authorized"));
        dai.mint(stranger, 1);
        vm.expectRevert(_daiReason("Dai/not-authorized"));
        dai.rely(stranger);
        vm.expectRevert(_daiReason("Dai/not-authorized"));
        dai.deny(address(this));
        vm.stopPrank();
    }

    // ------------------------------------------------------------------------------------------------
    // Transfers and allowances
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_transferReturnsTrue() public {
        vm.prank(payer);
        assertTrue(dai.transfer(merchant, 1e18));
        assertEq(dai.balanceOf(merchant), 1e18);
        assertEq(dai.balanceOf(payer), DAI_BALANCE - 1e18);
    }

    function test_succeeds_transferFromDecreasesAFiniteAllowance() public {
        vm.prank(payer);
        dai.approve(stranger, 10e18);
        vm.prank(stranger);
        assertTrue(dai.transferFrom(payer, merchant, 4e18));
        assertEq(dai.allowance(payer, stranger), 6e18);
        assertEq(dai.balanceOf(merchant), 4e18);
    }

    function test_succeeds_infiniteAllowanceNeverDecreases() public {
        vm.prank(payer);
        dai.approve(stranger, MAX);
        vm.prank(stranger);
        dai.transferFrom(payer, merchant, 4e18);
        assertEq(dai.allowance(payer, stranger), MAX);
    }

    function test_succeeds_transferFromByTheHolderNeedsNoAllowance() public {
        vm.prank(payer);
        dai.transferFrom(payer, merchant, 1e18);
        assertEq(dai.balanceOf(merchant), 1e18);
    }

    function test_succeeds_aliasesAndBurn() public {
        vm.prank(payer);
        dai.push(merchant, 1e18);
        vm.prank(payer);
        dai.approve(stranger, 3e18);
        vm.prank(stranger);
        dai.pull(payer, 1e18);
        vm.prank(stranger);
        dai.move(payer, merchant, 1e18);
        vm.prank(stranger);
        dai.burn(payer, 1e18);
        assertEq(dai.balanceOf(merchant), 2e18);
        assertEq(dai.balanceOf(stranger), 1e18);
        assertEq(dai.allowance(payer, stranger), 0);
        assertEq(dai.totalSupply(), 3 * DAI_BALANCE - 1e18);
    }

    function test_reverts_when_balanceInsufficient() public {
        vm.prank(stranger);
        vm.expectRevert(_daiReason("Dai/insufficient-balance"));
        dai.transfer(merchant, 1);
    }

    function test_reverts_when_allowanceInsufficient() public {
        vm.prank(payer);
        dai.approve(stranger, 1e18);
        vm.prank(stranger);
        vm.expectRevert(_daiReason("Dai/insufficient-allowance"));
        dai.transferFrom(payer, merchant, 1e18 + 1);
    }

    function test_reverts_when_balanceCheckedBeforeAllowance() public {
        // DAI checks the balance first: with neither, the balance message wins.
        vm.prank(stranger);
        vm.expectRevert(_daiReason("Dai/insufficient-balance"));
        dai.transferFrom(merchant, stranger, 1);
    }

    // ------------------------------------------------------------------------------------------------
    // Permit
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_permitGrantsUnlimitedAllowance() public {
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, stranger, 0, _now() + 1 hours, true);
        vm.prank(relayer); // anyone may submit it
        dai.permit(payer, stranger, 0, _now() + 1 hours, true, v, r, s);
        assertEq(dai.allowance(payer, stranger), MAX);
        assertEq(dai.nonces(payer), 1);
    }

    function test_succeeds_permitNotAllowedRevokes() public {
        vm.prank(payer);
        dai.approve(stranger, 5e18);
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, stranger, 0, 0, false);
        dai.permit(payer, stranger, 0, 0, false, v, r, s);
        assertEq(dai.allowance(payer, stranger), 0);
        assertEq(dai.nonces(payer), 1);
    }

    function test_succeeds_expiryZeroNeverExpires() public {
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, stranger, 0, 0, true);
        vm.warp(type(uint64).max);
        dai.permit(payer, stranger, 0, 0, true, v, r, s);
        assertEq(dai.allowance(payer, stranger), MAX);
    }

    function test_succeeds_permitValidThroughItsExpirySecond() public {
        uint256 expiry = _now() + 100;
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, stranger, 0, expiry, true);
        vm.warp(expiry);
        dai.permit(payer, stranger, 0, expiry, true, v, r, s);
        assertEq(dai.allowance(payer, stranger), MAX);
    }

    function test_reverts_when_permitExpired() public {
        uint256 expiry = _now() + 100;
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, stranger, 0, expiry, true);
        vm.warp(expiry + 1);
        vm.expectRevert(_daiReason("Dai/permit-expired"));
        dai.permit(payer, stranger, 0, expiry, true, v, r, s);
    }

    function test_reverts_when_permitSignedByAnotherKey() public {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(OTHER_KEY, _daiPermitDigest(payer, stranger, 0, 0, true));
        vm.expectRevert(_daiReason("Dai/invalid-permit"));
        dai.permit(payer, stranger, 0, 0, true, v, r, s);
        assertEq(dai.nonces(payer), 0, "nothing consumed");
    }

    function test_reverts_when_permitFieldsChanged() public {
        // Signed for `allowed = false`, submitted as `true`: another digest, another signer.
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, stranger, 0, 0, false);
        vm.expectRevert(_daiReason("Dai/invalid-permit"));
        dai.permit(payer, stranger, 0, 0, true, v, r, s);
    }

    function test_reverts_when_permitNonceWrong() public {
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, stranger, 1, 0, true);
        vm.expectRevert(_daiReason("Dai/invalid-nonce"));
        dai.permit(payer, stranger, 1, 0, true, v, r, s);
    }

    function test_reverts_when_permitReplayed() public {
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, stranger, 0, 0, true);
        dai.permit(payer, stranger, 0, 0, true, v, r, s);
        vm.prank(payer);
        dai.approve(stranger, 0);
        vm.expectRevert(_daiReason("Dai/invalid-nonce"));
        dai.permit(payer, stranger, 0, 0, true, v, r, s);
        assertEq(dai.allowance(payer, stranger), 0, "the replay set nothing");
    }

    function test_reverts_when_permitHolderIsZero() public {
        // ecrecover returns zero for a garbage signature: DAI refuses the zero holder first.
        vm.expectRevert(_daiReason("Dai/invalid-address-0"));
        dai.permit(address(0), stranger, 0, 0, true, 27, bytes32(0), bytes32(0));
    }

    function test_reverts_when_permitSignedForAnotherToken() public {
        DaiLikeStablecoin other = new DaiLikeStablecoin();
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, stranger, 0, 0, true);
        vm.expectRevert(_daiReason("Dai/invalid-permit"));
        other.permit(payer, stranger, 0, 0, true, v, r, s);
    }

    function testFuzz_permitSetsMaxOrZero(bool allowed, uint256 previous) public {
        vm.prank(payer);
        dai.approve(stranger, previous);
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(PAYER_KEY, stranger, 0, 0, allowed);
        dai.permit(payer, stranger, 0, 0, allowed, v, r, s);
        assertEq(dai.allowance(payer, stranger), allowed ? MAX : 0);
    }
}
