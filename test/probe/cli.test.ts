// `exchange-bot probe` as people run it: the built launcher in a child process, against scripted peers on loopback.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLabPeers, type LabPeers } from "../../src/local/lab-peers.js";
import { startPop3Peer, type RunningPeer } from "../../src/local/pop3-peers.js";
import { readFileSync } from "node:fs";
import { assertFreshBuild, CLI_DATA_DIR, runProbeCli, type CliRun } from "./run-cli.js";

const SECRET = "cli-Secret-0f-the-probe";

function cli(args: string[], env: Record<string, string> = {}, cwd?: string, unset: string[] = []): Promise<CliRun> {
  return runProbeCli(args, { PROBE_HOSTS_FILE: join(dir, "none.yml"), ...env }, cwd, unset);
}

let dir: string;
let lab: LabPeers;
let silent: RunningPeer;

beforeAll(async () => {
  assertFreshBuild();
  dir = await mkdtemp(join(tmpdir(), "probe-cli-"));
  lab = await startLabPeers({ PROBE_LAB_PASSWORD: SECRET });
  silent = await startPop3Peer("silent");
  const yml = ["hosts:", ...lab.hosts.flatMap((h) => [`  - name: ${h.name}`, `    host: ${h.host}`, `    port: ${h.port}`, `    protocol: ${h.protocol ?? "pop3"}`, "    user: probe", "    passwordEnv: PROBE_LAB_PASSWORD"])].join("\n");
  await writeFile(join(dir, "hosts.yml"), `${yml}\n  - name: broken\n    host: 127.0.0.1\n    port: 1\n`);
});

