import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "example-shop",
    include: ["src/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
