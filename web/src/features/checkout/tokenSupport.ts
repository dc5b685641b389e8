/**
 * What the settlement token lets a payer do in the fewest wallet prompts: ERC-3009
 * (receiveWithAuthorization: one signature, one transaction), EIP-2612 (permit: one signature, one
 * transaction), DAI's own permit (one signature, one transaction; it grants the escrow an unlimited
 * allowance), or none of them (approve, then pay: two transactions). Detected by calling the standard
 * views, never assumed from the token's name; the API's `token.methods` says which of them the checkout
 * may use and in which order.
 */
import type { PayMethod } from "@pier/contracts/payTerms";
import { daiPermitAbi, paymentTokenAbi } from "@pier/contracts/tokenAbi";
import { readTokenDomain } from "@pier/contracts/tokenDomain";
import type { TokenDomain } from "@pier/contracts/typedData";
import { type Address, domainSeparator, type Hex, keccak256, toBytes } from "viem";
import { getClient, readContract } from "wagmi/actions";
import type { PierConfig } from "../../wagmi.ts";

/**
 * The ways the checkout can pay: payTerms' three, DAI's permit (payWithDaiPermit), and `relayed`: an
 * ERC-3009 authorization Pier's relayer sends (the way for smart-contract accounts, whose signature the
 * (v, r, s) functions cannot take; chosen by choosePath, never offered by the token), and `batch`: approve +
 * pay sent by the wallet as one EIP-5792 batch.
 */
export type CheckoutPayMethod = PayMethod | "dai_permit" | "relayed" | "batch";

export const PAY_METHODS: readonly CheckoutPayMethod[] = [
  "authorization",
  "permit",
  "dai_permit",
  "allowance",
];

export interface TokenSupport {
  authorization: boolean;
  permit: boolean;
  /** DAI's permit(holder, spender, nonce, expiry, allowed, v, r, s). */
  daiPermit: boolean;
  /** The token's EIP-712 domain (shared by permit and ERC-3009), when it exposes one. */
  domain?: TokenDomain;
}

/** keccak256 of DAI's Permit type: a token exposing it as PERMIT_TYPEHASH has DAI's permit, not EIP-2612's. */
export const DAI_PERMIT_TYPEHASH = keccak256(
  toBytes("Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)"),
);
/** keccak256 of EIP-2612's Permit type. */
export const EIP2612_PERMIT_TYPEHASH = keccak256(
  toBytes("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
);

/** `PERMIT_TYPEHASH()`: public on DAI (and some EIP-2612 tokens); tells the two permits apart. */
// function PERMIT_TYPEHASH() view returns (bytes32): written out, as in contracts/lib/tokenAbi.ts, so the
// checkout does not ship viem's signature parser.
const permitTypehashAbi = [
  {
    name: "PERMIT_TYPEHASH",
    type: "function",
    stateMutability: "view",
    inputs: [],
    outputs: [{ type: "bytes32" }],
  },
] as const;

async function tryRead<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

/** The token's EIP-712 domain as @pier/contracts/typedData reads it (EIP-5267, else name + version). */
async function tokenDomain(config: PierConfig, token: Address, chainId: number) {
  const client = getClient(config, { chainId });
  return client ? readTokenDomain(client, { token, chainId }) : undefined;
}

/**
 * What the token answers, reduced to what it supports. DAI's permit needs its nonces, DAI's
 * PERMIT_TYPEHASH and a DOMAIN_SEPARATOR equal to the one of the domain read from the token (so the
 * signature the wallet makes is the one the token checks); EIP-2612 needs nonces and DOMAIN_SEPARATOR
 * and no other permit type.
 */
export function supportFrom({
  domain,
  authorizationState,
  nonce,
  separator,
  permitTypehash,
}: {
  domain: TokenDomain | undefined;
  authorizationState: boolean | undefined;
  nonce: bigint | undefined;
  separator: Hex | undefined;
  permitTypehash: Hex | undefined;
}): TokenSupport {
  const typehash = permitTypehash?.toLowerCase();
  const daiStyle = typehash === DAI_PERMIT_TYPEHASH;
  const separatorMatches =
    domain !== undefined && separator !== undefined && tryDomainSeparator(domain) === separator.toLowerCase();
  return {
    domain,
    authorization: domain !== undefined && authorizationState !== undefined,
    permit:
      domain !== undefined &&
      nonce !== undefined &&
      separator !== undefined &&
      (typehash === undefined || typehash === EIP2612_PERMIT_TYPEHASH),
    daiPermit: daiStyle && nonce !== undefined && separatorMatches,
  };
}

function tryDomainSeparator(domain: TokenDomain): string | undefined {
  try {
    return domainSeparator({ domain }).toLowerCase();
  } catch {
    return undefined;
  }
}

export async function detectTokenSupport(
  config: PierConfig,
  {
    token,
    account,
    chainId,
    authorizationNonce,
  }: { token: Address; account: Address; chainId: number; authorizationNonce: Hex },
): Promise<TokenSupport> {
  const base = { address: token, chainId } as const;
  const [domain, authorizationState, nonce, separator, permitTypehash] = await Promise.all([
    tokenDomain(config, token, chainId),
    tryRead(() =>
      readContract(config, {
        ...base,
        abi: paymentTokenAbi,
        functionName: "authorizationState",
        args: [account, authorizationNonce],
      }),
    ),
    tryRead(() =>
      readContract(config, { ...base, abi: daiPermitAbi, functionName: "nonces", args: [account] }),
    ),
    tryRead(() => readContract(config, { ...base, abi: paymentTokenAbi, functionName: "DOMAIN_SEPARATOR" })),
    tryRead(() => readContract(config, { ...base, abi: permitTypehashAbi, functionName: "PERMIT_TYPEHASH" })),
  ]);
  return supportFrom({ domain, authorizationState, nonce, separator, permitTypehash });
}

function supports(support: TokenSupport, method: CheckoutPayMethod): boolean {
  switch (method) {
    case "authorization":
      return support.authorization;
    case "permit":
      return support.permit;
    case "dai_permit":
      return support.daiPermit;
    case "allowance":
      return true;
    case "relayed":
      // Relayed payments are ERC-3009 authorizations that Pier sends.
      return support.authorization;
    case "batch":
      // Approve + pay, batched by the wallet: any token.
      return true;
  }
}

function isPayMethod(value: unknown): value is CheckoutPayMethod {
  return PAY_METHODS.includes(value as CheckoutPayMethod);
}

/**
 * The method to pay with: the first of the token's `methods` (the API's order; default: ERC-3009, permit,
 * DAI permit, approve) that the token really supports, approve-then-pay when none is. `preferred` (e.g.
 * ?pay_method=) wins when the token supports it and `methods` allows it.
 */
export function chooseMethod(
  support: TokenSupport,
  methods?: readonly string[] | null,
  preferred?: string | null,
): CheckoutPayMethod {
  const allowed = methods && methods.length > 0 ? methods.filter(isPayMethod) : PAY_METHODS;
  if (preferred === "allowance") return "allowance";
  if (isPayMethod(preferred) && allowed.includes(preferred) && supports(support, preferred)) return preferred;
  return allowed.find((m) => supports(support, m)) ?? "allowance";
}
