import { expect, test } from "vitest";
import { chooseMethod, type TokenSupport } from "./tokenSupport.ts";

const both: TokenSupport = { authorization: true, permit: true };
const permitOnly: TokenSupport = { authorization: false, permit: true };
const neither: TokenSupport = { authorization: false, permit: false };

test("default: the fewest prompts the token allows (ERC-3009, then permit, then approve)", () => {
  expect(chooseMethod(both)).toBe("authorization");
  expect(chooseMethod(permitOnly)).toBe("permit");
  expect(chooseMethod(neither)).toBe("allowance");
});

test("behavior: a preferred method wins only when the token supports it", () => {
  expect(chooseMethod(both, "permit")).toBe("permit");
  expect(chooseMethod(both, "allowance")).toBe("allowance");
  expect(chooseMethod(permitOnly, "authorization")).toBe("permit");
  expect(chooseMethod(neither, "permit")).toBe("allowance");
  expect(chooseMethod(both, "nonsense")).toBe("authorization");
});
