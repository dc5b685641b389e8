// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {MockOperatorWallet} from "../../src/mocks/MockOperatorWallet.sol";
import {MockRefusingWallet} from "../../src/mocks/MockRefusingWallet.sol";
import {RegulatedStablecoin} from "../../src/mocks/RegulatedStablecoin.sol";
import {RegulatedTokenFixture} from "../base/RegulatedTokenFixture.sol";

/// @notice The issuer-controlled stablecoin model's signatures: EIP-2612 `permit` and ERC-3009
///         `transferWithAuthorization` / `receiveWithAuthorization` / `cancelAuthorization`, each with `(v, r, s)` and
///         with the v2.2 `bytes signature` overload; ECDSA for accounts without code, ERC-1271 for contract accounts;
///         and how the blacklist and the pause apply to them.
contract RegulatedStablecoinSignaturesTest is RegulatedTokenFixture {
    uint256 internal constant WALLET_OWNER_KEY = 0xA11CE;
    /// @dev secp256k1's order: `n - s` is the high-s twin of a signature.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    MockOperatorWallet internal wallet;

    function setUp() public override {
        super.setUp();
        // A minimal ERC-1271 contract account: it vouches for hashes its owner key signed.
        wallet = new MockOperatorWallet(vm.addr(WALLET_OWNER_KEY));
        vm.label(address(wallet), "wallet");
        _mint(address(rusdc), address(wallet), 50e6);
    }

    function _sign65(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _transferAuthorization(
        uint256 key,
        address from,
        address to,
        uint256 value,
        uint256 validBefore,
        bytes32 nonce
    ) internal view returns (bytes memory) {
        return
            _sign65(
                key,
                _tokenAuthorizationDigest(
                    address(rusdc),
                    TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
                    from,
                    to,
                    value,
                    0,
                    validBefore,
                    nonce
                )
            );
    }

    function _receiveAuthorization(
        uint256 key,
        address from,
        address to,
        uint256 value,
        uint256 validBefore,
        bytes32 nonce
    ) internal view returns (bytes memory) {
        return
            _sign65(
                key,
                _tokenAuthorizationDigest(
                    address(rusdc),
                    RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
                    from,
                    to,
                    value,
                    0,
                    validBefore,
                    nonce
                )
            );
    }

    function _split(bytes memory signature) internal pure returns (uint8 v, bytes32 r, bytes32 s) {
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
    }

    // ------------------------------------------------------------------------------------------------
    // EIP-2612 permit
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_permitWithVRS() public {
        uint256 deadline = _now() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            PAYER_KEY,
            _tokenPermitDigest(address(rusdc), payer, relayer, 7e6, deadline)
        );
        vm.prank(stranger); // anyone may submit
        rusdc.permit(payer, relayer, 7e6, deadline, v, r, s);
        assertEq(rusdc.allowance(payer, relayer), 7e6);
        assertEq(rusdc.nonces(payer), 1);
    }

    function test_succeeds_permitWithBytesSignature() public {
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _sign65(PAYER_KEY, _tokenPermitDigest(address(rusdc), payer, relayer, 7e6, deadline));
        rusdc.permit(payer, relayer, 7e6, deadline, signature);
        assertEq(rusdc.allowance(payer, relayer), 7e6);
    }

    function test_succeeds_permitThroughItsDeadlineSecond() public {
        // EIP-2612: valid while block.timestamp <= deadline, so a permit signed with the terms' deadline never expires
        // before the terms (which must be paid strictly before it).
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _sign65(PAYER_KEY, _tokenPermitDigest(address(rusdc), payer, relayer, 7e6, deadline));
        vm.warp(deadline);
        rusdc.permit(payer, relayer, 7e6, deadline, signature);
        assertEq(rusdc.allowance(payer, relayer), 7e6);
    }

    function test_succeeds_permitByAContractAccountThroughERC1271() public {
        uint256 deadline = _now() + 1 hours;
        bytes32 digest = _tokenPermitDigest(address(rusdc), address(wallet), relayer, 9e6, deadline);
        rusdc.permit(address(wallet), relayer, 9e6, deadline, _sign65(WALLET_OWNER_KEY, digest));
        assertEq(rusdc.allowance(address(wallet), relayer), 9e6);
        vm.prank(relayer);
        rusdc.transferFrom(address(wallet), merchant, 9e6);
        assertEq(rusdc.balanceOf(merchant), 9e6);
    }

    function test_reverts_when_permitExpired() public {
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _sign65(PAYER_KEY, _tokenPermitDigest(address(rusdc), payer, relayer, 7e6, deadline));
        vm.warp(deadline + 1);
        vm.expectRevert(_reason("FiatTokenV2: permit is expired"));
        rusdc.permit(payer, relayer, 7e6, deadline, signature);
    }

    function test_reverts_when_permitSignedByAnotherKeyOrReplayed() public {
        uint256 deadline = _now() + 1 hours;
        bytes32 digest = _tokenPermitDigest(address(rusdc), payer, relayer, 7e6, deadline);
        vm.expectRevert(_reason("EIP2612: invalid signature"));
        rusdc.permit(payer, relayer, 7e6, deadline, _sign65(OTHER_KEY, digest));
        bytes memory signature = _sign65(PAYER_KEY, digest);
        rusdc.permit(payer, relayer, 7e6, deadline, signature);
        vm.expectRevert(_reason("EIP2612: invalid signature"));
        rusdc.permit(payer, relayer, 7e6, deadline, signature); // the nonce moved on
    }

    function test_reverts_when_aContractAccountRefusesThePermit() public {
        MockRefusingWallet refusing = new MockRefusingWallet(false);
        MockRefusingWallet reverting = new MockRefusingWallet(true);
        uint256 deadline = _now() + 1 hours;
        // The contract is asked, never the signature's ECDSA signer: a key cannot sign for a contract account.
        bytes memory signature = _sign65(
            PAYER_KEY,
            _tokenPermitDigest(address(rusdc), address(refusing), relayer, 1, deadline)
        );
        vm.expectRevert(_reason("EIP2612: invalid signature"));
        rusdc.permit(address(refusing), relayer, 1, deadline, signature);
        signature = _sign65(PAYER_KEY, _tokenPermitDigest(address(rusdc), address(reverting), relayer, 1, deadline));
        vm.expectRevert(_reason("EIP2612: invalid signature"));
        rusdc.permit(address(reverting), relayer, 1, deadline, signature);
    }

    function test_succeeds_permitForAndByBlacklistedAccountsButItCannotBeSpent() public {
        // FiatToken v2.2: permit, like approve, no longer checks the blacklist.
        _blacklist(payer);
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _sign65(PAYER_KEY, _tokenPermitDigest(address(rusdc), payer, relayer, 7e6, deadline));
        rusdc.permit(payer, relayer, 7e6, deadline, signature);
        assertEq(rusdc.allowance(payer, relayer), 7e6);
        vm.prank(relayer);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.transferFrom(payer, merchant, 1);
    }

    function test_reverts_when_permitWhilePaused() public {
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _sign65(PAYER_KEY, _tokenPermitDigest(address(rusdc), payer, relayer, 7e6, deadline));
        (uint8 v, bytes32 r, bytes32 s) = _split(signature);
        _pauseToken();
        vm.expectRevert(_reason(PAUSED));
        rusdc.permit(payer, relayer, 7e6, deadline, signature);
        vm.expectRevert(_reason(PAUSED));
        rusdc.permit(payer, relayer, 7e6, deadline, v, r, s);
    }

    // ------------------------------------------------------------------------------------------------
    // ERC-3009: transferWithAuthorization
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_transferWithAuthorizationByAnySubmitterWithVRS() public {
        uint256 validBefore = _now() + 1 hours;
        bytes32 nonce = keccak256("random nonce");
        (uint8 v, bytes32 r, bytes32 s) = _split(
            _transferAuthorization(PAYER_KEY, payer, merchant, 3e6, validBefore, nonce)
        );
        vm.expectEmit(address(rusdc));
        emit RegulatedStablecoin.AuthorizationUsed(payer, nonce);
        vm.prank(relayer);
        rusdc.transferWithAuthorization(payer, merchant, 3e6, 0, validBefore, nonce, v, r, s);
        assertEq(rusdc.balanceOf(merchant), 3e6);
        assertTrue(rusdc.authorizationState(payer, nonce));
    }

    function test_succeeds_transferWithAuthorizationWithBytesInAnyNonceOrder() public {
        uint256 validBefore = _now() + 1 hours;
        bytes32[3] memory nonces = [keccak256("c"), keccak256("a"), keccak256("b")];
        for (uint256 i; i < 3; ++i) {
            bytes memory signature = _transferAuthorization(PAYER_KEY, payer, merchant, 1e6, validBefore, nonces[i]);
            rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, nonces[i], signature);
        }
        assertEq(rusdc.balanceOf(merchant), 3e6, "random nonces: no order imposed");
    }

    function test_succeeds_transferWithAuthorizationFromAContractAccount() public {
        uint256 validBefore = _now() + 1 hours;
        bytes32 nonce = keccak256("wallet nonce");
        bytes memory signature = _transferAuthorization(
            WALLET_OWNER_KEY,
            address(wallet),
            merchant,
            5e6,
            validBefore,
            nonce
        );
        vm.prank(relayer);
        rusdc.transferWithAuthorization(address(wallet), merchant, 5e6, 0, validBefore, nonce, signature);
        assertEq(rusdc.balanceOf(merchant), 5e6);
        // The (v, r, s) form is packed and handed to the same ERC-1271 check.
        nonce = keccak256("wallet nonce 2");
        (uint8 v, bytes32 r, bytes32 s) = _split(
            _transferAuthorization(WALLET_OWNER_KEY, address(wallet), merchant, 5e6, validBefore, nonce)
        );
        rusdc.transferWithAuthorization(address(wallet), merchant, 5e6, 0, validBefore, nonce, v, r, s);
        assertEq(rusdc.balanceOf(merchant), 10e6);
    }

    function test_reverts_when_aContractAccountRefusesTheAuthorization() public {
        MockRefusingWallet refusing = new MockRefusingWallet(false);
        _mint(address(rusdc), address(refusing), 5e6);
        uint256 validBefore = _now() + 1 hours;
        bytes memory signature = _transferAuthorization(PAYER_KEY, address(refusing), merchant, 5e6, validBefore, 0);
        vm.expectRevert(_reason("FiatTokenV2: invalid signature"));
        rusdc.transferWithAuthorization(address(refusing), merchant, 5e6, 0, validBefore, 0, signature);
        // Another key signing in the wallet's name is refused the same way.
        signature = _transferAuthorization(OTHER_KEY, address(wallet), merchant, 5e6, validBefore, 0);
        vm.expectRevert(_reason("FiatTokenV2: invalid signature"));
        rusdc.transferWithAuthorization(address(wallet), merchant, 5e6, 0, validBefore, 0, signature);
    }

    function test_reverts_when_authorizationOutsideItsWindow() public {
        uint256 validAfter = _now() + 10;
        uint256 validBefore = _now() + 20;
        bytes32 nonce = keccak256("window");
        bytes memory signature = _sign65(
            PAYER_KEY,
            _tokenAuthorizationDigest(
                address(rusdc),
                TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
                payer,
                merchant,
                1e6,
                validAfter,
                validBefore,
                nonce
            )
        );
        vm.warp(validAfter);
        vm.expectRevert(_reason("FiatTokenV2: authorization is not yet valid"));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, validAfter, validBefore, nonce, signature);
        vm.warp(validBefore); // strictly before validBefore: its own second is too late
        vm.expectRevert(_reason("FiatTokenV2: authorization is expired"));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, validAfter, validBefore, nonce, signature);
        vm.warp(validBefore - 1);
        rusdc.transferWithAuthorization(payer, merchant, 1e6, validAfter, validBefore, nonce, signature);
        assertEq(rusdc.balanceOf(merchant), 1e6);
    }

    function test_reverts_when_authorizationReplayedOrTampered() public {
        uint256 validBefore = _now() + 1 hours;
        bytes memory signature = _transferAuthorization(PAYER_KEY, payer, merchant, 1e6, validBefore, 0);
        vm.expectRevert(_reason("FiatTokenV2: invalid signature"));
        rusdc.transferWithAuthorization(payer, stranger, 1e6, 0, validBefore, 0, signature);
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, signature);
        vm.expectRevert(_reason("FiatTokenV2: authorization is used or canceled"));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, signature);
    }

    function test_reverts_when_theSignatureIsMalformed() public {
        uint256 validBefore = _now() + 1 hours;
        bytes memory good = _transferAuthorization(PAYER_KEY, payer, merchant, 1e6, validBefore, 0);
        (uint8 v, bytes32 r, bytes32 s) = _split(good);

        vm.expectRevert(_reason("ECRecover: invalid signature length"));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, abi.encodePacked(r, s));
        // The high-s twin of a valid signature (malleability) is refused.
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        vm.expectRevert(_reason("ECRecover: invalid signature 's' value"));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, v == 27 ? 28 : 27, r, highS);
        vm.expectRevert(_reason("ECRecover: invalid signature 'v' value"));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, 29, r, s);
        vm.expectRevert(_reason("ECRecover: invalid signature"));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, v, bytes32(0), s);
    }

    function test_reverts_when_authorizedTransferInvolvesABlacklistedParty() public {
        uint256 validBefore = _now() + 1 hours;
        bytes memory signature = _transferAuthorization(PAYER_KEY, payer, merchant, 1e6, validBefore, 0);
        _blacklist(payer);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, signature);
        _unBlacklist(payer);
        _blacklist(merchant);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, signature);
        _unBlacklist(merchant);
        // A blacklisted relayer is only a messenger: FiatToken does not check the submitter of a transfer
        // authorization.
        _blacklist(relayer);
        vm.prank(relayer);
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, signature);
        assertEq(rusdc.balanceOf(merchant), 1e6);
    }

    // ------------------------------------------------------------------------------------------------
    // ERC-3009: receiveWithAuthorization
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_receiveWithAuthorizationByThePayeeInBothForms() public {
        uint256 validBefore = _now() + 1 hours;
        bytes memory signature = _receiveAuthorization(PAYER_KEY, payer, merchant, 2e6, validBefore, keccak256("1"));
        vm.prank(merchant);
        rusdc.receiveWithAuthorization(payer, merchant, 2e6, 0, validBefore, keccak256("1"), signature);
        (uint8 v, bytes32 r, bytes32 s) = _split(
            _receiveAuthorization(PAYER_KEY, payer, merchant, 2e6, validBefore, keccak256("2"))
        );
        vm.prank(merchant);
        rusdc.receiveWithAuthorization(payer, merchant, 2e6, 0, validBefore, keccak256("2"), v, r, s);
        assertEq(rusdc.balanceOf(merchant), 4e6);
    }

    function test_succeeds_receiveWithAuthorizationFromAContractAccount() public {
        uint256 validBefore = _now() + 1 hours;
        bytes memory signature = _receiveAuthorization(
            WALLET_OWNER_KEY,
            address(wallet),
            merchant,
            2e6,
            validBefore,
            keccak256("w")
        );
        vm.prank(merchant);
        rusdc.receiveWithAuthorization(address(wallet), merchant, 2e6, 0, validBefore, keccak256("w"), signature);
        assertEq(rusdc.balanceOf(merchant), 2e6);
    }

    function test_reverts_when_receiveWithAuthorizationIsNotSubmittedByThePayee() public {
        // Front-running protection: only `to` may submit, so nobody can move the tokens outside the payee's call.
        uint256 validBefore = _now() + 1 hours;
        bytes memory signature = _receiveAuthorization(PAYER_KEY, payer, merchant, 2e6, validBefore, 0);
        (uint8 v, bytes32 r, bytes32 s) = _split(signature);
        vm.prank(relayer);
        vm.expectRevert(_reason("FiatTokenV2: caller must be the payee"));
        rusdc.receiveWithAuthorization(payer, merchant, 2e6, 0, validBefore, 0, signature);
        vm.prank(relayer);
        vm.expectRevert(_reason("FiatTokenV2: caller must be the payee"));
        rusdc.receiveWithAuthorization(payer, merchant, 2e6, 0, validBefore, 0, v, r, s);
    }

    function test_reverts_when_receiveWithAuthorizationInvolvesABlacklistedParty() public {
        uint256 validBefore = _now() + 1 hours;
        bytes memory signature = _receiveAuthorization(PAYER_KEY, payer, merchant, 2e6, validBefore, 0);
        _blacklist(merchant); // the payee, which is also the caller
        vm.prank(merchant);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.receiveWithAuthorization(payer, merchant, 2e6, 0, validBefore, 0, signature);
        _unBlacklist(merchant);
        _blacklist(payer);
        vm.prank(merchant);
        vm.expectRevert(_reason(BLACKLISTED));
        rusdc.receiveWithAuthorization(payer, merchant, 2e6, 0, validBefore, 0, signature);
    }

    // ------------------------------------------------------------------------------------------------
    // ERC-3009: cancelAuthorization
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_cancelAuthorizationInBothFormsThenItCannotBeUsed() public {
        uint256 validBefore = _now() + 1 hours;
        bytes memory cancel1 = _sign65(PAYER_KEY, _tokenCancellationDigest(address(rusdc), payer, keccak256("1")));
        rusdc.cancelAuthorization(payer, keccak256("1"), cancel1);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            PAYER_KEY,
            _tokenCancellationDigest(address(rusdc), payer, keccak256("2"))
        );
        rusdc.cancelAuthorization(payer, keccak256("2"), v, r, s);
        assertTrue(rusdc.authorizationState(payer, keccak256("1")));
        assertTrue(rusdc.authorizationState(payer, keccak256("2")));

        bytes memory signature = _transferAuthorization(PAYER_KEY, payer, merchant, 1e6, validBefore, keccak256("1"));
        vm.expectRevert(_reason("FiatTokenV2: authorization is used or canceled"));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, keccak256("1"), signature);
        vm.expectRevert(_reason("FiatTokenV2: authorization is used or canceled"));
        rusdc.cancelAuthorization(payer, keccak256("1"), cancel1);
    }

    function test_succeeds_cancelAuthorizationByAContractAccount() public {
        bytes memory signature = _sign65(
            WALLET_OWNER_KEY,
            _tokenCancellationDigest(address(rusdc), address(wallet), keccak256("w"))
        );
        rusdc.cancelAuthorization(address(wallet), keccak256("w"), signature);
        assertTrue(rusdc.authorizationState(address(wallet), keccak256("w")));
    }

    function test_reverts_when_cancellationIsSignedByAnotherKey() public {
        bytes memory signature = _sign65(OTHER_KEY, _tokenCancellationDigest(address(rusdc), payer, keccak256("1")));
        vm.expectRevert(_reason("FiatTokenV2: invalid signature"));
        rusdc.cancelAuthorization(payer, keccak256("1"), signature);
    }

    // ------------------------------------------------------------------------------------------------
    // Pause
    // ------------------------------------------------------------------------------------------------

    function test_reverts_when_transferWithAuthorizationWhilePaused() public {
        uint256 validBefore = _now() + 1 hours;
        bytes memory signature = _transferAuthorization(PAYER_KEY, payer, merchant, 1e6, validBefore, 0);
        (uint8 v, bytes32 r, bytes32 s) = _split(signature);
        _pauseToken();
        vm.expectRevert(_reason(PAUSED));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, signature);
        vm.expectRevert(_reason(PAUSED));
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, v, r, s);
        _unpauseToken();
        rusdc.transferWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, signature);
        assertEq(rusdc.balanceOf(merchant), 1e6, "the same authorization works after unpause");
    }

    function test_reverts_when_receiveWithAuthorizationWhilePaused() public {
        uint256 validBefore = _now() + 1 hours;
        bytes memory signature = _receiveAuthorization(PAYER_KEY, payer, merchant, 1e6, validBefore, 0);
        (uint8 v, bytes32 r, bytes32 s) = _split(signature);
        _pauseToken();
        vm.startPrank(merchant);
        vm.expectRevert(_reason(PAUSED));
        rusdc.receiveWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, signature);
        vm.expectRevert(_reason(PAUSED));
        rusdc.receiveWithAuthorization(payer, merchant, 1e6, 0, validBefore, 0, v, r, s);
        vm.stopPrank();
    }

    function test_reverts_when_cancelAuthorizationWhilePaused() public {
        bytes memory signature = _sign65(PAYER_KEY, _tokenCancellationDigest(address(rusdc), payer, 0));
        (uint8 v, bytes32 r, bytes32 s) = _split(signature);
        _pauseToken();
        vm.expectRevert(_reason(PAUSED));
        rusdc.cancelAuthorization(payer, 0, signature);
        vm.expectRevert(_reason(PAUSED));
        rusdc.cancelAuthorization(payer, 0, v, r, s);
    }
}
