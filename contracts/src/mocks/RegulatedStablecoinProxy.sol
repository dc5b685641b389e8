// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Proxy} from "@openzeppelin/contracts/proxy/Proxy.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

// Reverts with the reason string of the proxy it models (see RegulatedStablecoin).
// solhint-disable gas-custom-errors

/// @title RegulatedStablecoinProxy
/// @notice The upgradeable proxy in front of {RegulatedStablecoin}, modelled on USDC's FiatTokenProxy
///         (AdminUpgradeabilityProxy): the token's address is this proxy, every token call reaches the implementation
///         by delegatecall (so `address(this)` in the token, its EIP-712 domain and its storage are the proxy's), and
///         an `admin` account separate from the token's owner may upgrade it. Like FiatTokenProxy, `admin()` and
///         `implementation()` are readable by anyone, the admin functions run only for the admin (for anyone else the
///         call falls through to the token), and the admin cannot use the token through the proxy. Storage slots are
///         ERC-1967's (FiatTokenProxy uses older zeppelinos slots; nothing Pier does depends on where they are).
///         Tests and local chains only.
contract RegulatedStablecoinProxy is Proxy {
    /// @param implementation_ The token implementation.
    /// @param admin_ Who may upgrade; must differ from every account that uses the token.
    /// @param initData Call to the implementation run in the proxy's context at deployment (`initialize`).
    constructor(address implementation_, address admin_, bytes memory initData) {
        ERC1967Utils.upgradeToAndCall(implementation_, initData);
        ERC1967Utils.changeAdmin(admin_);
    }

    /// @dev Runs the function for the admin; for anyone else, forwards the call to the token.
    modifier ifAdmin() {
        if (msg.sender == ERC1967Utils.getAdmin()) {
            _;
        } else {
            _fallback();
        }
    }

    function admin() external view returns (address) {
        return ERC1967Utils.getAdmin();
    }

    function implementation() external view returns (address) {
        return ERC1967Utils.getImplementation();
    }

    function changeAdmin(address newAdmin) external ifAdmin {
        require(newAdmin != address(0), "Cannot change the admin of a proxy to the zero address");
        ERC1967Utils.changeAdmin(newAdmin);
    }

    function upgradeTo(address newImplementation) external ifAdmin {
        ERC1967Utils.upgradeToAndCall(newImplementation, "");
    }

    /// @notice Upgrades, then runs `data` on the new implementation in the proxy's context (a migration).
    function upgradeToAndCall(address newImplementation, bytes calldata data) external payable ifAdmin {
        ERC1967Utils.upgradeToAndCall(newImplementation, data);
    }

    /// @dev Plain ether transfers go to the token too (which refuses them), as FiatTokenProxy's fallback does.
    receive() external payable {
        _fallback();
    }

    function _implementation() internal view override returns (address) {
        return ERC1967Utils.getImplementation();
    }

    /// @dev The admin never reaches the token: its calls could otherwise be mistaken for the admin functions.
    function _fallback() internal override {
        require(msg.sender != ERC1967Utils.getAdmin(), "Cannot call fallback function from the proxy admin");
        super._fallback();
    }
}
