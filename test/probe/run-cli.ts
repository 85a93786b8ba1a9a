// `exchange-bot probe` run as people run it: the built launcher in a child process.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/paths.js";

const BUILT = join(PROJECT_ROOT, "dist/src/cli/probe.js");

/** The CLI tests run the build (as people do); a stale build would test old code. */
export function assertFreshBuild(): void {
  const newest = Math.max(...["src/probe", "src/probe/protocols", "src/cli", "src/render"].flatMap((d) => readdirSync(join(PROJECT_ROOT, d)).filter((f) => f.endsWith(".ts")).map((f) => statSync(join(PROJECT_ROOT, d, f)).mtimeMs)));
  if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < newest - 1000) throw new Error("dist/ is missing or older than src/: run `npm run build` first");
}

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/** Where the CLI runs write their audit records (DATA_DIR/audit.jsonl), unless a test names its own DATA_DIR. */
export const CLI_DATA_DIR = mkdtempSync(join(tmpdir(), "probe-cli-data-"));

/** Async on purpose: the peers live in the test process and must keep answering while the CLI runs. */
export function runProbeCli(args: string[], env: NodeJS.ProcessEnv, cwd?: string, unset: string[] = []): Promise<CliRun> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: CLI_DATA_DIR, ...env };
    for (const k of unset) delete childEnv[k];
    const child = spawn(process.execPath, [join(PROJECT_ROOT, "bin/exchange-bot.js"), "probe", ...args], { env: childEnv, ...(cwd ? { cwd } : {}) });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}
