// The version line `exchange-bot --version` and `exchange-bot probe -V` print (the Monitoring Plugins' -V).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../paths.js";

export function versionLine(): string {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version?: string };
  return `exchange-bot ${pkg.version ?? "unknown"}\n`;
}
