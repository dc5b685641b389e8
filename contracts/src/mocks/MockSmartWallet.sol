// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title MockSmartWallet
/// @notice A minimal smart-contract account for tests, like a Safe or Coinbase Smart Wallet with one owner key: it
///         accepts a hash (ERC-1271) that carries its owner's ECDSA signature, and its owner makes it call contracts.
///         `setBehaviour` turns it into a broken or lying signer: one whose `isValidSignature` reverts, or answers a
///         value other than the ERC-1271 magic. Tests only.
contract MockSmartWallet is IERC1271 {
    enum Behaviour {
        Honest,
        Reverts,
        WrongMagic
    }

    /// @notice One call of a batch.
    struct Call {
        address target;
        bytes data;
    }

    error NotOwner(address caller);
    error SignatureCheckRefused();
    error BadBatchSignature();

    address public immutable owner;
    Behaviour public behaviour;
    /// @notice Batches sent with the owner's signature so far: each signature is good once.
    uint256 public nonce;

    constructor(address owner_) {
        owner = owner_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (behaviour == Behaviour.Reverts) revert SignatureCheckRefused();
        if (behaviour == Behaviour.WrongMagic) return 0x00000001;
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == owner) return IERC1271.isValidSignature.selector;
        return 0xffffffff;
    }

    function setBehaviour(Behaviour next) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        behaviour = next;
    }

    /// @notice Call `target` with `data` as this wallet; bubbles a revert.
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        return Address.functionCall(target, data);
    }

    /// @notice Makes every call of `calls` in order, all or none (an EIP-5792 atomic batch); the owner sends it.
    function executeBatch(Call[] calldata calls) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _executeBatch(calls);
    }

    /// @notice {executeBatch} sent by anyone with the owner's signature of the batch: how a bundler submits a user
    ///         operation whose gas a paymaster sponsors, so neither the wallet nor its owner pays gas.
    function executeBatchSigned(Call[] calldata calls, bytes calldata ownerSignature) external {
        bytes32 digest = batchDigest(calls, nonce);
        if (ECDSA.recoverCalldata(digest, ownerSignature) != owner) revert BadBatchSignature();
        ++nonce;
        _executeBatch(calls);
    }

    /// @notice What the owner signs (a plain hash, no prefix) for {executeBatchSigned} with `nonce_`.
    function batchDigest(Call[] calldata calls, uint256 nonce_) public view returns (bytes32) {
        return keccak256(abi.encode(address(this), block.chainid, nonce_, calls));
    }

    function _executeBatch(Call[] calldata calls) private {
        for (uint256 i; i < calls.length; ++i) Address.functionCall(calls[i].target, calls[i].data);
    }
}

/// @title MockSmartWalletFactory
/// @notice Deploys {MockSmartWallet}s at CREATE2 addresses known before deployment, as account factories of ERC-4337
///         wallets do: a counterfactual wallet can receive tokens and sign (ERC-6492) before it exists. Tests only.
contract MockSmartWalletFactory {
    /// @notice Deploys the wallet of `owner` and `salt` (reverts if it exists).
    function deploy(address owner, bytes32 salt) external returns (address wallet) {
        wallet = address(new MockSmartWallet{salt: salt}(owner));
    }

    /// @notice Where {deploy} puts the wallet of `owner` and `salt`.
    function addressOf(address owner, bytes32 salt) external view returns (address) {
        bytes32 codeHash = keccak256(abi.encodePacked(type(MockSmartWallet).creationCode, abi.encode(owner)));
        return Create2.computeAddress(salt, codeHash);
    }
}
