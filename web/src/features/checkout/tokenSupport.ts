/**
 * What the settlement token lets a payer do in the fewest wallet prompts: ERC-3009
 * (receiveWithAuthorization: one signature, one transaction), EIP-2612 (permit: one signature, one
 * transaction), or neither (approve, then pay: two transactions). Detected by calling the standard views,
 * never assumed from the token's name.
 */
import type { PayMethod } from "@pier/contracts/payTerms";
import { paymentTokenAbi } from "@pier/contracts/tokenAbi";
import { readTokenDomain } from "@pier/contracts/tokenDomain";
import type { TokenDomain } from "@pier/contracts/typedData";
import type { Address, Hex } from "viem";
import { getClient, readContract } from "wagmi/actions";
import type { PierConfig } from "../../wagmi.ts";

export interface TokenSupport {
  authorization: boolean;
  permit: boolean;
  /** The token's EIP-712 domain (shared by permit and ERC-3009), when it exposes one. */
  domain?: TokenDomain;
}

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

export async function detectTokenSupport(
  config: PierConfig,
  {
    token,
    account,
    chainId,
    authorizationNonce,
  }: { token: Address; account: Address; chainId: number; authorizationNonce: Hex },
): Promise<TokenSupport> {
  const base = { address: token, abi: paymentTokenAbi, chainId } as const;
  const [domain, authState, nonce, separator] = await Promise.all([
    tokenDomain(config, token, chainId),
    tryRead(() =>
      readContract(config, {
        ...base,
        functionName: "authorizationState",
        args: [account, authorizationNonce],
      }),
    ),
    tryRead(() => readContract(config, { ...base, functionName: "nonces", args: [account] })),
    tryRead(() => readContract(config, { ...base, functionName: "DOMAIN_SEPARATOR" })),
  ]);
  return {
    domain,
    authorization: domain !== undefined && authState !== undefined,
    permit: domain !== undefined && nonce !== undefined && separator !== undefined,
  };
}

/** The method with the fewest prompts the token supports; `preferred` (e.g. ?pay_method=) wins when supported. */
export function chooseMethod(support: TokenSupport, preferred?: string | null): PayMethod {
  if (preferred === "allowance") return "allowance";
  if (preferred === "permit" && support.permit) return "permit";
  if (preferred === "authorization" && support.authorization) return "authorization";
  if (support.authorization) return "authorization";
  if (support.permit) return "permit";
  return "allowance";
}
