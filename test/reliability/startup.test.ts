// Broken configuration at start-up, through the built launcher (`node bin/exchange-bot.js start`, as `npm start`
// runs it): each kind ends in one clear message naming the problem, a non-zero exit, and no stack trace or secret.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebApi, type WebApiStandIn } from "../../src/local/webapi.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LAUNCHER = join(ROOT, "bin/exchange-bot.js");
const KNOWLEDGE = join(ROOT, "knowledge");
const TOKEN = "xoxb-startup-0000-token";
const SECRET = "5ec2e75ec2e75ec2e75ec2e75ec2e7aa";
const APP_TOKEN = "xapp-1-A0000-startup";

let api: WebApiStandIn;
beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist/src/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test builds first)");
  api = await startWebApi({ token: TOKEN });
});
afterAll(async () => {
  await api?.close();
});

interface Outcome {
  code: number | null;
  stderr: string;
  stdout: string;
  ms: number;
}

/** Runs `exchange-bot start` in a folder of its own with only the given files and variables. */
function start(files: Record<string, string>, env: Record<string, string>): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), "exchange-bot-broken-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const t0 = performance.now();
  const child = spawn(process.execPath, [LAUNCHER, "start"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: dir, SLACK_API_URL: api.url, HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  // A broken configuration must not get as far as listening; if it does, stop it and let the checks fail.
  const kill = setTimeout(() => child.kill("SIGKILL"), 15_000);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(kill);
      resolve({ code, stderr, stdout, ms: performance.now() - t0 });
    }),
  );
}

const HTTP = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET };
const HOST_OK = "  - name: lab\n    host: 127.0.0.1\n    port: 110\n";

type Case = [name: string, files: Record<string, string>, env: Record<string, string>, expected: RegExp];

const SLACK: Case[] = [
  ["only the bot token", {}, { SLACK_BOT_TOKEN: TOKEN }, /SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is missing/],
  ["only the signing secret", {}, { SLACK_SIGNING_SECRET: SECRET }, /SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is missing/],
  ["only the app token", {}, { SLACK_APP_TOKEN: APP_TOKEN }, /SLACK_APP_TOKEN is set \(Socket Mode\) but SLACK_BOT_TOKEN is missing/],
  ["a blank bot token next to a secret", {}, { SLACK_BOT_TOKEN: "   ", SLACK_SIGNING_SECRET: SECRET }, /SLACK_BOT_TOKEN is missing/],
  ["a user token where the bot token goes", {}, { SLACK_BOT_TOKEN: "xoxp-123-user", SLACK_SIGNING_SECRET: SECRET }, /SLACK_BOT_TOKEN does not look like a bot token/],
  ["a signing secret that is not hex", {}, { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: "not-a-secret-zzzzzzzzzz" }, /SLACK_SIGNING_SECRET does not look like a signing secret/],
  ["a bot token where the app token goes", {}, { SLACK_APP_TOKEN: TOKEN, SLACK_BOT_TOKEN: TOKEN }, /SLACK_APP_TOKEN does not look like an app-level token/],
  ["PORT out of range", {}, { ...HTTP, PORT: "70000" }, /PORT must be a number from 0 to 65535/],
  ["SLACK_API_URL not a URL", {}, { ...HTTP, SLACK_API_URL: "ftp:/nowhere" }, /SLACK_API_URL must be an http\(s\) URL/],
];

