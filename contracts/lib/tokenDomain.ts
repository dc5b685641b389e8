/**
 * A token's EIP-712 domain, the one its permit and ERC-3009 authorizations are signed in (typedData.ts),
 * read from the token itself.
 */
import { type Address, type Client, erc20Abi } from "viem";
import { readContract } from "viem/actions";
import { eip5267Abi, tokenVersionAbi } from "./tokenAbi.ts";
import type { TokenDomain } from "./typedData.ts";

// EIP-5267 `fields` bits: which domain members the contract uses.
const FIELD_NAME = 0x01;
const FIELD_VERSION = 0x02;
const FIELD_CHAIN_ID = 0x04;
const FIELD_VERIFYING_CONTRACT = 0x08;
const FIELD_SALT = 0x10;

async function attempt<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

/**
 * The token's EIP-712 domain as the token itself reports it: EIP-5267's `eip712Domain()` (OpenZeppelin
 * tokens; only the members its `fields` name), else `name()` + `version()` with this chain and the token's
 * address (USDC, EURC and their models have no `eip712Domain`). Undefined when the token tells neither,
 * or reports a domain for another chain: then it has no usable permit or authorization. Read
 * it once per token and chain; nothing here caches.
 */
export async function readTokenDomain(
  client: Client,
  { token, chainId }: { token: Address; chainId: number },
): Promise<TokenDomain | undefined> {
  const reported = await attempt(() =>
    readContract(client, { address: token, abi: eip5267Abi, functionName: "eip712Domain" }),
  );
  if (reported) {
    const [fieldsHex, name, version, domainChainId, verifyingContract, salt] = reported;
    const fields = Number.parseInt(fieldsHex.slice(2), 16);
    const has = (bit: number) => (fields & bit) !== 0;
    if (has(FIELD_CHAIN_ID) && Number(domainChainId) !== chainId) return undefined;
    return {
      ...(has(FIELD_NAME) ? { name } : {}),
      ...(has(FIELD_VERSION) ? { version } : {}),
      ...(has(FIELD_CHAIN_ID) ? { chainId } : {}),
      ...(has(FIELD_VERIFYING_CONTRACT) ? { verifyingContract } : {}),
      ...(has(FIELD_SALT) ? { salt } : {}),
    };
  }
  const [name, version] = await Promise.all([
    attempt(() =>
      readContract(client, {
        address: token,
        abi: erc20Abi,
        functionName: "name",
      }),
    ),
    attempt(() => readContract(client, { address: token, abi: tokenVersionAbi, functionName: "version" })),
  ]);
  if (name === undefined || version === undefined) return undefined;
  return { name, version, chainId, verifyingContract: token };
}
