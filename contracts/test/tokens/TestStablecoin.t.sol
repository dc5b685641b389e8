// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";

import {EscrowFixture} from "../base/EscrowFixture.sol";

/// @notice The USDC-like test token: metadata, owner-only mint, EIP-2612 and ERC-3009.
contract TestStablecoinTest is EscrowFixture {
    bytes32 internal constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,"
        "uint256 validBefore,bytes32 nonce)"
    );

    function test_succeeds_metadata() public view {
        assertEq(keccak256(bytes(usdc.name())), keccak256("Test USD Coin"));
        assertEq(keccak256(bytes(usdc.symbol())), keccak256("tUSDC"));
        assertEq(usdc.decimals(), 6);
        assertEq(usdc.owner(), address(this));
        (, string memory name, string memory version, uint256 chainId, address verifyingContract, , ) = usdc
            .eip712Domain();
        assertEq(keccak256(bytes(name)), keccak256("Test USD Coin"));
        assertEq(keccak256(bytes(version)), keccak256("1"));
        assertEq(chainId, block.chainid);
        assertEq(verifyingContract, address(usdc));
    }

    function test_succeeds_mintByOwner() public {
        usdc.mint(stranger, 5e6);
        assertEq(usdc.balanceOf(stranger), 5e6);
    }

    function test_reverts_when_mintByNonOwner() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        usdc.mint(stranger, 1);
    }

    function test_succeeds_permit() public {
        uint256 deadline = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permitSignature(address(usdc), PAYER_KEY, stranger, 7e6, deadline);
        usdc.permit(payer, stranger, 7e6, deadline, v, r, s);
        assertEq(usdc.allowance(payer, stranger), 7e6);
        assertEq(usdc.nonces(payer), 1);
    }

    function test_succeeds_transferWithAuthorizationByAnyone() public {
        bytes32 nonce = keccak256("n1");
        uint256 validBefore = _now() + 1 hours;
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                usdc.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, payer, merchant, 3e6, 0, validBefore, nonce))
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(PAYER_KEY, digest);
        vm.prank(relayer);
        usdc.transferWithAuthorization(payer, merchant, 3e6, 0, validBefore, nonce, v, r, s);
        assertEq(usdc.balanceOf(merchant), 3e6);
        assertTrue(usdc.authorizationState(payer, nonce));
    }

    function test_succeeds_receiveWithAuthorizationByThePayee() public {
        bytes32 nonce = keccak256("n2");
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(PAYER_KEY, merchant, 3e6, 0, validBefore, nonce);
        vm.prank(merchant);
        usdc.receiveWithAuthorization(payer, merchant, 3e6, 0, validBefore, nonce, v, r, s);
        assertEq(usdc.balanceOf(merchant), 3e6);
    }

    function test_reverts_when_receiveWithAuthorizationByAnotherCaller() public {
        bytes32 nonce = keccak256("n3");
        uint256 validBefore = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(PAYER_KEY, merchant, 3e6, 0, validBefore, nonce);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, merchant));
        usdc.receiveWithAuthorization(payer, merchant, 3e6, 0, validBefore, nonce, v, r, s);
    }

    function test_succeeds_cancelAuthorization() public {
        bytes32 nonce = keccak256("n4");
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                usdc.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, payer, nonce))
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(PAYER_KEY, digest);
        usdc.cancelAuthorization(payer, nonce, v, r, s);
        assertTrue(usdc.authorizationState(payer, nonce));
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009UsedAuthorization.selector, payer, nonce));
        usdc.cancelAuthorization(payer, nonce, v, r, s);
    }
}
