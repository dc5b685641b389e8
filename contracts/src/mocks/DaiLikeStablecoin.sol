// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

// The model reverts with DAI's own reason strings ("Dai/..."), because that is what Pier's clients meet on chain and
// decode (`Error(string)`); it uses `require` with strings on purpose. Its metadata are lower-case constants, as DAI's.
// solhint-disable gas-custom-errors, const-name-snakecase

/// @title DaiLikeStablecoin
/// @notice Test model of MakerDAO's DAI on Ethereum (dss `src/dai.sol`), for the behaviours an escrow must handle.
///         Written from the original's behaviour, not copied from it:
///         - 18 decimals; `name` "Dai Stablecoin", `symbol` "DAI", `version` "1";
///         - its own permit, not EIP-2612: `permit(holder, spender, nonce, expiry, allowed, v, r, s)` signed over
///           `Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)`. It grants an
///           unlimited allowance (`type(uint256).max`) when `allowed`, and sets it to zero otherwise: there is no
///           amount. The nonce is passed in and must equal `nonces(holder)`; `expiry` 0 never expires, any other
///           value is good through that second. The signature is checked with bare `ecrecover` (no `s` range check,
///           no ERC-1271), as in the original;
///         - the EIP-712 domain (name, version, chain id, this contract) is computed once at deployment and stored
///           in `DOMAIN_SEPARATOR`: it is not recomputed if the chain id changes (a fork), as in the original (which
///           takes the chain id as a constructor argument; this model uses the deploying chain's);
///         - `transferFrom` by the holder itself needs no allowance, and an allowance of `type(uint256).max` is
///           never decreased; both `transfer` and `transferFrom` return `true` and revert with
///           "Dai/insufficient-balance" or "Dai/insufficient-allowance";
///         - transfers to the zero address are not refused (DAI does not check `dst`);
///         - the aliases `push`, `pull` and `move`, and `burn` from a holder or through an allowance;
///         - ward-style auth: `wards(account) == 1` may `rely` (add a ward), `deny` (remove one) and `mint`; the
///           deployer is the first ward. (The original's wards are the Maker protocol's join adapters; like dss's
///           `dai.sol`, the model emits no event for `rely`/`deny`.)
///         No EIP-2612 permit, no ERC-3009, no blacklist, no pause, no proxy.
contract DaiLikeStablecoin {
    // --- Auth ---
    mapping(address account => uint256) public wards;

    // --- ERC-20 data ---
    string public constant name = "Dai Stablecoin";
    string public constant symbol = "DAI";
    string public constant version = "1";
    uint8 public constant decimals = 18;
    uint256 public totalSupply;

    mapping(address account => uint256) public balanceOf;
    mapping(address holder => mapping(address spender => uint256)) public allowance;
    mapping(address holder => uint256) public nonces;

    // --- EIP-712 ---
    /// @notice keccak256("Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)")
    bytes32 public constant PERMIT_TYPEHASH = keccak256(
        "Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)"
    );
    bytes32 public immutable DOMAIN_SEPARATOR;

    event Approval(address indexed src, address indexed guy, uint256 wad);
    event Transfer(address indexed src, address indexed dst, uint256 wad);

    modifier auth() {
        require(wards[msg.sender] == 1, "Dai/not-authorized");
        _;
    }

    constructor() {
        wards[msg.sender] = 1;
        DOMAIN_SEPARATOR = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                block.chainid,
                address(this)
            )
        );
    }

    // --- Auth ---
    function rely(address usr) external auth {
        wards[usr] = 1;
    }

    function deny(address usr) external auth {
        wards[usr] = 0;
    }

    // --- Token ---
    function transfer(address dst, uint256 wad) external returns (bool) {
        return transferFrom(msg.sender, dst, wad);
    }

    function transferFrom(address src, address dst, uint256 wad) public returns (bool) {
        require(balanceOf[src] >= wad, "Dai/insufficient-balance");
        _spendAllowance(src, wad);
        balanceOf[src] -= wad;
        balanceOf[dst] += wad;
        emit Transfer(src, dst, wad);
        return true;
    }

    function approve(address usr, uint256 wad) external returns (bool) {
        allowance[msg.sender][usr] = wad;
        emit Approval(msg.sender, usr, wad);
        return true;
    }

    function mint(address usr, uint256 wad) external auth {
        balanceOf[usr] += wad;
        totalSupply += wad;
        emit Transfer(address(0), usr, wad);
    }

    function burn(address usr, uint256 wad) external {
        require(balanceOf[usr] >= wad, "Dai/insufficient-balance");
        _spendAllowance(usr, wad);
        balanceOf[usr] -= wad;
        totalSupply -= wad;
        emit Transfer(usr, address(0), wad);
    }

    // --- Aliases ---
    function push(address usr, uint256 wad) external {
        transferFrom(msg.sender, usr, wad);
    }

    function pull(address usr, uint256 wad) external {
        transferFrom(usr, msg.sender, wad);
    }

    function move(address src, address dst, uint256 wad) external {
        transferFrom(src, dst, wad);
    }

    // --- Approve by signature ---
    /// @notice Sets `spender`'s allowance over `holder`'s DAI to unlimited (`allowed`) or to zero, with `holder`'s
    ///         signature. Anyone may submit it. Checks, in DAI's order: a non-zero holder, the signature, the
    ///         expiry (0 = never), then the nonce, which it consumes.
    function permit(
        address holder,
        address spender,
        uint256 nonce,
        uint256 expiry,
        bool allowed,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                DOMAIN_SEPARATOR,
                keccak256(abi.encode(PERMIT_TYPEHASH, holder, spender, nonce, expiry, allowed))
            )
        );
        require(holder != address(0), "Dai/invalid-address-0");
        require(holder == ecrecover(digest, v, r, s), "Dai/invalid-permit");
        require(expiry == 0 || block.timestamp <= expiry, "Dai/permit-expired");
        require(nonce == nonces[holder]++, "Dai/invalid-nonce");
        uint256 wad = allowed ? type(uint256).max : 0;
        allowance[holder][spender] = wad;
        emit Approval(holder, spender, wad);
    }

    /// @dev The caller spends from `src`'s allowance unless it is `src` itself or the allowance is unlimited.
    function _spendAllowance(address src, uint256 wad) private {
        if (src != msg.sender && allowance[src][msg.sender] != type(uint256).max) {
            require(allowance[src][msg.sender] >= wad, "Dai/insufficient-allowance");
            allowance[src][msg.sender] -= wad;
        }
    }
}
