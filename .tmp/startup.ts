import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startApiOn } from "../test/harness/apiStack.ts";
import { startStack } from "../test/harness/stack.ts";
const stack = await startStack({});
try {
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    const api = await startApiOn(stack, { PIER_ADMIN_KEY: `admin_${"x".repeat(32)}`, PIER_LOG_LEVEL: "debug" });
    console.log("ready in", Math.round(performance.now() - t), "ms");
    await api.stop();
  }
  const log = readFileSync(join(stack.dir, "api.log"), "utf8").split("\n").filter((l) => l.startsWith("{")).slice(-80);
  for (const l of log) { const j = JSON.parse(l); console.log(new Date(j.time).toISOString().slice(17, 23), j.msg, j.loop ?? "", j.url ?? ""); }
} finally { await stack.stop(); }
