// The built bot in its own process (`exchange-bot start`, HTTP mode) against a Web API stand-in, for the
// benchmark and the reliability suite alike; with its memory read from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { WebApiStandIn } from "../src/local/webapi.js";

export const BOT_TOKEN = "xoxb-bench-token";
export const BOT_SECRET = "0123456789abcdef0123456789abcdef";

/** The compiled CLI next to this file when it was built (npm run bench), else the sources through tsx (tests). */
export function botCommand(): string[] {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const built = join(here, "../src/cli/main.js");
  if (existsSync(built)) return [built, "start"];
  // Run from source (tsx): the same CLI, compiled on the fly.
  const root = join(here, "..");
  return ["--import", join(root, "node_modules/tsx/dist/loader.mjs"), join(root, "src/cli/main.ts"), "start"];
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Starts the bot against `api` and resolves once it listens; `env` adds variables (KNOWLEDGE_DIR, say). */
export async function startBot(api: WebApiStandIn, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; port: number }> {
  const child = spawn(process.execPath, botCommand(), {
    cwd: mkdtempSync(join(tmpdir(), "exchange-bot-bench-")),
    env: { PATH: process.env.PATH ?? "", SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: BOT_SECRET, SLACK_API_URL: api.url, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
    if (m) {
      const port = Number(m[1]);
      return { child, port, url: `http://127.0.0.1:${port}/slack/events` };
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`bot did not start:\n${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs `fn` over `items`, at most `concurrency` at a time. */
export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
