#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via the prepare script).
import { existsSync } from "node:fs";
const entry = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("exchange-bot: not built yet. Run `npm install` (or `npm run build`) in the project folder first.\n");
  process.exit(2);
}
await import(entry.href);
