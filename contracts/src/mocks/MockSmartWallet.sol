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

    error NotOwner(address caller);
    error SignatureCheckRefused();

    address public immutable owner;
    Behaviour public behaviour;

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
