import { describe, expect, test } from "vitest";
import { fromUnits, toUnits } from "./opsApi.ts";

describe("token unit conversion", () => {
  test("default: decimal strings to units and back, exactly", () => {
    expect(toUnits("12.5", 6)).toBe("12500000");
    expect(toUnits("0.000001", 6)).toBe("1");
    expect(fromUnits("12500000", 6)).toBe("12.5");
    expect(fromUnits("1", 6)).toBe("0.000001");
    expect(fromUnits("5000000", 6)).toBe("5");
  });
  test("error: too many decimals, zero, signs and junk are refused", () => {
    for (const bad of ["1.0000001", "0", "-1", "1e6", "", "abc", "1.2.3"])
      expect(toUnits(bad, 6)).toBeUndefined();
  });
});
