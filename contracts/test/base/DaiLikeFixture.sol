// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {DaiLikeStablecoin} from "../../src/mocks/DaiLikeStablecoin.sol";
import {EscrowFixture} from "./EscrowFixture.sol";

/// @title DaiLikeFixture
/// @notice {EscrowFixture} plus a DAI-like stablecoin ({DaiLikeStablecoin}, 18 decimals, DAI's own permit).
/// @dev How to use it:
///      - `dai` is the token; this fixture is its only ward, so `_mint` / `_ensureBalance` work for it. Payers and the
///        treasury start with `DAI_BALANCE`.
///      - `_daiTerms(orderId)` gives default terms in DAI (`DAI_AMOUNT`, `DAI_FEE`).
///      - `_daiPermitDigest` is what a holder signs; `_daiPermit(key, spender, nonce, expiry, allowed)` signs it.
///      - `_payWithDaiPermit(terms, payerKey)` signs the payer's permit (its current nonce, `expiry` 0) and pays as
///        the payer, returning the record.
abstract contract DaiLikeFixture is EscrowFixture {
    bytes32 internal constant DAI_PERMIT_TYPEHASH = keccak256(
        "Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)"
    );
    uint256 internal constant DAI_AMOUNT = 100e18; // 100 DAI
    uint256 internal constant DAI_FEE = 2e18; // 2 DAI
    uint256 internal constant DAI_BALANCE = 1_000_000e18;

    DaiLikeStablecoin internal dai;

    function setUp() public virtual override {
        super.setUp();
        dai = DaiLikeStablecoin(
            _deploy("DaiLikeStablecoin.sol:DaiLikeStablecoin", type(DaiLikeStablecoin).creationCode, "")
        );
        vm.label(address(dai), "DAI");
        dai.mint(payer, DAI_BALANCE);
        dai.mint(payer2, DAI_BALANCE);
        dai.mint(treasury, DAI_BALANCE);
    }

    function _daiTerms(bytes32 orderId) internal view returns (IPaymentEscrow.PaymentTerms memory) {
        return _terms(orderId, address(dai), DAI_AMOUNT, DAI_FEE);
    }

    /// @dev The EIP-712 digest of a DAI permit, computed here from the domain's parts (not read from the token).
    function _daiPermitDigest(
        address holder,
        address spender,
        uint256 nonce,
        uint256 expiry,
        bool allowed
    ) internal view returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(EIP712_DOMAIN_TYPEHASH, keccak256("Dai Stablecoin"), keccak256("1"), block.chainid, address(dai))
        );
        bytes32 structHash = keccak256(abi.encode(DAI_PERMIT_TYPEHASH, holder, spender, nonce, expiry, allowed));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /// @dev A DAI permit for `vm.addr(key)` signed by `key`.
    function _daiPermit(
        uint256 key,
        address spender,
        uint256 nonce,
        uint256 expiry,
        bool allowed
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        return vm.sign(key, _daiPermitDigest(vm.addr(key), spender, nonce, expiry, allowed));
    }

    /// @dev Pays `terms` with a DAI permit (current nonce, no expiry) signed by `payerKey`, submitted by the payer.
    function _payWithDaiPermit(
        IPaymentEscrow.PaymentTerms memory terms,
        uint256 payerKey
    ) internal returns (IPaymentEscrow.Payment memory payment) {
        address from = vm.addr(payerKey);
        bytes memory signature = _signTerms(terms);
        uint256 nonce = dai.nonces(from);
        (uint8 v, bytes32 r, bytes32 s) = _daiPermit(payerKey, address(escrow), nonce, 0, true);
        vm.prank(from);
        escrow.payWithDaiPermit(terms, signature, nonce, 0, v, r, s);
        payment = _record(terms, from, from, _now() + terms.escrowPeriod);
    }

    /// @dev Revert data of `require(condition, reason)`.
    function _daiReason(string memory reason) internal pure returns (bytes memory) {
        return abi.encodeWithSignature("Error(string)", reason);
    }
}
