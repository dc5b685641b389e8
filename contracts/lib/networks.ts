/**
 * Network presets for scripts/deploy.ts (`--network <key>`): public chains Pier can be deployed to, as
 * data. The escrow's address is not here: it is the same on every chain (contracts/lib/
 * deterministicDeployment.ts computes it from the constructor arguments).
 *
 * - `rpcUrl`: the chain operator's public endpoint where one is well known, else undefined (set
 *   PIER_RPC_URL). Public endpoints are rate-limited: use your own provider for anything but a deploy.
 * - `confirmations`: a suggestion for how deep a block must be before a payment counts as final.
 * - `stablecoins`: canonical issuer contracts, checksummed (contracts/test-ts/networks.test.ts checks).
 *   The comment on each line says where the address was confirmed; check it against the issuer's page
 *   (Circle: https://developers.circle.com/stablecoins/usdc-contract-addresses and
 *   .../eurc-contract-addresses; Tether: its own site, tether.to) before real money.
 */
import type { Address } from "viem";

export interface StablecoinPreset {
  symbol: "USDC" | "EURC" | "USDT";
  address: Address;
  decimals: 6;
}

export interface NetworkPreset {
  name: string;
  chainId: number;
  testnet: boolean;
  rpcUrl: string | undefined;
  explorerUrl: string;
  confirmations: number;
  stablecoins: readonly StablecoinPreset[];
}

export const networks = {
  ethereum: {
    name: "Ethereum",
    chainId: 1,
    testnet: false,
    rpcUrl: undefined,
    explorerUrl: "https://etherscan.io",
    confirmations: 3,
    stablecoins: [
      // Circle USDC page; also Etherscan's token page (FiatTokenProxy, "USDC issued by Circle").
      { symbol: "USDC", address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", decimals: 6 },
      // Circle EURC page; confirmed here on Etherscan's token page ("EURC ... issued by Circle").
      { symbol: "EURC", address: "0x1aBaEA1f7C830bD89Acc67eC4af516284b1bC33c", decimals: 6 },
      // Tether; confirmed here from third-party lists (ethskills addresses, chain token lists), not tether.to.
      { symbol: "USDT", address: "0xdAC17F958D2ee523a2206206994597C13D831ec7", decimals: 6 },
    ],
  },
  base: {
    name: "Base",
    chainId: 8453,
    testnet: false,
    rpcUrl: "https://mainnet.base.org",
    explorerUrl: "https://basescan.org",
    confirmations: 10,
    stablecoins: [
      // Circle USDC page (native USDC, not the bridged USDbC).
      { symbol: "USDC", address: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", decimals: 6 },
      // Circle EURC page (Base row).
      { symbol: "EURC", address: "0x60a3E35Cc302bFA44Cb288Bc5a4F316Fdb1adb42", decimals: 6 },
    ],
  },
  arbitrum: {
    name: "Arbitrum One",
    chainId: 42161,
    testnet: false,
    rpcUrl: "https://arb1.arbitrum.io/rpc",
    explorerUrl: "https://arbiscan.io",
    confirmations: 20,
    stablecoins: [
      // Circle USDC page (native USDC, not the bridged USDC.e 0xFF970A61...).
      { symbol: "USDC", address: "0xaf88d065e77c8cC2239327C5EDb3A432268e5831", decimals: 6 },
      // Tether; confirmed here from third-party lists (ethskills addresses, Range, Reown).
      { symbol: "USDT", address: "0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9", decimals: 6 },
    ],
  },
  optimism: {
    name: "OP Mainnet",
    chainId: 10,
    testnet: false,
    rpcUrl: "https://mainnet.optimism.io",
    explorerUrl: "https://optimistic.etherscan.io",
    confirmations: 10,
    stablecoins: [
      // Circle USDC page (native USDC, not the bridged USDC.e 0x7F5c764c...).
      { symbol: "USDC", address: "0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85", decimals: 6 },
      // Tether; confirmed here from the Optimism token list (ethereum-optimism.github.io data/USDT).
      { symbol: "USDT", address: "0x94b008aA00579c1307B0EF2c499aD98a8ce58e58", decimals: 6 },
    ],
  },
  polygon: {
    name: "Polygon PoS",
    chainId: 137,
    testnet: false,
    rpcUrl: "https://polygon-rpc.com",
    explorerUrl: "https://polygonscan.com",
    confirmations: 64,
    stablecoins: [
      // Circle USDC page (native USDC, not the bridged USDC.e 0x2791Bca1...).
      { symbol: "USDC", address: "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", decimals: 6 },
      // Tether; confirmed here from third-party token lists only (weakest entry: check before use).
      { symbol: "USDT", address: "0xc2132D05D31c914a87C6611C10748AEb04B58e8F", decimals: 6 },
    ],
  },
  sepolia: {
    name: "Sepolia",
    chainId: 11155111,
    testnet: true,
    rpcUrl: undefined,
    explorerUrl: "https://sepolia.etherscan.io",
    confirmations: 3,
    stablecoins: [
      // Circle USDC page, testnet section (as mirrored in Circle's own circlefin/skills use-usdc).
      { symbol: "USDC", address: "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238", decimals: 6 },
    ],
  },
  "base-sepolia": {
    name: "Base Sepolia",
    chainId: 84532,
    testnet: true,
    rpcUrl: "https://sepolia.base.org",
    explorerUrl: "https://sepolia.basescan.org",
    confirmations: 10,
    stablecoins: [
      // Circle USDC page, testnet section (as mirrored in Circle's own circlefin/skills use-usdc).
      { symbol: "USDC", address: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", decimals: 6 },
    ],
  },
  "arbitrum-sepolia": {
    name: "Arbitrum Sepolia",
    chainId: 421614,
    testnet: true,
    rpcUrl: "https://sepolia-rollup.arbitrum.io/rpc",
    explorerUrl: "https://sepolia.arbiscan.io",
    confirmations: 20,
    stablecoins: [
      // Circle USDC page, testnet section (as mirrored in Circle's own circlefin/skills use-usdc).
      { symbol: "USDC", address: "0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d", decimals: 6 },
    ],
  },
  "optimism-sepolia": {
    name: "OP Sepolia",
    chainId: 11155420,
    testnet: true,
    rpcUrl: "https://sepolia.optimism.io",
    explorerUrl: "https://sepolia-optimism.etherscan.io",
    confirmations: 10,
    stablecoins: [
      // Circle USDC page, testnet section (as mirrored in Interlace's and Orderly's docs).
      { symbol: "USDC", address: "0x5fd84259d66Cd46123540766Be93DFE6D43130D7", decimals: 6 },
    ],
  },
  "polygon-amoy": {
    name: "Polygon Amoy",
    chainId: 80002,
    testnet: true,
    rpcUrl: "https://rpc-amoy.polygon.technology",
    explorerUrl: "https://amoy.polygonscan.com",
    confirmations: 64,
    stablecoins: [
      // Circle USDC page, testnet section (as mirrored in Interlace's and Coinflow's docs).
      { symbol: "USDC", address: "0x41E94Eb019C0762f9Bfcf9Fb1E58725BfB0e7582", decimals: 6 },
    ],
  },
} as const satisfies Record<string, NetworkPreset>;

export type NetworkKey = keyof typeof networks;
