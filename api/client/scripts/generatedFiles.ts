/**
 * What `pnpm --filter @pier/client generate` writes to src/generated/ for an OpenAPI document, besides
 * the document itself: schema.ts (openapi-typescript) and enums.ts (enumModule.ts). A pure function of
 * the document, so generated.test.ts can check the committed files against src/generated/openapi.json.
 */
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { enumModule, HEADER } from "./enumModule.ts";

/** `0x${string}`: what viem calls Address and Hex. */
const HEX = ts.factory.createTemplateLiteralType(ts.factory.createTemplateHead("0x"), [
  ts.factory.createTemplateLiteralTypeSpan(
    ts.factory.createKeywordTypeNode(ts.SyntaxKind.StringKeyword),
    ts.factory.createTemplateTail(""),
  ),
]);

export async function generatedFiles(doc: object): Promise<{ "schema.ts": string; "enums.ts": string }> {
  // biome-ignore lint/suspicious/noExplicitAny: openapi-typescript takes its own OpenAPI3 type
  const ast = await openapiTS(doc as any, {
    exportType: false,
    alphabetize: false,
    // Addresses, hashes and signatures (a string pattern starting ^0x) are `0x${string}`, so a browser
    // app passes them to viem without casts.
    transform: (schema) => {
      // openapi-typescript's SchemaObject type leaves `pattern` out.
      const { pattern } = schema as { pattern?: unknown };
      if (typeof pattern !== "string" || !pattern.startsWith("^0x")) return undefined;
      // A nullable one (Nullable in api/src/schemas/common.ts) is `type: ["string", "null"]`.
      const types: unknown[] = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!types.includes("string")) return undefined;
      return types.includes("null")
        ? ts.factory.createUnionTypeNode([HEX, ts.factory.createLiteralTypeNode(ts.factory.createNull())])
        : HEX;
    },
  });
  return { "schema.ts": HEADER + astToString(ast), "enums.ts": enumModule(doc) };
}
