// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

// The model reverts with the reason strings of the token it models, because that is what Pier's clients meet on chain
// and decode (the API's decodeRevert and the checkout's describeError read `Error(string)`). Its roles and ledgers
// are many small state variables, as in the token it models.
// solhint-disable gas-custom-errors, max-states-count

/// @title RegulatedStablecoin
/// @notice Pier's model of an issuer-controlled stablecoin, after Circle's FiatToken v2.2 (USDC; EURC runs the same
///         code), written for Pier's tests from the behaviour of the published source, not copied from it. Deploy it
///         behind {RegulatedStablecoinProxy}, as USDC sits behind its FiatTokenProxy, so every call reaches it by
///         delegatecall. What it models, as v2.2 does:
///         - Blacklist (role `blacklister`): `transfer` checks the caller and `to`; `transferFrom` the caller, `from`
///           and `to`; the ERC-3009 transfers `from` and `to` (and `receiveWithAuthorization` requires
///           `to == msg.sender`); `mint` the minter and `to`. A blacklisted account's balance can never change. The
///           token contract itself is blacklisted from initialization (no tokens can be sent to it). Since v2.2
///           `approve` and `permit` no longer check the blacklist (an allowance of a blacklisted account is useless:
///           every transfer still checks it); this model follows v2.2.
///         - Pause (role `pauser`): `transfer`, `transferFrom`, `approve`, `permit`, the three ERC-3009 functions,
///           `mint` and `configureMinter` revert while paused.
///         - EIP-2612 `permit` and ERC-3009 `transferWithAuthorization` / `receiveWithAuthorization` /
///           `cancelAuthorization`, each with `(v, r, s)` and with the v2.2 `bytes signature` overload. A signer with
///           code is checked through ERC-1271 only, an account without code by ECDSA only (low `s`, `v` 27 or 28).
///           Random (unordered) authorization nonces. EIP-712 domain: `name`, version "2", the chain id at call time,
///           the proxy's address; no EIP-5267 `eip712Domain()` (USDC has none): read `name()` and `version()`.
///         - ERC-20 details of FiatToken: no infinite allowance (`transferFrom` always spends), `approve` overwrites,
///           6 decimals in Pier's deployments (set at initialization), minting through minters configured with an
///           allowance by the `masterMinter`; `owner` reassigns the roles; the proxy's admin is a separate account.
///         - Storage as v2.2 lays it out where it costs gas: an account's blacklist flag is the top bit of its
///           balance slot (so the blacklist checks of a transfer are warm reads), balances below 2^255.
///         Not modelled: burn, rescue, increase/decreaseAllowance. Tests and local chains only.
contract RegulatedStablecoin is IERC20 {
    /// @dev keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")
    bytes32 public constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,"
        "bytes32 nonce)"
    );
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,"
        "bytes32 nonce)"
    );
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH = keccak256(
        "CancelAuthorization(address authorizer,bytes32 nonce)"
    );
    bytes32 private constant EIP712_DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    /// @dev An account's slot: the blacklist flag in the top bit, the balance in the 255 bits below (as v2.2).
    uint256 private constant BLACKLIST_FLAG = 1 << 255;
    uint256 private constant MAX_BALANCE = BLACKLIST_FLAG - 1;
    /// @dev Half the secp256k1 order: a larger `s` is the malleable twin of a valid signature.
    uint256 private constant MAX_S = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    string public name;
    string public symbol;
    string public currency;
    uint8 public decimals;

    address public owner;
    address public masterMinter;
    address public pauser;
    address public blacklister;
    bool public paused;
    bool private _initialized;

    uint256 private _totalSupply;
    mapping(address account => uint256 balanceAndBlacklistFlag) private _accounts;
    mapping(address owner => mapping(address spender => uint256)) private _allowances;
    mapping(address minter => bool) private _minters;
    mapping(address minter => uint256) private _minterAllowances;
    mapping(address owner => uint256) private _permitNonces;
    mapping(address authorizer => mapping(bytes32 nonce => bool)) private _authorizationStates;

    event Mint(address indexed minter, address indexed to, uint256 amount);
    event MinterConfigured(address indexed minter, uint256 minterAllowedAmount);
    event MinterRemoved(address indexed oldMinter);
    event MasterMinterChanged(address indexed newMasterMinter);
    event Blacklisted(address indexed account);
    event UnBlacklisted(address indexed account);
    event BlacklisterChanged(address indexed newBlacklister);
    event Pause();
    event Unpause();
    event PauserChanged(address indexed newAddress);
    event OwnershipTransferred(address previousOwner, address newOwner);
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    modifier onlyOwner() {
        require(msg.sender == owner, "Ownable: caller is not the owner");
        _;
    }

    modifier onlyMasterMinter() {
        require(msg.sender == masterMinter, "FiatToken: caller is not the masterMinter");
        _;
    }

    modifier onlyMinters() {
        require(_minters[msg.sender], "FiatToken: caller is not a minter");
        _;
    }

    modifier onlyPauser() {
        require(msg.sender == pauser, "Pausable: caller is not the pauser");
        _;
    }

    modifier onlyBlacklister() {
        require(msg.sender == blacklister, "Blacklistable: caller is not the blacklister");
        _;
    }

    modifier whenNotPaused() {
        require(!paused, "Pausable: paused");
        _;
    }

    modifier notBlacklisted(address account) {
        require(!_isBlacklisted(account), "Blacklistable: account is blacklisted");
        _;
    }

    /// @dev The implementation itself can never be initialized: only a proxy's storage holds a token.
    constructor() {
        _initialized = true;
    }

    // ------------------------------------------------------------------------------------------------
    // Setup and roles
    // ------------------------------------------------------------------------------------------------

    /// @notice Sets up the token in the proxy's storage (once), and blacklists the token contract itself.
    function initialize(
        string calldata tokenName,
        string calldata tokenSymbol,
        string calldata tokenCurrency,
        uint8 tokenDecimals,
        address newMasterMinter,
        address newPauser,
        address newBlacklister,
        address newOwner
    ) external {
        require(!_initialized, "FiatToken: contract is already initialized");
        require(newMasterMinter != address(0), "FiatToken: new masterMinter is the zero address");
        require(newPauser != address(0), "FiatToken: new pauser is the zero address");
        require(newBlacklister != address(0), "FiatToken: new blacklister is the zero address");
        require(newOwner != address(0), "FiatToken: new owner is the zero address");
        name = tokenName;
        symbol = tokenSymbol;
        currency = tokenCurrency;
        decimals = tokenDecimals;
        masterMinter = newMasterMinter;
        pauser = newPauser;
        blacklister = newBlacklister;
        owner = newOwner;
        _accounts[address(this)] |= BLACKLIST_FLAG;
        _initialized = true;
        emit OwnershipTransferred(address(0), newOwner);
    }

    /// @notice The EIP-712 domain version, "2" as FiatToken v2.x.
    function version() external pure returns (string memory) {
        return "2";
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "Ownable: new owner is the zero address");
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function updateMasterMinter(address newMasterMinter) external onlyOwner {
        require(newMasterMinter != address(0), "FiatToken: new masterMinter is the zero address");
        masterMinter = newMasterMinter;
        emit MasterMinterChanged(newMasterMinter);
    }

    function updatePauser(address newPauser) external onlyOwner {
        require(newPauser != address(0), "Pausable: new pauser is the zero address");
        pauser = newPauser;
        emit PauserChanged(newPauser);
    }

    function updateBlacklister(address newBlacklister) external onlyOwner {
        require(newBlacklister != address(0), "Blacklistable: new blacklister is the zero address");
        blacklister = newBlacklister;
        emit BlacklisterChanged(newBlacklister);
    }

    // ------------------------------------------------------------------------------------------------
    // Issuer controls: blacklist and pause
    // ------------------------------------------------------------------------------------------------

    function blacklist(address account) external onlyBlacklister {
        _accounts[account] |= BLACKLIST_FLAG;
        emit Blacklisted(account);
    }

    function unBlacklist(address account) external onlyBlacklister {
        _accounts[account] &= MAX_BALANCE;
        emit UnBlacklisted(account);
    }

    function isBlacklisted(address account) external view returns (bool) {
        return _isBlacklisted(account);
    }

    function pause() external onlyPauser {
        paused = true;
        emit Pause();
    }

    function unpause() external onlyPauser {
        paused = false;
        emit Unpause();
    }

    // ------------------------------------------------------------------------------------------------
    // Minting
    // ------------------------------------------------------------------------------------------------

    /// @notice The master minter lets `minter` mint up to `minterAllowedAmount` (replacing what was left).
    function configureMinter(address minter, uint256 minterAllowedAmount) external whenNotPaused onlyMasterMinter {
        _minters[minter] = true;
        _minterAllowances[minter] = minterAllowedAmount;
        emit MinterConfigured(minter, minterAllowedAmount);
    }

    function removeMinter(address minter) external onlyMasterMinter {
        _minters[minter] = false;
        _minterAllowances[minter] = 0;
        emit MinterRemoved(minter);
    }

    function isMinter(address account) external view returns (bool) {
        return _minters[account];
    }

    function minterAllowance(address minter) external view returns (uint256) {
        return _minterAllowances[minter];
    }

    function mint(
        address to,
        uint256 amount
    ) external whenNotPaused onlyMinters notBlacklisted(msg.sender) notBlacklisted(to) returns (bool) {
        require(to != address(0), "FiatToken: mint to the zero address");
        require(amount > 0, "FiatToken: mint amount not greater than 0");
        uint256 allowed = _minterAllowances[msg.sender];
        require(amount <= allowed, "FiatToken: mint amount exceeds minterAllowance");
        _totalSupply += amount;
        _setBalance(to, _balanceOf(to) + amount);
        _minterAllowances[msg.sender] = allowed - amount;
        emit Mint(msg.sender, to, amount);
        emit Transfer(address(0), to, amount);
        return true;
    }

    // ------------------------------------------------------------------------------------------------
    // ERC-20
    // ------------------------------------------------------------------------------------------------

    function totalSupply() external view returns (uint256) {
        return _totalSupply;
    }

    function balanceOf(address account) external view returns (uint256) {
        return _balanceOf(account);
    }

    function allowance(address holder, address spender) external view returns (uint256) {
        return _allowances[holder][spender];
    }

    /// @dev v2.2: no blacklist check on either party (the allowance cannot be used while either is blacklisted).
    function approve(address spender, uint256 value) external whenNotPaused returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    function transfer(
        address to,
        uint256 value
    ) external whenNotPaused notBlacklisted(msg.sender) notBlacklisted(to) returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function transferFrom(
        address from,
        address to,
        uint256 value
    ) external whenNotPaused notBlacklisted(msg.sender) notBlacklisted(from) notBlacklisted(to) returns (bool) {
        uint256 allowed = _allowances[from][msg.sender];
        require(value <= allowed, "ERC20: transfer amount exceeds allowance");
        _transfer(from, to, value);
        _allowances[from][msg.sender] = allowed - value;
        return true;
    }

    // ------------------------------------------------------------------------------------------------
    // EIP-2612
    // ------------------------------------------------------------------------------------------------

    function nonces(address holder) external view returns (uint256) {
        return _permitNonces[holder];
    }

    /// @notice The EIP-712 domain separator, computed for the current chain id and this (proxy) address.
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparator();
    }

    function permit(
        address holder,
        address spender,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused {
        _permit(holder, spender, value, deadline, abi.encodePacked(r, s, v));
    }

    /// @notice v2.2: the same permit with a `bytes` signature (65-byte ECDSA, or anything an ERC-1271 signer accepts).
    function permit(
        address holder,
        address spender,
        uint256 value,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        _permit(holder, spender, value, deadline, signature);
    }

    // ------------------------------------------------------------------------------------------------
    // ERC-3009
    // ------------------------------------------------------------------------------------------------

    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _authorizationStates[authorizer][nonce];
    }

    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused notBlacklisted(from) notBlacklisted(to) {
        _authorizedTransfer(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            abi.encodePacked(r, s, v)
        );
    }

    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external whenNotPaused notBlacklisted(from) notBlacklisted(to) {
        _authorizedTransfer(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            signature
        );
    }

    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused notBlacklisted(from) notBlacklisted(to) {
        require(to == msg.sender, "FiatTokenV2: caller must be the payee");
        _authorizedTransfer(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            abi.encodePacked(r, s, v)
        );
    }

    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external whenNotPaused notBlacklisted(from) notBlacklisted(to) {
        require(to == msg.sender, "FiatTokenV2: caller must be the payee");
        _authorizedTransfer(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            signature
        );
    }

    function cancelAuthorization(
        address authorizer,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused {
        _cancelAuthorization(authorizer, nonce, abi.encodePacked(r, s, v));
    }

    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external whenNotPaused {
        _cancelAuthorization(authorizer, nonce, signature);
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    function _approve(address holder, address spender, uint256 value) private {
        require(holder != address(0), "ERC20: approve from the zero address");
        require(spender != address(0), "ERC20: approve to the zero address");
        _allowances[holder][spender] = value;
        emit Approval(holder, spender, value);
    }

    function _transfer(address from, address to, uint256 value) private {
        require(from != address(0), "ERC20: transfer from the zero address");
        require(to != address(0), "ERC20: transfer to the zero address");
        uint256 fromBalance = _balanceOf(from);
        require(value <= fromBalance, "ERC20: transfer amount exceeds balance");
        _setBalance(from, fromBalance - value);
        _setBalance(to, _balanceOf(to) + value);
        emit Transfer(from, to, value);
    }

    /// @dev The one place a balance changes: never a blacklisted account's (v2.2 checks it here too).
    function _setBalance(address account, uint256 balance) private {
        require(balance <= MAX_BALANCE, "FiatTokenV2_2: Balance exceeds (2^255 - 1)");
        require(!_isBlacklisted(account), "FiatTokenV2_2: Account is blacklisted");
        _accounts[account] = balance;
    }

    function _balanceOf(address account) private view returns (uint256) {
        return _accounts[account] & MAX_BALANCE;
    }

    function _isBlacklisted(address account) private view returns (bool) {
        return _accounts[account] & BLACKLIST_FLAG != 0;
    }

    function _permit(address holder, address spender, uint256 value, uint256 deadline, bytes memory signature) private {
        require(deadline == type(uint256).max || deadline >= block.timestamp, "FiatTokenV2: permit is expired");
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, holder, spender, value, _permitNonces[holder]++, deadline)
        );
        require(_isValidSignatureNow(holder, structHash, signature), "EIP2612: invalid signature");
        _approve(holder, spender, value);
    }

    function _authorizedTransfer(
        bytes32 typehash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) private {
        require(block.timestamp > validAfter, "FiatTokenV2: authorization is not yet valid");
        require(block.timestamp < validBefore, "FiatTokenV2: authorization is expired");
        _requireUnusedAuthorization(from, nonce);
        bytes32 structHash = keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce));
        require(_isValidSignatureNow(from, structHash, signature), "FiatTokenV2: invalid signature");
        _authorizationStates[from][nonce] = true;
        emit AuthorizationUsed(from, nonce);
        _transfer(from, to, value);
    }

    function _cancelAuthorization(address authorizer, bytes32 nonce, bytes memory signature) private {
        _requireUnusedAuthorization(authorizer, nonce);
        bytes32 structHash = keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce));
        require(_isValidSignatureNow(authorizer, structHash, signature), "FiatTokenV2: invalid signature");
        _authorizationStates[authorizer][nonce] = true;
        emit AuthorizationCanceled(authorizer, nonce);
    }

    function _requireUnusedAuthorization(address authorizer, bytes32 nonce) private view {
        require(!_authorizationStates[authorizer][nonce], "FiatTokenV2: authorization is used or canceled");
    }

    function _domainSeparator() private view returns (bytes32) {
        return
            keccak256(
                abi.encode(EIP712_DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256("2"), block.chainid, address(this))
            );
    }

    /// @dev As FiatToken's SignatureChecker: a signer with code answers through ERC-1271 (and only so); an account
    ///      without code must have signed with ECDSA, and a malformed signature reverts rather than fails.
    function _isValidSignatureNow(
        address signer,
        bytes32 structHash,
        bytes memory signature
    ) private view returns (bool) {
        bytes32 digest = MessageHashUtils.toTypedDataHash(_domainSeparator(), structHash);
        if (signer.code.length > 0) return SignatureChecker.isValidERC1271SignatureNow(signer, digest, signature);
        return _recover(digest, signature) == signer;
    }

    function _recover(bytes32 digest, bytes memory signature) private pure returns (address signer) {
        require(signature.length == 65, "ECRecover: invalid signature length");
        (uint8 v, bytes32 r, bytes32 s) = ECDSA.parse(signature);
        require(uint256(s) <= MAX_S, "ECRecover: invalid signature 's' value");
        require(v == 27 || v == 28, "ECRecover: invalid signature 'v' value");
        (signer, , ) = ECDSA.tryRecover(digest, v, r, s);
        require(signer != address(0), "ECRecover: invalid signature");
    }
}
