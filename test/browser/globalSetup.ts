/** Builds the web app once for every browser test file and hands its folder to them (inject("webDir")). */
import { rm } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import { buildWeb } from "./lib/buildWeb.ts";

declare module "vitest" {
  export interface ProvidedContext {
    webDir: string;
  }
}

export default async function setup(project: TestProject) {
  const webDir = await buildWeb();
  project.provide("webDir", webDir);
  return async () => {
    await rm(webDir, { recursive: true, force: true });
  };
}
