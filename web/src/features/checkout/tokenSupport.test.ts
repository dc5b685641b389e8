import { domainSeparator, type Hex } from "viem";
import { describe, expect, test } from "vitest";
import {
  chooseMethod,
  DAI_PERMIT_TYPEHASH,
  EIP2612_PERMIT_TYPEHASH,
  supportFrom,
  type TokenSupport,
} from "./tokenSupport.ts";

const both: TokenSupport = { authorization: true, permit: true, daiPermit: false };
const permitOnly: TokenSupport = { authorization: false, permit: true, daiPermit: false };
const daiOnly: TokenSupport = { authorization: false, permit: false, daiPermit: true };
const neither: TokenSupport = { authorization: false, permit: false, daiPermit: false };

describe("chooseMethod", () => {
  test("default: the fewest prompts the token allows (ERC-3009, then permit, then DAI permit, then approve)", () => {
    expect(chooseMethod(both)).toBe("authorization");
    expect(chooseMethod(permitOnly)).toBe("permit");
    expect(chooseMethod(daiOnly)).toBe("dai_permit");
    expect(chooseMethod(neither)).toBe("allowance");
  });

  test("behavior: a preferred method wins only when the token supports it", () => {
    expect(chooseMethod(both, undefined, "permit")).toBe("permit");
    expect(chooseMethod(both, undefined, "allowance")).toBe("allowance");
    expect(chooseMethod(permitOnly, undefined, "authorization")).toBe("permit");
    expect(chooseMethod(neither, undefined, "permit")).toBe("allowance");
    expect(chooseMethod(both, undefined, "nonsense")).toBe("authorization");
    expect(chooseMethod(daiOnly, undefined, "permit")).toBe("dai_permit");
  });

  test("behavior: the token's methods set the order, restricted to what the token supports", () => {
    expect(chooseMethod(both, ["permit", "authorization", "allowance"])).toBe("permit");
    expect(chooseMethod(both, ["allowance", "permit"])).toBe("allowance");
    expect(chooseMethod(daiOnly, ["dai_permit", "allowance"])).toBe("dai_permit");
    // Listed but not supported: skipped.
    expect(chooseMethod(permitOnly, ["dai_permit", "authorization", "permit"])).toBe("permit");
    // Supported but not listed: not used.
    expect(chooseMethod(daiOnly, ["authorization", "permit", "allowance"])).toBe("allowance");
    expect(chooseMethod(both, ["allowance"], "authorization")).toBe("allowance");
  });

  test("error: nothing listed is supported, or the list is empty or unknown: approve, then pay", () => {
    expect(chooseMethod(neither, ["dai_permit", "permit"])).toBe("allowance");
    expect(chooseMethod(both, [])).toBe("authorization");
    expect(chooseMethod(both, ["teleport"])).toBe("allowance");
  });
});

describe("supportFrom", () => {
  const token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  const daiDomain = {
    name: "Dai Stablecoin",
    version: "1",
    chainId: 31337,
    verifyingContract: token,
  } as const;
  const daiSeparator = domainSeparator({ domain: daiDomain });
  const reads = {
    domain: daiDomain,
    authorizationState: undefined,
    nonce: 0n,
    separator: daiSeparator as Hex,
    permitTypehash: DAI_PERMIT_TYPEHASH as Hex,
  };

  test("default: a DAI-style token (DAI's PERMIT_TYPEHASH, nonces, its own separator) has DAI's permit, not EIP-2612's", () => {
    expect(supportFrom(reads)).toMatchObject({ daiPermit: true, permit: false, authorization: false });
  });

  test("behavior: EIP-2612 tokens, with or without a public PERMIT_TYPEHASH, have permit only", () => {
    expect(supportFrom({ ...reads, permitTypehash: undefined })).toMatchObject({
      daiPermit: false,
      permit: true,
    });
    expect(supportFrom({ ...reads, permitTypehash: EIP2612_PERMIT_TYPEHASH })).toMatchObject({
      daiPermit: false,
      permit: true,
    });
  });

  test("error: DAI's typehash without nonces, or with a separator of another domain, is no DAI permit", () => {
    expect(supportFrom({ ...reads, nonce: undefined }).daiPermit).toBe(false);
    expect(supportFrom({ ...reads, domain: { ...daiDomain, chainId: 1 } }).daiPermit).toBe(false);
    expect(supportFrom({ ...reads, separator: undefined }).daiPermit).toBe(false);
    expect(supportFrom({ ...reads, domain: undefined })).toMatchObject({ daiPermit: false, permit: false });
  });
});
