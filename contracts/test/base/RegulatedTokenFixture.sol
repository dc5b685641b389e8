// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {RegulatedStablecoin} from "../../src/mocks/RegulatedStablecoin.sol";
import {RegulatedStablecoinProxy} from "../../src/mocks/RegulatedStablecoinProxy.sol";
import {EscrowFixture} from "./EscrowFixture.sol";

/// @title RegulatedTokenFixture
/// @notice {EscrowFixture} plus an issuer-controlled stablecoin: a {RegulatedStablecoin} ("rUSDC", 6 decimals) behind
///         its {RegulatedStablecoinProxy}, so every token call goes through a delegatecall as on mainnet USDC.
/// @dev How to use it:
///      - `rusdc` is the token at the proxy's address (use it everywhere a token address is needed);
///        `rusdcImplementation` is the logic contract behind it.
///      - Issuer roles are separate accounts: `proxyAdmin` (upgrades; cannot use the token), `issuerOwner`,
///        `issuerPauser`, `issuerBlacklister`. This fixture is the master minter and a minter with an unlimited
///        allowance, so `_mint` / `_ensureBalance` work for rUSDC (not while paused, not to a blacklisted account).
///      - `_blacklist`, `_unBlacklist`, `_pauseToken`, `_unpauseToken` act as the issuer; `_reason("...")` is the
///        revert data of a `require` reason string (what the token reverts with).
///      - `_tokenAuthorizationDigest`, `_tokenCancellationDigest`, `_tokenPermitDigest` give what a holder signs on
///        a RegulatedStablecoin; `_escrowAuthorization` / `_payWithTokenAuthorization` sign and pay an order by
///        ERC-3009 as Pier's clients do. Payers and the treasury start with `INITIAL_BALANCE` rUSDC.
abstract contract RegulatedTokenFixture is EscrowFixture {
    string internal constant BLACKLISTED = "Blacklistable: account is blacklisted";
    string internal constant PAUSED = "Pausable: paused";
    bytes32 internal constant ERC6492_SUFFIX = 0x6492649264926492649264926492649264926492649264926492649264926492;

    bytes32 internal constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,"
        "uint256 validBefore,bytes32 nonce)"
    );

    address internal proxyAdmin;
    address internal issuerOwner;
    address internal issuerPauser;
    address internal issuerBlacklister;

    RegulatedStablecoin internal rusdc;
    RegulatedStablecoin internal rusdcImplementation;

    function setUp() public virtual override {
        super.setUp();
        proxyAdmin = _actor("proxyAdmin");
        issuerOwner = _actor("issuerOwner");
        issuerPauser = _actor("issuerPauser");
        issuerBlacklister = _actor("issuerBlacklister");
        (rusdc, rusdcImplementation) = _deployRegulatedStablecoin("Regulated USD Coin", "rUSDC", "USD");
        vm.label(address(rusdc), "rUSDC");
        vm.label(address(rusdcImplementation), "rUSDC implementation");
        _mint(address(rusdc), payer, INITIAL_BALANCE);
        _mint(address(rusdc), payer2, INITIAL_BALANCE);
        _mint(address(rusdc), treasury, INITIAL_BALANCE);
    }

    /// @dev A fresh implementation and proxy, initialized through the proxy, with this fixture as (master) minter.
    function _deployRegulatedStablecoin(
        string memory tokenName,
        string memory tokenSymbol,
        string memory tokenCurrency
    ) internal returns (RegulatedStablecoin token, RegulatedStablecoin implementation) {
        implementation = new RegulatedStablecoin();
        bytes memory init = abi.encodeCall(
            RegulatedStablecoin.initialize,
            (tokenName, tokenSymbol, tokenCurrency, 6, address(this), issuerPauser, issuerBlacklister, issuerOwner)
        );
        token = RegulatedStablecoin(address(new RegulatedStablecoinProxy(address(implementation), proxyAdmin, init)));
        token.configureMinter(address(this), type(uint256).max);
    }

    function _blacklist(address account) internal {
        vm.prank(issuerBlacklister);
        rusdc.blacklist(account);
    }

    function _unBlacklist(address account) internal {
        vm.prank(issuerBlacklister);
        rusdc.unBlacklist(account);
    }

    function _pauseToken() internal {
        vm.prank(issuerPauser);
        rusdc.pause();
    }

    function _unpauseToken() internal {
        vm.prank(issuerPauser);
        rusdc.unpause();
    }

    /// @dev Revert data of `require(condition, reason)`.
    function _reason(string memory reason) internal pure returns (bytes memory) {
        return abi.encodeWithSignature("Error(string)", reason);
    }

    /// @dev The EIP-712 digest of `structHash` under `token`'s domain.
    function _tokenDigest(address token, bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", RegulatedStablecoin(token).DOMAIN_SEPARATOR(), structHash));
    }

    /// @dev The EIP-712 digest of an ERC-3009 authorization (`typehash` transfer or receive) on `token`.
    function _tokenAuthorizationDigest(
        address token,
        bytes32 typehash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) internal view returns (bytes32) {
        return _tokenDigest(token, keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce)));
    }

    /// @dev The EIP-712 digest of an ERC-3009 cancellation on `token`.
    function _tokenCancellationDigest(
        address token,
        address authorizer,
        bytes32 nonce
    ) internal view returns (bytes32) {
        return _tokenDigest(token, keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)));
    }

    /// @dev The EIP-712 digest of an EIP-2612 permit on `token`, at `holder`'s current nonce.
    function _tokenPermitDigest(
        address token,
        address holder,
        address spender,
        uint256 value,
        uint256 deadline
    ) internal view returns (bytes32) {
        uint256 nonce = RegulatedStablecoin(token).nonces(holder);
        return _tokenDigest(token, keccak256(abi.encode(PERMIT_TYPEHASH, holder, spender, value, nonce, deadline)));
    }

    /// @dev The authorization Pier's clients sign to pay `terms` (in a RegulatedStablecoin) through the escrow:
    ///      receive to the escrow, exactly the amount, valid until the terms' deadline, nonce = the terms' digest.
    function _escrowAuthorization(
        IPaymentEscrow.PaymentTerms memory terms,
        uint256 payerKey
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        bytes32 structHash = keccak256(
            abi.encode(
                RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
                vm.addr(payerKey),
                address(escrow),
                terms.amount,
                0,
                terms.deadline,
                _digest(terms, address(escrow), block.chainid)
            )
        );
        return vm.sign(payerKey, _tokenDigest(terms.token, structHash));
    }

    /// @dev {_escrowAuthorization} as `bytes` for `from`, signed by `signerKey`: a smart wallet's authorization is
    ///      its owner key's signature, which the wallet vouches for through ERC-1271.
    function _escrowAuthorizationBytes(
        IPaymentEscrow.PaymentTerms memory terms,
        address from,
        uint256 signerKey
    ) internal view returns (bytes memory) {
        bytes32 digest = _tokenAuthorizationDigest(
            terms.token,
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            address(escrow),
            terms.amount,
            0,
            terms.deadline,
            _digest(terms, address(escrow), block.chainid)
        );
        return _sign(signerKey, digest);
    }

    /// @dev An ERC-6492 signature: `inner`, valid once `factory` has been called with `factoryCalldata`.
    function _wrap6492(
        address factory,
        bytes memory factoryCalldata,
        bytes memory inner
    ) internal pure returns (bytes memory) {
        return abi.encodePacked(abi.encode(factory, factoryCalldata, inner), ERC6492_SUFFIX);
    }

    /// @dev Pays `terms` with {_escrowAuthorization} by `payerKey`, submitted by `submitter`.
    function _payWithTokenAuthorization(
        IPaymentEscrow.PaymentTerms memory terms,
        uint256 payerKey,
        address submitter
    ) internal returns (IPaymentEscrow.Payment memory payment) {
        address from = vm.addr(payerKey);
        (uint8 v, bytes32 r, bytes32 s) = _escrowAuthorization(terms, payerKey);
        bytes memory signature = _signTerms(terms);
        vm.prank(submitter);
        escrow.payWithAuthorization(terms, signature, from, 0, terms.deadline, v, r, s);
        payment = _record(terms, from, from, _now() + terms.escrowPeriod);
    }
}
