import { describe, expect, test } from "vitest";
import { parseQuerystring } from "./querystring.ts";

describe("parseQuerystring", () => {
  test("default: one level of brackets becomes an object", () => {
    expect({ ...parseQuerystring("created[gte]=1&created[lte]=2&metadata[order]=A%201&limit=10") }).toEqual({
      created: { gte: "1", lte: "2" },
      metadata: { order: "A 1" },
      limit: "10",
    });
  });
  test("behavior: repeated keys become arrays; deeper brackets stay literal", () => {
    const q = parseQuerystring("a=1&a=2&x[y][z]=3");
    expect(q.a).toEqual(["1", "2"]);
    expect(q["x[y][z]"]).toBe("3");
  });
  test("behavior: no prototype pollution", () => {
    const q = parseQuerystring("__proto__[polluted]=1");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(q)).toBeNull();
  });
});
