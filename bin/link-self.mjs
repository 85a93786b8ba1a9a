// npm links the bins of dependencies into node_modules/.bin, never the project's own; after a fresh
// clone and `npm install`, this makes `npx exchange-bot ...` run this checkout's command.
import { mkdirSync, rmSync, symlinkSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const binDir = join(root, "node_modules", ".bin");
if (existsSync(join(root, "node_modules"))) {
  mkdirSync(binDir, { recursive: true });
  const link = join(binDir, "exchange-bot");
  rmSync(link, { force: true });
  symlinkSync(relative(binDir, join(root, "bin", "exchange-bot.js")), link);
}
