#!/usr/bin/env node
// The `pier` command: runs the TypeScript sources through tsx's loader (no build step in the workspace).
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
