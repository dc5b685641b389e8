/** Hardhat's chain id: the only chain where the public dev keys are used and livemode is refused. */
export const LOCAL_CHAIN_ID = 31337;