const HOSTS: Case[] = [
  ["hosts file: YAML syntax error", { "h.yml": "hosts:\n  - name: lab\n    host: [127.0.0.1\n" }, {}, /probe hosts file is broken: .*h\.yml/],
  ["hosts file: empty", { "h.yml": "" }, {}, /probe hosts file is broken: .*h\.yml/],
  ["hosts file: hosts is not a list", { "h.yml": "hosts: 5\n" }, {}, /probe hosts file is broken: .*hosts/],
  ["hosts file: an entry without host", { "h.yml": "hosts:\n  - name: lab\n    port: 110\n" }, {}, /probe hosts file is broken: .*hosts\[0\].*host/],
  ["hosts file: port out of range", { "h.yml": `hosts:\n${HOST_OK}  - name: b\n    host: 127.0.0.1\n    port: 70000\n` }, {}, /probe hosts file is broken: .*hosts\[1\].*port/],
  ["hosts file: unknown tls mode", { "h.yml": "hosts:\n  - name: lab\n    host: 127.0.0.1\n    tls: ssl\n" }, {}, /probe hosts file is broken: .*hosts\[0\].*tls/],
  ["hosts file: the same name twice", { "h.yml": `hosts:\n${HOST_OK}${HOST_OK}` }, {}, /probe hosts file is broken: .*hosts\[1\] \("lab"\): name: duplicate/],
  ["hosts file: binary", { "h.yml": "\u0000\u0001\u00ff\u00fe garbage \u0007" }, {}, /probe hosts file is broken: .*h\.yml/],
  ["hosts file: named but missing", {}, {}, /probe hosts file is broken: .*h\.yml/],
];

const KNOWLEDGE_CASES: Case[] = [
    ["knowledge: a file without front matter", { "kb/a.md": "just text\n" }, {}, /knowledge base in .*kb has problems:\n.*a\.md/],
    ["knowledge: broken YAML front matter", { "kb/a.md": "---\nid: [Q1\n---\nbody\n" }, {}, /knowledge base in .*kb has problems:\n.*a\.md/],
    ["knowledge: front matter missing required fields", { "kb/a.md": "---\nid: Q1\ntitle: only a title\n---\n" }, {}, /knowledge base in .*kb has problems:\n.*a\.md.*\b(cause|resolution)\b/s],
    ["knowledge: folder missing", {}, { KNOWLEDGE_DIR: "no-such-folder" }, /knowledge base in .*no-such-folder has problems/],
];

describe("start-up with broken configuration: one clear message, non-zero exit", () => {
  const all: Case[] = [
    ...SLACK,
    ...HOSTS.map(([n, f, e, r]): Case => [n, f, { ...HTTP, PROBE_HOSTS_FILE: "h.yml", ...e }, r]),
    ...KNOWLEDGE_CASES.map(([n, f, e, r]): Case => [n, f, { ...HTTP, KNOWLEDGE_DIR: "kb", ...e }, r]),
  ];
  it.each(all)("%s", async (_name, files, env, expected) => {
    const o = await start(files, env);
    if (process.env.SHOW_STARTUP) console.log(`${_name}: exit ${o.code}\n${o.stderr}`);
    expect(o.code, o.stderr).not.toBe(0);
    expect(o.code, o.stderr).not.toBeNull();
    expect(o.stderr).toMatch(expected);
    // One message: it starts the output, says "exchange-bot:" once, carries no stack trace and no secret.
    expect(o.stderr.startsWith("exchange-bot: ")).toBe(true);
    expect(o.stderr.match(/exchange-bot:/g)).toHaveLength(1);
    expect(o.stderr).not.toMatch(/\n\s+at |Error: |node:internal/);
    expect(o.stderr).not.toContain(SECRET);
    expect(o.stderr).not.toContain("not-a-secret-zzzzzzzzzz");
    expect(o.stderr).not.toMatch(/listening/);
    expect(o.stdout).toBe("");
    expect(o.ms).toBeLessThan(15_000);
  }, 20_000);

  it("a knowledge folder copied whole with one article duplicated is refused as well", async () => {
    const files: Record<string, string> = {};
    for (const f of readdirSync(KNOWLEDGE).filter((x) => x.endsWith(".md"))) files[`kb/${f}`] = readFileSync(join(KNOWLEDGE, f), "utf8");
    const first = Object.keys(files)[0]!;
    files["kb/zz-copy.md"] = files[first]!;
    const o = await start(files, { ...HTTP, KNOWLEDGE_DIR: "kb" });
    expect(o.code).not.toBe(0);
    expect(o.stderr).toMatch(/knowledge base in .*kb has problems:\n.*zz-copy\.md/);
    expect(o.stderr.match(/exchange-bot:/g)).toHaveLength(1);
  }, 20_000);
});
