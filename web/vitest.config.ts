/** Unit tests of the web app's pure parts (amounts, error decoding, links); the UI is tested in test/browser. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "web",
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
