// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Vm} from "./Vm.sol";

/// @dev Address prefix that Hardhat's coverage instrumentation calls; it appears in instrumented bytecode only.
bytes4 constant COVERAGE_MARKER_PREFIX = 0xc0bec0be;

/// @notice True when `target`'s code contains the coverage marker address (a `PUSH20 0xc0bec0be...`): its gas is then
///         not what the deployed contract spends, so gas tests skip themselves.
function instrumentedForCoverage(address target) view returns (bool) {
    bytes memory code = target.code;
    for (uint256 i; i + 8 <= code.length; ++i) {
        if (
            code[i] == 0x73 &&
            bytes4(bytes.concat(code[i + 1], code[i + 2], code[i + 3], code[i + 4])) == COVERAGE_MARKER_PREFIX
        ) {
            return true;
        }
    }
    return false;
}

/// @notice Execution gas of a top-level call, the way the gas targets are defined: its total minus the 21,000 base
///         and the calldata cost (EIP-2028: 4 gas per zero byte, 16 per other byte).
function executionGas(Vm.Gas memory gas, bytes memory callData) pure returns (uint256) {
    uint256 calldataCost;
    for (uint256 i; i < callData.length; ++i) {
        calldataCost += callData[i] == 0 ? 4 : 16;
    }
    return uint256(gas.gasTotalUsed) - 21_000 - calldataCost;
}
