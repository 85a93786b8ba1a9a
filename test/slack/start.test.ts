// `exchange-bot start` as a real process: .env loaded, HTTP mode against the Web API stand-in, clean stop,
// and each kind of broken start-up ending in one clear message and a non-zero exit.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendSigned, slashCommandRequest } from "../../src/local/signing.js";
import { startWebApi, type WebApiStandIn } from "../../src/local/webapi.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = join(ROOT, "node_modules/tsx/dist/loader.mjs");
const MAIN = join(ROOT, "src/cli/main.ts");
const TOKEN = "xoxb-start-test-token";
const SECRET = "0123456789abcdef0123456789abcdef";

let api: WebApiStandIn;
beforeAll(async () => {
  api = await startWebApi({ token: TOKEN });
});
afterAll(async () => {
  await api.close();
});

/** A folder of its own, so no .env from elsewhere leaks in. */
function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "exchange-bot-start-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function start(cwd: string, env: Record<string, string>): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  // Only what the test gives: a developer's own SLACK_* variables must not change the outcome.
  const clean: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env };
  const child = spawn(process.execPath, ["--import", TSX, MAIN, "start"], { cwd, env: clean, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("exchange-bot start", () => {
  it("HTTP mode from .env: /healthz 200, a signed /exchange is answered through SLACK_API_URL, SIGTERM stops it with 0", async () => {
    const dir = workdir({ ".env": `SLACK_BOT_TOKEN=${TOKEN}\nSLACK_SIGNING_SECRET=${SECRET}\nSLACK_API_URL=${api.url}\nPORT=0\nHOST=127.0.0.1\nLOG_LEVEL=warn\n` });
    const p = start(dir, {});
    await waitFor(() => /listening on 127\.0\.0\.1:\d+/.test(p.stderr()), 20_000);
    const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(p.stderr())![1]);
    expect(p.stderr()).toContain("no probe hosts file");
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    const res = await sendSigned(`http://127.0.0.1:${port}/slack/events`, slashCommandRequest(SECRET, { text: "13003", channel_id: "CSTART001", response_url: api.newResponseUrl({ channel: "CSTART001", user: "U1" }) }));
    expect(res.status).toBe(200);
    const parent = await api.waitFor(() => api.botMessages({ channel: "CSTART001" })[0], 10_000);
    expect(JSON.stringify(parent.blocks)).toContain("13003");
    expect(p.stderr()).not.toContain(TOKEN);

    p.child.kill("SIGTERM");
    expect(await p.exit).toBe(0);
  }, 40_000);

  it.each([
    ["half-set Slack variables", {}, { SLACK_BOT_TOKEN: TOKEN }, /SLACK_SIGNING_SECRET is missing/],
    ["a token Slack refuses", {}, { SLACK_BOT_TOKEN: "xoxb-wrong", SLACK_SIGNING_SECRET: SECRET, PORT: "0" }, /Slack did not accept SLACK_BOT_TOKEN \(auth\.test: invalid_auth\)/],
    ["a broken probe hosts file", { "hosts.yml": "hosts:\n  - name: bad name!\n    host: 127.0.0.1\n" }, { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, PROBE_HOSTS_FILE: "hosts.yml", PORT: "0" }, /probe hosts file is broken: .*hosts\[0\].*name/],
    ["a named probe hosts file that does not exist", {}, { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, PROBE_HOSTS_FILE: "nope.yml", PORT: "0" }, /probe hosts file is broken: .*nope\.yml: no probe hosts file/],
    ["a broken knowledge folder", { "k.md": "no front matter" }, { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, KNOWLEDGE_DIR: ".", PORT: "0" }, /knowledge base .* has problems:\nk\.md:1:1: \(front matter\)/],
  ] as const)("%s: one clear message, non-zero exit", async (_name, files, env, expected) => {
    const p = start(workdir(files), { ...env, SLACK_API_URL: api.url, HOST: "127.0.0.1" });
    const code = await p.exit;
    expect(code).not.toBe(0);
    expect(p.stderr()).toMatch(expected);
    expect(p.stderr().trim().split("\n")[0]).toMatch(/^exchange-bot: /);
    expect(p.stderr()).not.toMatch(/\n\s+at /);
    expect(p.stderr()).not.toContain(SECRET);
  }, 60_000);

  // Socket Mode used to hand the port to Bolt, whose server died on an unhandled 'error' event when it was taken.
  it.each([
    ["HTTP mode", { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET }],
    ["Socket Mode", { SLACK_BOT_TOKEN: TOKEN, SLACK_APP_TOKEN: "xapp-1-A0START-socket" }],
  ] as const)("%s with PORT already taken: one clear message naming PORT, exit 1", async (_name, env) => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", () => resolve()));
    const port = (busy.address() as AddressInfo).port;
    try {
      const p = start(workdir(), { ...env, SLACK_API_URL: api.url, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn" });
      expect(await p.exit).toBe(1);
      expect(p.stderr()).toContain(`exchange-bot: cannot start: port ${port} is already in use: set PORT to a free port (PORT=0 picks one)\n`);
      expect(p.stderr()).not.toMatch(/\n\s+at |EADDRINUSE|Error: /);
      expect(p.stderr()).not.toMatch(/connected|listening/);
    } finally {
      busy.close();
    }
  }, 60_000);
});
