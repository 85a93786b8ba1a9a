// `exchange-bot start` with no Slack tokens, as a newcomer runs it: the built launcher in a child process
// prints the page's URL, serves /healthz and the page, and stops cleanly.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";

const LAUNCHER = join(PROJECT_ROOT, "bin/exchange-bot.js");
const BUILT = join(PROJECT_ROOT, "dist/src/app/local-mode.js");

beforeAll(() => {
  // The test runs the build, as people do; a stale build would test old code.
  const sources = ["src/app", "src/local", "src/cli", "src/slack"].flatMap((d) =>
    readdirSync(join(PROJECT_ROOT, d), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
      .map((f) => statSync(join(PROJECT_ROOT, d, f)).mtimeMs),
  );
  if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < Math.max(...sources) - 1000) throw new Error("dist/ is missing or older than src/: run `npm run build` first");
});

function start(env: Record<string, string>, launcher = LAUNCHER) {
  // Only what the test gives: a developer's own SLACK_* variables must not change the outcome.
  const clean: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "warn", ...env };
  expect(Object.keys(clean).some((k) => k.startsWith("SLACK_"))).toBe(false);
  const child = spawn(process.execPath, [launcher, "start"], { cwd: mkdtempSync(join(tmpdir(), "local-start-")), env: clean, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function until<T>(probe: () => T | undefined | null | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("exchange-bot start without Slack tokens", () => {
  it("prints the page's URL, serves /healthz and the page, and stops on SIGTERM with 0", async () => {
    const p = start({ PORT: "0" });
    try {
      const url = await until(() => /Open (http:\/\/localhost:\d+) in your browser/.exec(p.out())?.[1], 20_000, `the URL (stdout: ${p.out()} stderr: ${p.err()})`);
      expect(p.out()).toMatch(/probe hosts: exchange55-privilege, exchange55-logon, healthy, hub02, imap-lab, exo-smtp-disabled \(lab POP3, SMTP and IMAP servers/);
      // The printed URL is the one that works.
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Message #exchange-admins");
      const script = await fetch(`${url}/page/app.js`);
      expect(script.headers.get("content-type")).toContain("javascript");
      const info = (await (await fetch(`${url}/local/info`)).json()) as { hosts: string[] };
      expect(info.hosts).toHaveLength(6);
    } finally {
      p.child.kill("SIGTERM");
    }
    expect(await p.exit).toBe(0);
    expect(p.err()).toContain("stopping");
  }, 40_000);

  it("a port already taken: one clear message naming PORT, exit 1", async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", () => resolve()));
    const port = (busy.address() as { port: number }).port;
    try {
      const p = start({ PORT: String(port) });
      expect(await p.exit).toBe(1);
      expect(p.err()).toContain(`port ${port} is already in use`);
      expect(p.err()).toContain("PORT");
    } finally {
      busy.close();
    }
  }, 40_000);

  // HOST is shared with HTTP mode: a server's .env with the tokens taken out must not put the page on the network.
  it.each(["0.0.0.0", "::", "192.168.1.10"])("HOST=%s: one clear message naming HOST, exit 1, no page started", async (host) => {
    const p = start({ PORT: "0", HOST: host });
    expect(await p.exit).toBe(1);
    expect(p.err()).toBe(
      `exchange-bot: configuration problem: HOST is "${host}", but local mode (no Slack tokens set) listens on this computer only: unset HOST or set it to 127.0.0.1, ::1, localhost. See .env.example.\n`,
    );
    expect(p.out()).toBe("");
  }, 40_000);

  // start.ts used to swallow any "module not found" naming its module, so a broken build said "local mode is not
  // available" instead of what was missing. A copy of the build with one of local mode's own modules gone:
  it("a module missing from local mode's build is reported as such, not as 'local mode is not available'", async () => {
    const copy = mkdtempSync(join(tmpdir(), "local-broken-build-"));
    for (const part of ["bin", "dist/src", "package.json"]) cpSync(join(PROJECT_ROOT, part), join(copy, part), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, "node_modules"), join(copy, "node_modules"), "dir");
    rmSync(join(copy, "dist/src/local/lab-peers.js"));
    try {
      const p = start({ PORT: "0" }, join(copy, "bin/exchange-bot.js"));
      expect(await p.exit).toBe(1);
      expect(p.err()).toMatch(/Cannot find module '.*lab-peers\.js' imported from .*app[/\\]local-mode\.js/);
      expect(p.err()).not.toMatch(/not available/);
      expect(p.out()).not.toMatch(/Open http/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 40_000);
});