afterAll(async () => {
  await Promise.all([lab?.stop(), silent?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const named = { PROBE_HOSTS_FILE: "", PROBE_LAB_PASSWORD: SECRET };

describe("exchange-bot probe NAME", () => {
  it("--json: the exact interface, Q171435 diagnosed, exit 1, password nowhere", async () => {
    const r = await cli(["exchange55-privilege", "--json"], { ...named, PROBE_HOSTS_FILE: join(dir, "hosts.yml") });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(["ok", "host", "port", "steps", "transcript", "diagnosis"]));
    expect(j).toMatchObject({ ok: false, host: "127.0.0.1", port: lab.hosts[0]!.port, diagnosis: { articles: ["Q171435", "Q189732"] } });
    expect(typeof j.diagnosis.summary).toBe("string");
    expect(j.steps[2]).toEqual({ name: "greeting", ok: true, ms: expect.any(Number), detail: expect.stringMatching(/^\+OK Microsoft Exchange/) });
    expect(j.transcript).toEqual(expect.arrayContaining(["C: USER probe", "C: PASS ********"]));
    expect(r.out + r.err).not.toContain(SECRET);
    // Through the same limiter and audit as Slack's button: one audit record in DATA_DIR, naming the login that asked; nothing on stderr.
    expect(r.err).toBe("");
    const audit = JSON.parse(readFileSync(join(CLI_DATA_DIR, "audit.jsonl"), "utf8").trim().split("\n").pop()!) as Record<string, unknown>;
    expect(audit).toMatchObject({ audit: "probe", user: `cli:${userInfo().username}`, host: "exchange55-privilege", outcome: "fault", articles: ["Q171435", "Q189732"] });
  });

  it("reads PROBE_HOSTS_FILE and the password variable from .env, as the bot does", async () => {
    const work = await mkdtemp(join(tmpdir(), "probe-env-"));
    try {
      await writeFile(join(work, ".env"), `PROBE_HOSTS_FILE=${join(dir, "hosts.yml")}\nPROBE_LAB_PASSWORD=${SECRET}\n`);
      const r = await cli(["exchange55-logon", "--json"], {}, work, ["PROBE_HOSTS_FILE", "PROBE_LAB_PASSWORD"]);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.out).diagnosis.articles).toEqual(["Q247764"]);
      expect(r.out + r.err).not.toContain(SECRET);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it("human output: steps with times, transcript with offsets, diagnosis; exit 0 on a healthy host", async () => {
    const r = await cli(["healthy"], { ...named, PROBE_HOSTS_FILE: join(dir, "hosts.yml") });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^POP3 probe of healthy \(127\.0\.0\.1:\d+, tls none\): no fault found in \d+ ms/);
    expect(r.out).toMatch(/^ {2}ok {4}PASS +\d+ ms  \+OK Logged in\.$/m);
    expect(r.out).toMatch(/^ +\+\d+ ms {2}C: PASS \*{8}$/m);
    expect(r.out).toMatch(/Diagnosis\n {2}Logged on as probe/);
    expect(r.out + r.err).not.toContain(SECRET);
  });

  it("13003: Q247764 named with its title", async () => {
    const r = await cli(["exchange55-logon"], { ...named, PROBE_HOSTS_FILE: join(dir, "hosts.yml") });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/see Q247764: /);
  });

  it("an unknown name lists the named hosts; a missing file says how to make one (exit 2)", async () => {
    const unknown = await cli(["nosuch"], { PROBE_HOSTS_FILE: join(dir, "hosts.yml") });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no probe host named 'nosuch' .*named hosts: exchange55-privilege, exchange55-logon, healthy, hub02, imap-lab, exo-smtp-disabled, broken/);
    const missing = await cli(["lab"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no probe hosts file \(copy probe-hosts\.example\.yml/);
  });

  it("a broken hosts file names the entry and field (exit 2)", async () => {
    await writeFile(join(dir, "bad.yml"), "hosts:\n  - name: lab\n    host: 127.0.0.1\n    port: 99999\n");
    const r = await cli(["lab"], { PROBE_HOSTS_FILE: join(dir, "bad.yml") });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yml: hosts\[0\] \("lab"\): port: must be 1-65535/);
  });
});

describe("exchange-bot probe HOST[:PORT]", () => {
  it("probes any host from a terminal with --user and --password-env", async () => {
    const port = lab.hosts[0]!.port;
    const r = await cli([`127.0.0.1:${port}`, "--user", "probe", "--password-env", "MY_PW", "--json"], { MY_PW: SECRET });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).diagnosis.articles).toEqual(["Q171435", "Q189732"]);
    expect(r.out).not.toContain(SECRET);
  });

  it("--timeout bounds a silent server", async () => {
    const t0 = Date.now();
    const r = await cli([`127.0.0.1:${silent.port}`, "--timeout", "700", "--json"]);
    expect(r.code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(JSON.parse(r.out).diagnosis.summary).toMatch(/^no greeting/);
  });

  it.each([
    [["127.0.0.1:110", "--tls", "ssl"], /--tls must be none, starttls or implicit/],
    [["127.0.0.1:0"], /port must be 1-65535/],
    [["127.0.0.1:110", "--timeout", "soon"], /--timeout takes milliseconds/],
    [["127.0.0.1:110", "--password", "x"], /there is no --password/],
    [["127.0.0.1:110", "--user", "probe", "--password-env", "UNSET_PROBE_VAR_X"], /UNSET_PROBE_VAR_X is not set/],
    [[], /probe needs a named host or HOST\[:PORT\]/],
    [["a.example", "b.example"], /one host at a time/],
    [["127.0.0.1:110", "--bogus"], /unknown option '--bogus'/],
    [["127.0.0.1:110", "--protocol", "nntp"], /--protocol must be pop3, smtp or imap/],
    [["127.0.0.1:587", "--protocol", "smtp", "--mail-from", "not an address"], /--mail-from takes one address/],
    [["127.0.0.1:110", "--rcpt-to", "a@b.example"], /--mail-from and --rcpt-to are for --protocol smtp/],
    [["127.0.0.1:110", "--format", "xml"], /--format must be text, json or nagios/],
    [["127.0.0.1:110", "-w", "3", "-c", "1"], /-w must not exceed -c/],
  ])("bad usage %j exits 2 with a clear message", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe("");
  });
});

describe("probe NAME finds the lab hosts a local mode in the same folder advertises", () => {
  it("probes an advertised lab host from that folder, and elsewhere says how to get one without 'run help'", async () => {
    const folder = await mkdtemp(join(tmpdir(), "probe-advert-"));
    try {
      // What `exchange-bot start` in local mode writes: this test process stands in as the running local mode.
      const { writeAdvert } = await import("../../src/local/advert.js");
      const remove = writeAdvert(folder, { pid: process.pid, url: "http://localhost:1", hosts: lab.hosts.map((h) => ({ ...h })), passwords: { PROBE_LAB_PASSWORD: SECRET } });
      const r = await cli(["exchange55-privilege", "--json"], {}, folder, ["PROBE_HOSTS_FILE", "PROBE_LAB_PASSWORD"]);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.out).diagnosis.articles).toContain("Q171435");
      expect(r.out + r.err).not.toContain(SECRET);
      const other = await cli(["nosuch"], {}, folder, ["PROBE_HOSTS_FILE"]);
      expect(other.code).toBe(2);
      expect(other.err).toMatch(/The local mode running in this folder has: exchange55-privilege, /);
      remove();
      const gone = await cli(["exchange55-privilege"], {}, folder, ["PROBE_HOSTS_FILE"]);
      expect(gone.code).toBe(2);
      expect(gone.err).toMatch(/can be probed from this folder while it runs here/);
      expect(gone.err).not.toMatch(/exchange-bot help/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
