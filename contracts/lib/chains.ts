/**
 * The local chain, defined once for every part of Pier. LOCAL_CHAIN_ID is Hardhat's: the only chain where
 * the public dev keys are defaults, time travel is allowed and livemode is refused. LOCAL_CHAIN_IDS adds
 * other dev nodes' id (1337) for what only concerns speed: one-block finality and fast polling.
 */
export const LOCAL_CHAIN_ID = 31337;
export const LOCAL_CHAIN_IDS: readonly number[] = [LOCAL_CHAIN_ID, 1337];

export const isLocalChain = (chainId: number): boolean => LOCAL_CHAIN_IDS.includes(chainId);
