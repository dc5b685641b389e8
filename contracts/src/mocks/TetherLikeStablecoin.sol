// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @title TetherLikeStablecoin
/// @notice Test model of USDT on Ethereum, for the behaviours an escrow must survive. It is not ERC-20 compliant,
///         in the ways the real token is not:
///         - `transfer`, `transferFrom` and `approve` return nothing (callers that decode a bool revert);
///         - `approve` from a non-zero allowance to another non-zero value reverts (set it to zero first);
///         - an allowance of `type(uint256).max` is never decreased;
///         - failures revert with no reason (empty revert data), as `require(cond)` in the original;
///         - the owner's blacklist stops the *sender* only (`transfer` by, or `transferFrom` from, a listed
///           address): a listed address still receives, and a listed spender can still move others' funds;
///         - `pause` stops every transfer; `destroyBlackFunds` burns a listed address's balance;
///         - a transfer fee (`setParams`, basis points with a cap, paid to the owner) exists and is zero
///           unless set;
///         - no permit, no ERC-3009: paying needs an allowance.
///         The owner issues new tokens to itself (`issue`); tests then transfer them.
contract TetherLikeStablecoin {
    string public name = "Tether-like USD";
    string public symbol = "tUSDT";
    uint8 public decimals = 6;
    uint256 internal constant MAX_UINT = type(uint256).max;

    address public owner;
    bool public paused;
    uint256 public totalSupply;
    uint256 public basisPointsRate;
    uint256 public maximumFee;

    mapping(address account => uint256) public balanceOf;
    mapping(address holder => mapping(address spender => uint256)) public allowance;
    mapping(address account => bool) public isBlackListed;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Pause();
    event Unpause();
    event AddedBlackList(address user);
    event RemovedBlackList(address user);
    event DestroyedBlackFunds(address blackListedUser, uint256 balance);
    event Issue(uint256 amount);
    event Params(uint256 feeBasisPoints, uint256 maxFee);

    modifier onlyOwner() {
        _check(msg.sender == owner);
        _;
    }

    modifier whenNotPaused() {
        _check(!paused);
        _;
    }

    constructor(address owner_) {
        owner = owner_;
    }

    function transfer(address to, uint256 value) external whenNotPaused {
        _check(!isBlackListed[msg.sender]);
        _move(msg.sender, to, value);
    }

    function transferFrom(address from, address to, uint256 value) external whenNotPaused {
        _check(!isBlackListed[from]);
        uint256 allowed = allowance[from][msg.sender];
        _check(allowed >= value);
        if (allowed < MAX_UINT) allowance[from][msg.sender] = allowed - value;
        _move(from, to, value);
    }

    function approve(address spender, uint256 value) external {
        _check(!(value != 0 && allowance[msg.sender][spender] != 0));
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
    }

    function issue(uint256 amount) external onlyOwner {
        balanceOf[owner] += amount;
        totalSupply += amount;
        emit Issue(amount);
    }

    function pause() external onlyOwner {
        _check(!paused);
        paused = true;
        emit Pause();
    }

    function unpause() external onlyOwner {
        _check(paused);
        paused = false;
        emit Unpause();
    }

    function addBlackList(address user) external onlyOwner {
        isBlackListed[user] = true;
        emit AddedBlackList(user);
    }

    function removeBlackList(address user) external onlyOwner {
        isBlackListed[user] = false;
        emit RemovedBlackList(user);
    }

    function destroyBlackFunds(address user) external onlyOwner {
        _check(isBlackListed[user]);
        uint256 dirty = balanceOf[user];
        balanceOf[user] = 0;
        totalSupply -= dirty;
        emit DestroyedBlackFunds(user, dirty);
    }

    /// @dev The original caps both: under 20 basis points, under 50 whole tokens.
    function setParams(uint256 newBasisPoints, uint256 newMaxFee) external onlyOwner {
        _check(newBasisPoints < 20 && newMaxFee < 50);
        basisPointsRate = newBasisPoints;
        maximumFee = newMaxFee * 10 ** decimals;
        emit Params(basisPointsRate, maximumFee);
    }

    /// @dev The original's `require(cond)`: a failure reverts with no data at all.
    function _check(bool ok) internal pure {
        if (!ok) {
            assembly ("memory-safe") {
                revert(0, 0)
            }
        }
    }

    function _move(address from, address to, uint256 value) internal {
        uint256 fee = (value * basisPointsRate) / 10_000;
        if (fee > maximumFee) fee = maximumFee;
        _check(balanceOf[from] >= value);
        balanceOf[from] -= value;
        balanceOf[to] += value - fee;
        if (fee > 0) {
            balanceOf[owner] += fee;
            emit Transfer(from, owner, fee);
        }
        emit Transfer(from, to, value - fee);
    }
}
